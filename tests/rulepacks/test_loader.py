from __future__ import annotations

from pathlib import Path

import pytest

from csguard.errors import RulePackError
from csguard.rulepacks.loader import PACKS_DIR, build_ruleset, load_pack_file, pack_files

GOOD_RULE = """
  - id: custom.example
    category: offsite_diversion
    severity: high
    message: 这是一个测试规则
    suggestion: 换个说法
    references: [test]
    terms: [某某群]
    examples: {match: [加某某群, 进某某群], no_match: [你好, 再见]}
"""


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "extra.yaml"
    path.write_text("pack: extra\nrules:" + body, encoding="utf-8")
    return path


def test_a_bad_rule_names_file_line_rule_and_field(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_RULE + GOOD_RULE.replace("custom.example", "custom.bad").replace("high", "severe"))
    with pytest.raises(RulePackError) as err:
        load_pack_file(path)
    details = err.value.details
    assert details["rule_id"] == "custom.bad"
    assert details["field"] == "severity"
    assert details["line"] == 12
    assert "extra.yaml" in str(err.value)


def test_rules_without_enough_examples_are_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_RULE.replace("no_match: [你好, 再见]", "no_match: [你好]"))
    with pytest.raises(RulePackError, match=r"examples\.no_match"):
        load_pack_file(path)


def test_unknown_category_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_RULE.replace("offsite_diversion", "politics"))
    with pytest.raises(RulePackError, match="category"):
        load_pack_file(path)


def test_invalid_yaml_reports_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("pack: x\nrules:\n  - id: [unclosed\n", encoding="utf-8")
    with pytest.raises(RulePackError) as err:
        load_pack_file(path)
    assert err.value.details["line"] is not None


def test_duplicate_rule_ids_across_files_are_rejected(tmp_path: Path) -> None:
    write(tmp_path, GOOD_RULE.replace("custom.example", "offsite.wechat"))
    with pytest.raises(RulePackError, match="duplicate id"):
        pack_files([tmp_path])


def test_extra_pack_folders_load_with_the_shipped_ones(tmp_path: Path) -> None:
    write(tmp_path, GOOD_RULE)
    files = pack_files([tmp_path])
    ruleset = build_ruleset("pdd", files)
    assert "custom.example" in {r.id for r in ruleset.rules}


def test_overlays_switch_platform_names() -> None:
    files = pack_files()
    pdd = {r.id for r in build_ruleset("pdd", files).rules}
    taobao = {r.id for r in build_ruleset("taobao", files).rules}
    assert "offsite.platform_alibaba" in pdd and "offsite.platform_alibaba" not in taobao
    assert "offsite.platform_pdd" in taobao and "offsite.platform_pdd" not in pdd


def test_every_shipped_pack_file_is_valid() -> None:
    for path in sorted(PACKS_DIR.rglob("*.yaml")):
        load_pack_file(path)
