"""Inspection of live chat events: checked once, at ingestion, on the ORIGINAL text.

Stored texts are masked (buyer phone numbers, IDs, addresses never persist), so checking them
later would miss exactly what masking removed — a phone number an agent sent. Events are
therefore checked before masking, through the same ``inspect_text`` an uploaded log's QC run
uses, and the findings are stored with the event (masked the same way). Every view and every
QC run over stored events reads those findings; only rows stored before this existed (findings
NULL) are checked from their stored text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

from csguard.guard import Guard
from csguard.privacy import mask_pii
from csguard.qc.textcheck import KnownHits, hit_rows, inspect_text
from csguard.results import CheckResult, Finding, TriageResult
from csguard.store.models import ChatEvent
from csguard.vocab import SENDERS, Verdict

BUYER_SENDER, AGENT_SENDER = SENDERS[0], SENDERS[1]
# Which guard call reads whose messages: agents' before they are sent, buyers' for triage.
MODE_BY_SENDER = {AGENT_SENDER: "check", BUYER_SENDER: "triage"}


def _stored_finding(finding: Finding, raw: str, masked: str) -> dict[str, Any]:
    stored = finding.to_dict()
    stored["matched"] = mask_pii(finding.matched)
    stored["normalized"] = mask_pii(finding.normalized)
    if len(masked) != len(raw):
        # Masking changed the text's length (an e-mail, an address): find the span again.
        start = masked.find(stored["matched"]) if stored["matched"] else -1
        stored["start"], stored["end"] = (start, start + len(stored["matched"])) if start >= 0 else (0, 0)
    return stored


def inspect_event(guard: Guard, sender: str, raw_text: str) -> tuple[str | None, list[dict[str, Any]] | None]:
    """(verdict, stored findings) for one event; (None, None) for messages nobody inspects."""
    mode = MODE_BY_SENDER.get(sender)
    if mode is None or not raw_text:
        return None, None
    inspected = inspect_text(guard, mode, raw_text)
    if inspected is None:
        return None, None
    findings, verdict = inspected
    masked = mask_pii(raw_text)
    return verdict, [_stored_finding(f, raw_text, masked) for f in findings]


def findings_of(stored: Sequence[dict[str, Any]]) -> list[Finding]:
    return [Finding(**item) for item in stored]


def check_result(guard: Guard, event: ChatEvent | Any) -> CheckResult:
    """An agent message's result: stored at ingestion, or (older rows) checked from its text."""
    if event.findings is None or event.verdict is None:
        return guard.check(event.text)
    verdict = cast(Verdict, event.verdict)  # written by inspect_event from a CheckResult
    return CheckResult(event.text, guard.platform, verdict, findings_of(event.findings), event.text)


def triage_result(guard: Guard, event: ChatEvent | Any) -> TriageResult:
    """A buyer message's triage: stored at ingestion, or (older rows) triaged from its text."""
    if event.findings is None or event.verdict is None:
        return guard.triage(event.text)
    findings = findings_of(event.findings)
    signals = list(dict.fromkeys(f.category for f in findings))
    return TriageResult(event.text, guard.platform, bool(signals), signals, findings)


def known_hits(events: Iterable[ChatEvent]) -> KnownHits:
    """Stored findings as the QC pipeline's per-text hit rows, so a QC run does not re-check them."""
    known: dict[str, dict[str, list[Any]]] = {mode: {} for mode in MODE_BY_SENDER.values()}
    for event in events:
        mode = MODE_BY_SENDER.get(event.sender)
        if mode is None or event.findings is None or event.verdict is None or not event.text:
            continue
        rows = hit_rows(event.text, findings_of(event.findings), event.verdict)
        known[mode].setdefault(event.text, rows)
    return known
