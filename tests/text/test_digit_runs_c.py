"""The C digit-run scanner agrees with the Python definition (recognizers/digits.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csguard.text.recognizers.digits import DigitRun, digit_runs_py

scan = pytest.importorskip("csguard._scan")

PIECES = ["1", "3", "8", "0", "9", "一", "三", "八", "幺", "洞", "零", "〇", " ", "-", ".", "_", "%", "*", "—",
          "a", "x", "sf", "号", "电话", "，", "\u3000", "①", "?", "卡"]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60))
def test_c_digit_runs_match_python(pieces: list[str]) -> None:
    folded = "".join(pieces)
    assert [DigitRun(*r) for r in scan.digit_runs(folded)] == digit_runs_py(folded)


@pytest.mark.parametrize(
    "folded",
    ["13812345678", "1 3 8-1234 5678", "sf1234567890123", "138****5678", "一三八一二三四五六七八", "12345 6", "a1234567", ""],
)
def test_c_digit_runs_examples(folded: str) -> None:
    assert [DigitRun(*r) for r in scan.digit_runs(folded)] == digit_runs_py(folded)
