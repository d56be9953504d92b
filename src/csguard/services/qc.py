"""Quality inspection of an uploaded chat log, as ``csguard qc`` runs it: import, inspect,
write the reports and push the alerts. The CLI parses options, calls these and prints.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from csguard.qc.alerts import NotifyOutcome
    from csguard.qc.config import QcConfig
    from csguard.qc.importers import ImportResult
    from csguard.qc.runner import QcResult


def import_log(
    log: Path, *, mapping: Path | None, config: Path | None, shop: str | None, default_platform: str
) -> tuple[ImportResult, QcConfig]:
    """The log's valid events (and its rejected rows) and the QC config; raises ``CsguardError``."""
    from csguard.qc.config import QcConfig, load_config
    from csguard.qc.importers import import_file, load_mapping

    qc_config = load_config(config) if config else QcConfig()
    rules = load_mapping(mapping) if mapping else None
    imported = import_file(log, mapping=rules, default_shop=shop, default_platform=default_platform)
    return imported, qc_config


def log_platform(imported: ImportResult, default: str) -> str:
    """The log's own platform when it has just one, else ``default``."""
    platforms = imported.frame.get_column("platform").unique().to_list()
    return str(platforms[0]) if len(platforms) == 1 else default


def inspect_log(
    imported: ImportResult, platform: str, qc_config: QcConfig, max_chars: int | None = None
) -> tuple[QcResult, int]:
    """The QC result over the log's ``platform`` events, and how many other-platform events were
    skipped; messages longer than ``max_chars`` (the guard's default when None) are not checked."""
    import polars as pl

    from csguard.qc.runner import make_guard, run_qc

    frame = imported.frame.filter(pl.col("platform") == platform)
    skipped = imported.frame.height - frame.height
    guard = make_guard(platform, qc_config, max_chars)
    summary = imported.summary()
    return run_qc(frame, platform=platform, config=qc_config, guard=guard, import_summary=summary), skipped


def write_reports(
    result: QcResult, *, html: Path | None, xlsx: Path | None, json_out: Path | None
) -> list[tuple[str, Path]]:
    """Write the asked-for reports; (kind, path) of each written, in that order."""
    from csguard.qc.report import write_html, write_xlsx

    written: list[tuple[str, Path]] = []
    if html:
        written.append(("html", write_html(result, html)))
    if xlsx:
        written.append(("xlsx", write_xlsx(result, xlsx)))
    if json_out:
        json_out.write_text(json.dumps(result.to_json_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
        written.append(("json", json_out))
    return written


def send_alerts(result: QcResult, urls: Iterable[str], kind: str, secret: str | None) -> list[NotifyOutcome]:
    """Post the result's alerts to every webhook (none posted when there are no alerts)."""
    from csguard.qc.alerts import NotifyTarget, notify

    if not result.alerts:
        return []
    return notify(result.alerts, [NotifyTarget(kind, url, secret) for url in urls])


def summary_facts(result: QcResult) -> dict[str, Any]:
    from csguard.qc.tables import summary

    return summary(result)


def category_label(code: str | None) -> str:
    from csguard.qc.tables import label

    return label(code)


def write_demo_events(
    out: Path, *, shop: str, platform: str, days: int, messages: int, seed: int, start: date | None
) -> bool:
    """Deterministic synthetic traffic to a .jsonl or .csv file; False for any other suffix."""
    from csguard.qc.demo import generate_events
    from csguard.qc.events import CANONICAL_FIELDS

    suffix = out.suffix.lower()
    if suffix not in (".csv", ".jsonl", ".ndjson"):
        return False
    events = generate_events(shop=shop, platform=platform, days=days, messages=messages, seed=seed, start=start)
    if suffix == ".csv":
        with out.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=CANONICAL_FIELDS)
            writer.writeheader()
            writer.writerows(events)
    else:
        with out.open("w", encoding="utf-8") as handle:
            for event in events:
                handle.write(json.dumps(event, ensure_ascii=False) + "\n")
    return True
