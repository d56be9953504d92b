"""SLA metrics and QC findings computed from a shop's stored chat events.

The QC module does the counting (``csguard.qc.sla``, ``csguard.qc.runner``); this module
only turns stored rows into its canonical frame, scoped to one shop and a time range.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import polars as pl
from sqlalchemy.orm import Session

from csguard.qc.sla import compute_metrics
from csguard.qc.validation import EMPTY_SCHEMA
from csguard.services.events import list_events
from csguard.services.inspection import known_hits
from csguard.services.words import guard_for_shop
from csguard.store.models import ChatEvent, Shop

if TYPE_CHECKING:
    from csguard.qc.runner import QcResult


def events_frame(
    session: Session, shop: Shop, since: datetime | None = None, until: datetime | None = None
) -> pl.DataFrame:
    """The shop's stored events in ``[since, until)`` as the QC module's canonical frame."""
    return _frame(list_events(session, shop.id, since=since, until=until), shop)


def _frame(events: list[ChatEvent], shop: Shop) -> pl.DataFrame:
    if not events:
        return pl.DataFrame(schema=EMPTY_SCHEMA)
    columns: dict[str, list[Any]] = {
        "shop": [shop.name] * len(events),
        "platform": [e.platform for e in events],
        "conversation_id": [e.conversation_id for e in events],
        "buyer_id": [e.buyer_id for e in events],
        "message_id": [e.message_id for e in events],
        "ts": [e.ts for e in events],
        "sender": [e.sender for e in events],
        "agent": [e.agent for e in events],
        "type": [e.type for e in events],
        "text": [e.text for e in events],
    }
    # Rows come ordered by (ts, id): a stable sort keeps a reply after its question at equal ts.
    frame = pl.DataFrame(columns, schema=EMPTY_SCHEMA)
    return frame.sort(["conversation_id", "ts"], maintain_order=True)


def sla_metrics(
    session: Session,
    shop: Shop,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    agent: str | None = None,
) -> list[dict[str, Any]]:
    """Rows per day for the whole shop (``agent`` None) and per agent; ``agent`` keeps one agent's."""
    frame = events_frame(session, shop, since, until)
    if frame.height == 0:
        return []
    rows = compute_metrics(frame, platform=shop.platform)
    if agent is not None:
        rows = [row for row in rows if row["agent"] == agent]
    return rows


def qc_result(
    session: Session, shop: Shop, *, since: datetime | None = None, until: datetime | None = None
) -> QcResult:
    """Metrics and findings of the QC run over the shop's events, with the shop's word lists."""
    from csguard.qc.runner import run_qc

    events = list_events(session, shop.id, since=since, until=until)
    frame = _frame(events, shop)
    # One worker: a web request must not fork a process pool. Texts inspected at ingestion
    # keep those findings (found on the original text, before masking).
    guard = guard_for_shop(session, shop)
    return run_qc(frame, platform=shop.platform, guard=guard, workers=1, known_hits=known_hits(events))


def qc_report_html(result: QcResult) -> str:
    """The QC report as one self-contained HTML page."""
    from csguard.qc.report import render_html

    return render_html(result)


def qc_report_xlsx(result: QcResult) -> bytes:
    """The QC report workbook's bytes (the writer needs a path: a temporary folder holds it)."""
    import tempfile
    from pathlib import Path

    from csguard.qc.report import write_xlsx

    with tempfile.TemporaryDirectory(prefix="csguard-qc-") as folder:
        path = Path(folder) / "qc-report.xlsx"
        write_xlsx(result, path)
        return path.read_bytes()
