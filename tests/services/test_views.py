"""Page views built in the service layer: the web and the API render them, never compute them."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from csguard.services import metrics, records, views
from csguard.services.dashboard import Window
from csguard.store.models import Shop

WEEK = Window.days(date(2026, 3, 1), date(2026, 3, 7), "Asia/Shanghai")


def test_overview_of_a_quiet_shop_measures_against_the_shops_target(session: Session, shop: Shop) -> None:
    view = views.overview_view(session, shop, WEEK, date(2026, 3, 7))
    assert view.target == views.shop_sla_config(shop).target_rate
    assert view.week_rate.rate is None and view.daily == [] and view.violations == 0
    assert view.risky == [] and view.risky_total == 0


def test_unknown_conversation_has_no_view(session: Session, shop: Shop) -> None:
    assert records.conversation_view(session, shop.id, "no-such-conversation") is None


def test_qc_report_files_come_from_one_place(session: Session, shop: Shop) -> None:
    result = metrics.qc_result(session, shop, since=WEEK.start, until=WEEK.end)
    assert metrics.qc_report_xlsx(result)[:2] == b"PK"  # a zip: the workbook
    assert "<html" in metrics.qc_report_html(result).lower()
