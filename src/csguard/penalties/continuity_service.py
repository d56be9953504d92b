"""The continuity plan of a penalty: propose routing/checklist/auto-replies, apply the routing
to the shop's CS accounts on confirmation, tick checklist items, track the recovery."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from csguard.errors import InvalidInput, NotFound
from csguard.guard import Guard
from csguard.penalties.clock import Clock, SystemClock
from csguard.penalties.continuity import (
    ChecklistItem,
    RecoveryPlan,
    RecoveryProgress,
    Seat,
    emergency_checklist,
    propose_routing,
    set_item_status,
    suggest_auto_replies,
    validate_routing,
)
from csguard.penalties.continuity import (
    RouteShare as RouteShare,
)
from csguard.penalties.models import ContinuityPlanRow, PenaltyRow
from csguard.penalties.service import get_penalty, to_record
from csguard.penalties.strategy import choose_strategy
from csguard.services._tx import transaction
from csguard.services.accounts import list_accounts
from csguard.services.metrics import sla_metrics
from csguard.services.shops import get_shop
from csguard.services.words import guard_for_shop
from csguard.store.models import Shop

MUTED_STATUS = "restricted"  # the CS-account status that marks a muted seat


def _plan_row(session: Session, penalty_id: int) -> ContinuityPlanRow | None:
    return session.scalars(
        select(ContinuityPlanRow).where(ContinuityPlanRow.penalty_id == penalty_id)
    ).first()


def get_plan(session: Session, shop_id: int, penalty_id: int) -> ContinuityPlanRow | None:
    return _plan_row(session, get_penalty(session, shop_id, penalty_id).id)


def propose_plan(
    session: Session, shop: Shop, penalty_id: int, guard: Guard, *, scripts: Sequence[str] = ()
) -> ContinuityPlanRow:
    """Routing over the other seats, the emergency checklist and compliant auto-replies (not applied yet)."""
    row = get_penalty(session, shop.id, penalty_id)
    seats = [
        Seat(a.platform_account, a.level, a.status, a.is_backup) for a in list_accounts(session, shop.id)
    ]
    routing = propose_routing(row.account, seats)
    materials = choose_strategy(to_record(row)).materials
    checklist = emergency_checklist(shop_name=shop.name, account=row.account, appeal_materials=materials)
    with transaction(session):
        plan = _plan_row(session, row.id)
        if plan is None:
            plan = ContinuityPlanRow(penalty_id=row.id)
            session.add(plan)
        plan.routing = [{"seat": r.seat, "percent": r.percent} for r in routing]
        plan.checklist = [_item_dict(i) for i in checklist]
        plan.auto_replies = suggest_auto_replies(scripts, guard)
        plan.applied_at = None
    return plan


def _item_dict(item: ChecklistItem) -> dict[str, str]:
    # The stored keys are the item's fields (key, title, owner, detail, status), in that order.
    return {name: str(value) for name, value in asdict(item).items()}


def require_plan(session: Session, shop_id: int, penalty_id: int) -> tuple[PenaltyRow, ContinuityPlanRow]:
    row = get_penalty(session, shop_id, penalty_id)
    plan = _plan_row(session, row.id)
    if plan is None:
        raise NotFound(f"penalty {penalty_id} has no continuity plan yet", details={"penalty_id": penalty_id})
    return row, plan


def apply_plan(
    session: Session,
    shop_id: int,
    penalty_id: int,
    routing: Sequence[RouteShare] | None = None,
    *,
    clock: Clock | None = None,
) -> ContinuityPlanRow:
    """Write the (possibly edited) shares to the CS accounts and flag the muted seat."""
    row, plan = require_plan(session, shop_id, penalty_id)
    shares = validate_routing(
        list(routing) if routing is not None else [RouteShare(**r) for r in plan.routing]
    )
    accounts = {a.platform_account: a for a in list_accounts(session, shop_id)}
    for i, share in enumerate(shares):
        if share.seat not in accounts:
            raise InvalidInput(
                f"no CS account {share.seat!r} in this shop", details={"field": f"routing[{i}].seat"}
            )
        if share.seat == row.account:
            raise InvalidInput(
                "the muted seat cannot take a routing share", details={"field": f"routing[{i}].seat"}
            )
    by_seat = {s.seat: s.percent for s in shares}
    with transaction(session):
        for name, account in accounts.items():
            account.routing_share = by_seat.get(name, 0)
            if name == row.account:
                account.status = MUTED_STATUS
        plan.routing = [{"seat": s.seat, "percent": s.percent} for s in shares]
        plan.applied_at = (clock or SystemClock()).now()
        plan.checklist = [
            dict(i, status="done") if i["key"] == "routing" else dict(i) for i in plan.checklist
        ]
    return plan


def set_checklist_status(
    session: Session, shop_id: int, penalty_id: int, key: str, status: str
) -> ContinuityPlanRow:
    _, plan = require_plan(session, shop_id, penalty_id)
    items = [ChecklistItem(**i) for i in plan.checklist]
    set_item_status(items, key, status)
    with transaction(session):
        plan.checklist = [_item_dict(i) for i in items]
    return plan


def recovery_progress(
    session: Session, shop: Shop, penalty_id: int, *, timezone: str, clock: Clock | None = None
) -> tuple[RecoveryPlan, RecoveryProgress] | None:
    """From the day the mute ended: the seat's 3-minute reply rate against the 80 % target.

    ``timezone`` (the settings' ``timezone``) decides which calendar day the mute ended on.
    """
    clock = clock or SystemClock()
    row = get_penalty(session, shop.id, penalty_id, clock=clock)
    ended = _mute_ended_at(row)
    if ended is None:
        return None
    zone = ZoneInfo(timezone)
    plan = RecoveryPlan(row.account, ended.astimezone(zone).date())
    since = datetime.combine(plan.starts, datetime.min.time(), zone)
    rows = sla_metrics(session, shop, since=since, agent=row.account)
    today: date = clock.now().astimezone(zone).date()
    return plan, plan.track(rows, today)


def _mute_ended_at(row: PenaltyRow) -> datetime | None:
    if row.state == "expired":
        return row.end
    if row.state == "appeal_approved":
        return row.history[-1].at if row.history else row.updated_at
    return None


def propose_plan_in_shop(
    session: Session, shop_id: int, penalty_id: int, *, scripts: Sequence[str] = ()
) -> ContinuityPlanRow:
    """``propose_plan`` with the shop's own guard checking the auto-replies."""
    shop = get_shop(session, shop_id)
    return propose_plan(session, shop, penalty_id, guard_for_shop(session, shop), scripts=scripts)


def recovery_in_shop(
    session: Session, shop_id: int, penalty_id: int, *, timezone: str
) -> tuple[RecoveryPlan, RecoveryProgress] | None:
    return recovery_progress(session, get_shop(session, shop_id), penalty_id, timezone=timezone)
