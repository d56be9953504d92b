"""The shipped data tables are exactly what scripts/build_char_tables.py generates."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("build_char_tables", ROOT / "scripts" / "build_char_tables.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_t2s_table_matches_opencc() -> None:
    pytest.importorskip("opencc")
    script = load_script()
    expected = script.render(script.build_pairs(script.opencc_dictionary_dir()))
    assert script.OUT.read_text(encoding="utf-8") == expected, "run scripts/build_char_tables.py"


def test_pinyin_table_agrees_with_pypinyin() -> None:
    # The table only spares pack loading a pypinyin import; a character missing from it is looked
    # up in pypinyin, so the table may lag behind the packs but must never disagree.
    from csguard.text.variants import _shipped_readings, pypinyin_readings

    table = _shipped_readings()
    assert len(table) > 500
    wrong = {ch: rs for ch, rs in table.items() if rs != pypinyin_readings(ch)}
    assert not wrong, "run scripts/build_char_tables.py"


def test_t2s_is_one_to_one() -> None:
    from csguard.text.tables import _data_pairs

    pairs = _data_pairs("t2s.tsv")
    assert pairs["現"] == "现" and pairs["轉"] == "转"
    assert all(len(s) == 1 and len(d) == 1 for s, d in pairs.items())
