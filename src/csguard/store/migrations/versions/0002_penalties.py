"""penalties and appeals

Revision ID: 0002_penalties
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_penalties"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "penalties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shop_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("account", sa.String(length=120), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("duration", sa.String(length=16), nullable=False),
        sa.Column("custom_minutes", sa.Integer(), nullable=True),
        sa.Column("start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts_allowed", sa.Integer(), nullable=False),
        sa.Column("attempts_used", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("flagged_message_id", sa.String(length=120), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "duration IN ('10m', '24h', '3d', '7d', 'permanent', 'custom')",
            name=op.f("ck_penalties_duration"),
        ),
        sa.CheckConstraint(
            "reason IN ('offsite_diversion', 'review_manipulation', 'absolute_claim', 'abusive_language', 'privacy_leak', 'false_or_fraud', 'superstition', 'slow_reply', 'abnormal_login', 'complaint')",
            name=op.f("ck_penalties_reason"),
        ),
        sa.CheckConstraint(
            "source IN ('system_auto', 'manual_review', 'associated')", name=op.f("ck_penalties_source")
        ),
        sa.CheckConstraint(
            "state IN ('active', 'appealing', 'appeal_approved', 'appeal_rejected', 'expired')",
            name=op.f("ck_penalties_state"),
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"], ["shops.id"], name=op.f("fk_penalties_shop_id_shops"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_penalties")),
    )
    with op.batch_alter_table("penalties", schema=None) as batch_op:
        batch_op.create_index("ix_penalties_shop_state", ["shop_id", "state"], unique=False)

    op.create_table(
        "review_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shop_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.String(length=120), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created", sa.Date(), nullable=False),
        sa.Column("buyer_messages", sa.JSON(), nullable=False),
        sa.Column("logistics", sa.JSON(), nullable=True),
        sa.Column("buyer_bad_reviews_30d", sa.Integer(), nullable=False),
        sa.Column("authenticity_proof", sa.Boolean(), nullable=False),
        sa.Column("packing_proof", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("appeal_text", sa.Text(), nullable=False),
        sa.Column("public_reply", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "reason IN ('extortion', 'competitor', 'advertising', 'meaningless', 'false_claim', 'not_appealable')",
            name=op.f("ck_review_cases_reason"),
        ),
        sa.CheckConstraint("rating >= 1 AND rating <= 5", name=op.f("ck_review_cases_rating")),
        sa.ForeignKeyConstraint(
            ["shop_id"], ["shops.id"], name=op.f("fk_review_cases_shop_id_shops"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_cases")),
    )
    with op.batch_alter_table("review_cases", schema=None) as batch_op:
        batch_op.create_index("ix_review_cases_shop_created", ["shop_id", "created"], unique=False)

    op.create_table(
        "appeal_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("penalty_id", sa.Integer(), nullable=False),
        sa.Column("appeal_number", sa.Integer(), nullable=False),
        sa.Column("strategy", sa.String(length=20), nullable=False),
        sa.Column("strategy_title", sa.String(length=120), nullable=False),
        sa.Column("materials", sa.JSON(), nullable=False),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["penalty_id"],
            ["penalties.id"],
            name=op.f("fk_appeal_drafts_penalty_id_penalties"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appeal_drafts")),
        sa.UniqueConstraint("penalty_id", "appeal_number", name="uq_appeal_drafts_penalty_number"),
    )
    op.create_table(
        "continuity_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("penalty_id", sa.Integer(), nullable=False),
        sa.Column("routing", sa.JSON(), nullable=False),
        sa.Column("checklist", sa.JSON(), nullable=False),
        sa.Column("auto_replies", sa.JSON(), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["penalty_id"],
            ["penalties.id"],
            name=op.f("fk_continuity_plans_penalty_id_penalties"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_continuity_plans")),
        sa.UniqueConstraint("penalty_id", name=op.f("uq_continuity_plans_penalty_id")),
    )
    op.create_table(
        "penalty_transitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("penalty_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=20), nullable=False),
        sa.Column("from_state", sa.String(length=20), nullable=False),
        sa.Column("to_state", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["penalty_id"],
            ["penalties.id"],
            name=op.f("fk_penalty_transitions_penalty_id_penalties"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_penalty_transitions")),
    )
    with op.batch_alter_table("penalty_transitions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_penalty_transitions_penalty_id"), ["penalty_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("penalty_transitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_penalty_transitions_penalty_id"))

    op.drop_table("penalty_transitions")
    op.drop_table("continuity_plans")
    op.drop_table("appeal_drafts")
    with op.batch_alter_table("review_cases", schema=None) as batch_op:
        batch_op.drop_index("ix_review_cases_shop_created")

    op.drop_table("review_cases")
    with op.batch_alter_table("penalties", schema=None) as batch_op:
        batch_op.drop_index("ix_penalties_shop_state")

    op.drop_table("penalties")
