"""run_qc output: the documented JSON structure, the HTML report and the Excel workbook."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from csguard import Guard
from csguard.qc.demo import generate_events
from csguard.qc.importers import import_records
from csguard.qc.report import render_html, write_html, write_xlsx
from csguard.qc.runner import QcResult, run_qc
from csguard.qc.scoring import grade, score

DEMO_PHONE_PREFIXES = ("13812345678", "13912345678", "13987654321")


@pytest.fixture(scope="module")
def demo_events() -> list[dict[str, Any]]:
    return list(generate_events(messages=3000, seed=3, days=4, start=date(2024, 5, 1)))


@pytest.fixture(scope="module")
def result(demo_events: list[dict[str, Any]], pdd_guard: Guard) -> QcResult:
    imported = import_records(demo_events)
    return run_qc(imported.frame, platform="pdd", guard=pdd_guard, import_summary=imported.summary())


def test_json_structure(result: QcResult) -> None:
    data = json.loads(json.dumps(result.to_json_dict(), ensure_ascii=False))
    assert data["version"] == 1 and data["platform"] == "pdd"
    assert data["import"]["imported"] == 3000
    assert data["period"] == {"start": "2024-05-01", "end": data["metrics"][-1]["date"]}
    for row in data["metrics"]:
        assert {
            "date",
            "agent",
            "consultations",
            "late",
            "reply_rate_3min",
            "avg_first_response_s",
        } <= row.keys()
    shop_days = [r for r in data["metrics"] if r["agent"] is None]
    assert len(shop_days) >= 4
    assert any(r["agent"] == "小美" for r in data["metrics"])
    kinds = {f["kind"] for f in data["findings"]}
    assert kinds == {"violation", "risk", "passive", "privacy"}
    for finding in data["findings"]:
        assert {"kind", "category", "conversation_id", "message_id", "agent"} <= finding.keys()
    assert {a["agent"] for a in data["agents"]} == {"小美", "阿杰", "婷婷", "大伟", "晓雯"}
    assert data["training"] and all(t["topic"] and t["advice"] for t in data["training"])


def test_buyer_pii_never_reaches_outputs(result: QcResult, tmp_path: Path) -> None:
    dumped = json.dumps(result.to_json_dict(), ensure_ascii=False) + render_html(result)
    for phone in DEMO_PHONE_PREFIXES:
        assert phone not in dumped
    assert "****" in dumped


def test_html_report_is_self_contained_chinese(result: QcResult, tmp_path: Path) -> None:
    html = write_html(result, tmp_path / "report.html").read_text(encoding="utf-8")
    assert "客服质检周报" in html and "客服评分" in html and "培训建议" in html and "高风险会话" in html
    assert "<script src=" not in html and "<link" not in html  # nothing fetched from a CDN
    assert html.count("plotly.js v") == 1  # the Plotly bundle is inlined exactly once
    assert html.count('class="plotly-graph-div"') == 3


def test_xlsx_has_the_same_tables(result: QcResult, tmp_path: Path) -> None:
    path = write_xlsx(result, tmp_path / "report.xlsx")
    workbook = load_workbook(path, read_only=True)
    assert workbook.sheetnames == [
        "概览",
        "健康提醒",
        "每日全店指标",
        "客服评分",
        "培训建议",
        "高频风险词",
        "高风险会话",
        "质检明细",
    ]
    details = list(workbook["质检明细"].iter_rows(values_only=True))
    assert len(details) == len(result.findings) + 1  # every finding, not only the HTML's latest ones
    scores = list(workbook["客服评分"].iter_rows(values_only=True))
    assert scores[0][:3] == ("客服", "得分", "等级") and len(scores) == 6


def test_score_formula() -> None:
    # docs/qc.md: 100 - 50*(1-0.9) - 5*min(2,10) - 2*min(3,10) - 10*min(0.5,2) = 74
    assert score(0.9, 2, 3, 0.5) == 74.0
    assert score(None, 0, 0, 0) == 100.0
    assert score(0.0, 50, 50, 50) == 0.0
    assert [grade(v) for v in (95, 80, 60, 59.9)] == ["优秀", "良好", "合格", "需改进"]


def test_empty_log_still_reports(tmp_path: Path, pdd_guard: Guard) -> None:
    import polars as pl

    from csguard.qc.validation import EMPTY_SCHEMA

    empty = run_qc(pl.DataFrame(schema=EMPTY_SCHEMA), platform="pdd", guard=pdd_guard)
    assert (empty.metrics, empty.findings, empty.alerts, empty.period) == ([], [], [], (None, None))
    assert "暂无" in render_html(empty)
    assert write_xlsx(empty, tmp_path / "empty.xlsx").stat().st_size > 0
