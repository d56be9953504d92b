"""``POST /v1/check`` and ``POST /v1/triage``: the hot path, free of thread hops and, once warm,
of database reads (see ``csguard.api.fastpath``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from csguard.api.deps import ApiPrincipal
from csguard.api.fastpath import check_dict, triage_dict
from csguard.api.schemas import CheckBatchOut, CheckOut, MessagesIn, TriageBatchOut, TriageOut
from csguard.errors import InputTooLarge
from csguard.services.auth import Principal
from csguard.services.checks import DirectSink, check_texts, triage_texts

router = APIRouter(prefix="/v1", tags=["check"])
T = TypeVar("T")


def _texts(body: MessagesIn, request: Request) -> list[str]:
    texts = [body.text] if body.text is not None else list(body.messages or [])
    limit = request.app.state.settings.max_batch_messages
    if len(texts) > limit:
        raise InputTooLarge(
            f"a batch may carry at most {limit} messages; this one has {len(texts)}",
            details={"field": "messages", "limit": limit},
        )
    return texts


def _run(request: Request, body: MessagesIn, principal: Principal, work: Callable[..., list[T]]) -> list[T]:
    """Run a check/triage over the request's texts with the shop's Guard and log it.

    Single messages go to the background writer (flushed on shutdown); batches commit
    before answering, so a client that got a batch answer knows it is stored.
    """
    texts = _texts(body, request)
    state = request.app.state
    guard = state.guard_source.guard(principal.shop_id, body.platform)
    writer = state.check_log_writer
    if body.text is not None and writer is not None:
        return work(guard, principal.shop_id, texts, principal, writer)
    with state.sessions() as session:
        return work(guard, principal.shop_id, texts, principal, DirectSink(session))


def _answer(body: MessagesIn, results: list[dict[str, Any]]) -> JSONResponse:
    if body.text is not None:
        return JSONResponse(results[0])
    return JSONResponse({"count": len(results), "results": results})


@router.post(
    "/check",
    response_model=None,
    responses={200: {"model": CheckOut | CheckBatchOut, "description": "One result, or a batch of results"}},
    summary="Check outgoing agent messages before they are sent",
)
async def check(body: MessagesIn, request: Request, principal: ApiPrincipal) -> JSONResponse:
    return _answer(body, [check_dict(r) for r in _run(request, body, principal, check_texts)])


@router.post(
    "/triage",
    response_model=None,
    responses={
        200: {"model": TriageOut | TriageBatchOut, "description": "One result, or a batch of results"}
    },
    summary="Triage incoming buyer messages (complaint threats, extortion, abuse, spam)",
)
async def triage(body: MessagesIn, request: Request, principal: ApiPrincipal) -> JSONResponse:
    return _answer(body, [triage_dict(r) for r in _run(request, body, principal, triage_texts)])
