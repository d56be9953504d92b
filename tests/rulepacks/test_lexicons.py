"""Pack lexicons ("@name") and the family readings a rule opts into: negation_on, unless_question, unless."""

from __future__ import annotations

from pathlib import Path

import pytest

from csguard.engine.compiled import compile_rules
from csguard.engine.evaluate import evaluate_text
from csguard.errors import RulePackError
from csguard.rulepacks.loader import build_ruleset, pack_files

FAMILY = """pack: extra
negators: [不能, 不是]
lexicons:
  ailment: [脚气, 失眠]
  cure: [治好, 不再]
rules:
  - id: custom.cure
    category: false_or_fraud
    severity: high
    message: 这是一个测试规则
    suggestion: 换个说法
    references: [test]
    near: {first: ["@ailment"], then: ["@cure"], within: 6, ordered: false, negation_on: NEGATION_ON}
    negatable: true
    unless_question: true
    unless: [官方说明]
    examples: {match: [能治好脚气, 吃了不再失眠], no_match: [你好, 再见]}
"""


def _hits(tmp_path: Path, negation_on: str, texts: list[str]) -> list[bool]:
    files = pack_files([_write(tmp_path, FAMILY.replace("NEGATION_ON", negation_on))])
    compiled = compile_rules(build_ruleset("pdd", files), direction="outbound")
    return [any(f.rule_id == "custom.cure" for f in evaluate_text(compiled, t)) for t in texts]


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "extra.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_a_lexicon_reference_expands_to_its_words(tmp_path: Path) -> None:
    files = pack_files([_write(tmp_path, FAMILY.replace("NEGATION_ON", "then"))])
    rule = next(r for _, f in files for r in f.rules if r.id == "custom.cure")
    assert rule.near is not None
    assert rule.near.first == ["脚气", "失眠"]
    assert rule.near.then == ["治好", "不再"]


def test_an_unknown_lexicon_names_file_rule_and_field(tmp_path: Path) -> None:
    text = FAMILY.replace("NEGATION_ON", "then").replace('first: ["@ailment"]', 'first: ["@nosuch"]')
    with pytest.raises(RulePackError) as err:
        pack_files([_write(tmp_path, text)])
    assert err.value.details["rule_id"] == "custom.cure"
    assert err.value.details["field"] == "near.first"
    assert "@nosuch" in str(err.value)


def test_a_lexicon_defined_twice_is_rejected(tmp_path: Path) -> None:
    shipped = "disease"  # family_medical.yaml defines it
    text = FAMILY.replace("NEGATION_ON", "then").replace("  ailment:", f"  {shipped}:").replace("@ailment", f"@{shipped}")
    with pytest.raises(RulePackError, match="defined twice"):
        pack_files([_write(tmp_path, text)])


def test_a_lexicon_may_not_refer_to_another(tmp_path: Path) -> None:
    text = FAMILY.replace("NEGATION_ON", "then").replace("cure: [治好, 不再]", 'cure: [治好, "@ailment"]')
    with pytest.raises(RulePackError, match="lexicons"):
        pack_files([_write(tmp_path, text)])


def test_negation_on_then_reads_the_verb_not_the_symptom(tmp_path: Path) -> None:
    texts = ["吃了不再失眠", "不能治好脚气", "这个能治好脚气"]
    # 不再 is the claim; 不能 before the verb disclaims it.
    assert _hits(tmp_path, "then", texts) == [True, False, True]


def test_negation_on_any_cancels_on_either_word(tmp_path: Path) -> None:
    # The default reading: a negation before either word (不再's own 不 is not before it) cancels.
    assert _hits(tmp_path, "any", ["不是脚气，是吃了不再失眠", "不能治好脚气"]) == [True, False]


def test_a_question_asks_and_does_not_claim(tmp_path: Path) -> None:
    texts = ["这个能治好脚气吗？", "能不能治好脚气", "能治好脚气？", "能治好脚气，还有什么问题吗？"]
    assert _hits(tmp_path, "then", texts) == [False, False, False, True]


def test_unless_words_in_the_sentence_dismiss_the_hit(tmp_path: Path) -> None:
    texts = ["官方说明：能治好脚气", "能治好脚气。官方说明在详情页"]
    assert _hits(tmp_path, "then", texts) == [False, True]
