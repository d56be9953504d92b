"""findings stored at ingestion; per-shop switch for the learned classifier

Revision ID: 0003_inspection
Revises: 0002_penalties
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_inspection"
down_revision = "0002_penalties"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NULL means "stored before inspection at ingestion existed": views check those rows' text.
    with op.batch_alter_table("chat_events") as batch:
        batch.add_column(sa.Column("verdict", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("findings", sa.JSON(), nullable=True))
    with op.batch_alter_table("shops") as batch:
        batch.add_column(sa.Column("model_enabled", sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table("shops") as batch:
        batch.drop_column("model_enabled")
    with op.batch_alter_table("chat_events") as batch:
        batch.drop_column("findings")
        batch.drop_column("verdict")
