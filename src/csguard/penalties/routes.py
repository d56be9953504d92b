"""``/v1/penalties``: 禁言 records, their life cycle, appeal kits and continuity plans.
Supervisors and owners change things; agents read. ``/v1/reviews`` comes from ``review_routes``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Response

from csguard.http.deps import ApiPrincipal, SessionDep, SettingsDep, SupervisorPrincipal
from csguard.penalties import appeals, continuity_service, review_routes, service
from csguard.penalties.schemas import (
    AppealKitIn,
    AppealKitOut,
    ApplyIn,
    ChecklistIn,
    DocumentIn,
    DocumentOut,
    EventIn,
    Id,
    PenaltyIn,
    PenaltyOut,
    PlanIn,
    PlanOut,
    RecoveryOut,
    State,
    ToneOut,
    TransitionOut,
)

router = APIRouter(tags=["penalties"])
# A document or checklist item: the short snake_case keys the appeal kit and plan use.
ItemKey = Annotated[str, Path(max_length=40, pattern=r"^[a-z_]+$")]


@dataclass(frozen=True, slots=True)
class PenaltyItem:
    """One document of a penalty's appeal kit or one item of its checklist, from the path."""

    penalty_id: int
    key: str


def _penalty_item(penalty_id: Id, key: ItemKey) -> PenaltyItem:
    return PenaltyItem(penalty_id, key)


ItemDep = Annotated[PenaltyItem, Depends(_penalty_item)]


def penalty_out(row: service.PenaltyRow) -> PenaltyOut:
    record = service.to_record(row)
    now = datetime.now(UTC)
    return PenaltyOut(
        id=row.id,
        platform=row.platform,
        account=row.account,
        source=row.source,
        reason=row.reason,
        duration=row.duration,
        start=row.start,
        end=row.end,
        state=row.state,
        attempts_allowed=row.attempts_allowed,
        attempts_used=row.attempts_used,
        attempts_left=record.attempts_left,
        countdown=record.countdown(now),
        allowed_events=service.allowed_events(row),
        flagged_message_id=row.flagged_message_id,
        evidence=list(row.evidence),
        notes=row.notes,
        history=[TransitionOut.model_validate(h, from_attributes=True) for h in row.history],
    )


@router.get("/v1/penalties", response_model=list[PenaltyOut], summary="List the shop's penalties")
def list_penalties(
    session: SessionDep, principal: ApiPrincipal, state: Annotated[State | None, Query()] = None
) -> list[PenaltyOut]:
    return [penalty_out(r) for r in service.list_penalties(session, principal.shop_id, state=state)]


@router.post("/v1/penalties", response_model=PenaltyOut, status_code=201, summary="Record a penalty")
def create_penalty(
    body: PenaltyIn, session: SessionDep, settings: SettingsDep, principal: SupervisorPrincipal
) -> PenaltyOut:
    data = service.PenaltyInput(**{**body.model_dump(), "evidence": tuple(body.evidence)})
    return penalty_out(service.create_penalty_in_shop(session, principal.shop_id, data, settings=settings))


@router.get("/v1/penalties/{penalty_id}", response_model=PenaltyOut, summary="One penalty with its history")
def get_penalty(penalty_id: Id, session: SessionDep, principal: ApiPrincipal) -> PenaltyOut:
    return penalty_out(service.get_penalty(session, principal.shop_id, penalty_id))


@router.delete(
    "/v1/penalties/{penalty_id}", status_code=204, response_class=Response, summary="Delete a penalty"
)
def delete_penalty(penalty_id: Id, session: SessionDep, principal: SupervisorPrincipal) -> Response:
    service.delete_penalty(session, principal.shop_id, penalty_id)
    return Response(status_code=204)


@router.post(
    "/v1/penalties/{penalty_id}/events", response_model=PenaltyOut, summary="Appeal, approve or reject"
)
def apply_event(
    penalty_id: Id, body: EventIn, session: SessionDep, principal: SupervisorPrincipal
) -> PenaltyOut:
    row = service.apply_event(
        session, principal.shop_id, penalty_id, body.event, actor=service.actor_of(principal), note=body.note
    )
    return penalty_out(row)


def _kit_out(penalty_id: int, draft: Any) -> AppealKitOut:
    tone = service.tone_of_documents(draft.documents)
    return AppealKitOut(
        penalty_id=penalty_id,
        appeal_number=draft.appeal_number,
        strategy=draft.strategy,
        strategy_title=draft.strategy_title,
        materials=list(draft.materials),
        documents=[
            DocumentOut(**d, tone_issues=[i.to_dict() for i in tone[d["key"]]]) for d in draft.documents
        ],
    )


@router.post(
    "/v1/penalties/{penalty_id}/appeal-kit", response_model=AppealKitOut, summary="Draft the appeal kit"
)
def draft_appeal(
    penalty_id: Id,
    session: SessionDep,
    settings: SettingsDep,
    principal: SupervisorPrincipal,
    body: AppealKitIn | None = None,
) -> AppealKitOut:
    # No body at all is the unanswered question, reported as such (agent_sent), not a 422 on "body".
    answers = appeals.KitAnswers(**(body or AppealKitIn()).model_dump())
    draft = appeals.draft_appeal_in_shop(
        session, principal.shop_id, penalty_id, answers, timezone=settings.timezone
    )
    return _kit_out(penalty_id, draft)


@router.get(
    "/v1/penalties/{penalty_id}/appeal-kit", response_model=AppealKitOut, summary="The latest appeal kit"
)
def get_appeal(penalty_id: Id, session: SessionDep, principal: ApiPrincipal) -> AppealKitOut:
    return _kit_out(penalty_id, appeals.require_draft(session, principal.shop_id, penalty_id))


@router.put(
    "/v1/penalties/{penalty_id}/appeal-kit/documents/{key}",
    response_model=ToneOut,
    summary="Edit one drafted document",
)
def edit_document(
    item: ItemDep, body: DocumentIn, session: SessionDep, principal: SupervisorPrincipal
) -> ToneOut:
    issues = appeals.edit_document(session, principal.shop_id, item.penalty_id, item.key, body.body)
    report = service.tone_report(body.body, issues)
    return ToneOut(issues=report.issues, neutral=report.neutral)


@router.get(
    "/v1/penalties/{penalty_id}/appeal-kit/export",
    summary="Download the appeal kit (.docx or printable HTML)",
)
def export_appeal(
    penalty_id: Id, session: SessionDep, principal: ApiPrincipal, format: Literal["docx", "html"] = "docx"
) -> Response:
    exported = appeals.export_draft(session, principal.shop_id, penalty_id, format)
    disposition = f'attachment; filename="{exported.filename}"'
    return Response(
        exported.content, media_type=exported.media_type, headers={"Content-Disposition": disposition}
    )


def _plan_out(penalty_id: int, plan: Any) -> PlanOut:
    return PlanOut(
        penalty_id=penalty_id,
        routing=list(plan.routing),
        checklist=list(plan.checklist),
        auto_replies=list(plan.auto_replies),
        applied_at=plan.applied_at,
    )


@router.post(
    "/v1/penalties/{penalty_id}/continuity", response_model=PlanOut, summary="Propose the continuity plan"
)
def propose_plan(
    penalty_id: Id, body: PlanIn, session: SessionDep, principal: SupervisorPrincipal
) -> PlanOut:
    plan = continuity_service.propose_plan_in_shop(
        session, principal.shop_id, penalty_id, scripts=body.scripts
    )
    return _plan_out(penalty_id, plan)


@router.get("/v1/penalties/{penalty_id}/continuity", response_model=PlanOut, summary="The continuity plan")
def get_plan(penalty_id: Id, session: SessionDep, principal: ApiPrincipal) -> PlanOut:
    _, plan = continuity_service.require_plan(session, principal.shop_id, penalty_id)
    return _plan_out(penalty_id, plan)


@router.post(
    "/v1/penalties/{penalty_id}/continuity/apply", response_model=PlanOut, summary="Apply the routing"
)
def apply_plan(penalty_id: Id, body: ApplyIn, session: SessionDep, principal: SupervisorPrincipal) -> PlanOut:
    shares = (
        None
        if body.routing is None
        else [continuity_service.RouteShare(s.seat, s.percent) for s in body.routing]
    )
    return _plan_out(
        penalty_id, continuity_service.apply_plan(session, principal.shop_id, penalty_id, shares)
    )


@router.patch(
    "/v1/penalties/{penalty_id}/continuity/checklist/{key}",
    response_model=PlanOut,
    summary="Tick a checklist item",
)
def set_checklist(
    item: ItemDep, body: ChecklistIn, session: SessionDep, principal: SupervisorPrincipal
) -> PlanOut:
    plan = continuity_service.set_checklist_status(
        session, principal.shop_id, item.penalty_id, item.key, body.status
    )
    return _plan_out(item.penalty_id, plan)


@router.get("/v1/penalties/{penalty_id}/recovery", response_model=RecoveryOut, summary="Reply-rate recovery")
def recovery(
    penalty_id: Id, session: SessionDep, settings: SettingsDep, principal: ApiPrincipal
) -> RecoveryOut:
    found = continuity_service.recovery_in_shop(
        session, principal.shop_id, penalty_id, timezone=settings.timezone
    )
    if found is None:
        return RecoveryOut(status="not_ended")
    plan, progress = found
    return RecoveryOut(
        status=progress.status,
        target=plan.target,
        starts=plan.starts,
        deadline=plan.deadline,
        reached_on=progress.reached_on,
        days=[
            {"date": d.day.isoformat(), "reply_rate": d.reply_rate, "meets_target": d.meets_target}
            for d in progress.days
        ],
    )


router.include_router(review_routes.router)
