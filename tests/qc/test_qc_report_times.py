"""Issue 12: the QC report (HTML and Excel) and alert texts show the shop's local time, never UTC/ISO."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from csguard import Guard
from csguard.qc.alerts import AlertThresholds, evaluate
from csguard.qc.importers import import_records
from csguard.qc.report import render_html, write_xlsx
from csguard.qc.runner import QcResult, run_qc

ISO_OR_UTC = re.compile(r"\dT\d\d:\d\d|\+00:00")
# 07:31 in Beijing is 23:31 UTC the day before; the report was generated at 15:01 UTC, 23:01 in Beijing.
SHIFTED = re.compile(r"(?<![\d:])(23:3[1-4]|15:01)|2026-12-03")


def _records() -> list[dict[str, Any]]:
    lines = [
        ("buyer", "", "在吗，什么时候发货", "07:31:00"),
        ("agent", "小美", "加我微信abc123详聊", "07:32:00"),
        ("buyer", "", "不退款我就去12315投诉", "07:33:00"),
        ("agent", "小美", "亲，马上为您处理", "07:34:00"),
    ]
    return [
        {
            "shop": "好物小店",
            "platform": "pdd",
            "conversation_id": "c1",
            "buyer_id": "b1",
            "message_id": f"m{i}",
            "ts": f"2026-12-04T{clock}+08:00",
            "sender": sender,
            "agent": agent or None,
            "type": "text",
            "text": text,
        }
        for i, (sender, agent, text, clock) in enumerate(lines)
    ]


@pytest.fixture(scope="module")
def result(pdd_guard: Guard) -> QcResult:
    imported = import_records(_records())
    ran = run_qc(imported.frame, platform="pdd", guard=pdd_guard, import_summary=imported.summary())
    return dataclasses.replace(ran, generated_at="2026-12-04T15:01:11+00:00")


def _visible(html: str) -> str:
    # Plotly's inlined library and chart data are code, not text the seller reads.
    return re.sub(r"<script.*?</script>", "", html, flags=re.DOTALL)


def test_html_report_times_are_beijing_local(result: QcResult) -> None:
    html = _visible(render_html(result))
    assert "生成时间 2026-12-04 23:01（北京时间）" in html
    assert "2026-12-04 07:32" in html  # the agent's violation in the detail table
    assert not ISO_OR_UTC.search(html), ISO_OR_UTC.search(html)
    assert not SHIFTED.search(html), SHIFTED.search(html)


def test_xlsx_report_times_are_beijing_local(result: QcResult, tmp_path: Path) -> None:
    book = load_workbook(write_xlsx(result, tmp_path / "qc.xlsx"), read_only=True)
    cells = [
        str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v
    ]
    overview = dict(row[:2] for row in book["概览"].iter_rows(values_only=True))
    assert overview["生成时间"] == "2026-12-04 23:01（北京时间）"
    assert any("2026-12-04 07:32" in c for c in cells)
    text = "\n".join(cells)
    assert not ISO_OR_UTC.search(text) and not SHIFTED.search(text)


def test_alert_texts_use_local_dates_and_no_utc_time(result: QcResult) -> None:
    alerts = evaluate(result, AlertThresholds(max_violations_per_day=0, max_complaint_signals_per_day=0))
    assert alerts and all(a.date == "2026-12-04" for a in alerts)
    text = "\n".join(a.message for a in alerts)
    assert not ISO_OR_UTC.search(text) and not SHIFTED.search(text)
