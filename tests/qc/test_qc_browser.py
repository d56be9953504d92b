"""The HTML report in headless chromium: no console errors, Plotly charts rendered."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from csguard import Guard
from csguard.qc.demo import generate_events
from csguard.qc.importers import import_records
from csguard.qc.report import write_html
from csguard.qc.runner import run_qc


@pytest.mark.browser
def test_report_renders_charts_without_console_errors(
    browser: Any, artifacts_dir: Path, tmp_path: Path, pdd_guard: Guard
) -> None:
    imported = import_records(generate_events(messages=2000, seed=5, days=3, start=date(2024, 5, 1)))
    report = write_html(run_qc(imported.frame, platform="pdd", guard=pdd_guard), tmp_path / "report.html")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # Block every network request: the report must need none.
    page.route("http*://**/*", lambda route: route.abort())
    try:
        page.goto(report.as_uri())
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=20_000)
        assert page.locator(".js-plotly-plot").count() == 3
        assert page.locator(".js-plotly-plot .main-svg").count() >= 3
        assert page.locator(".js-plotly-plot .scatterlayer .trace").count() >= 2  # rate line + 80 % line
        assert page.locator("h1").inner_text().startswith("客服质检周报")
        page.screenshot(path=str(artifacts_dir / "qc_report.png"), full_page=True)
    finally:
        page.close()
    assert errors == []
