"""Every example of every rule runs (Semgrep-style): match examples must hit the rule, no_match must not."""

from __future__ import annotations

from functools import lru_cache

import pytest

from csguard import Guard
from csguard.rulepacks.loader import all_rules
from csguard.rulepacks.schema import Rule

RULES = all_rules()


@lru_cache(maxsize=8)
def guard(platform: str) -> Guard:
    return Guard(platform=platform)


def _rule_ids(rule: Rule, text: str) -> set[str]:
    g = guard(rule.platforms[0])
    result = g.triage(text) if rule.direction == "inbound" else g.check(text)
    return {f.rule_id for f in result.findings}


CASES = [
    pytest.param(rule, kind, text, id=f"{rule.id}:{kind}:{n}")
    for _, rule in RULES
    for kind in ("match", "no_match")
    for n, text in enumerate(getattr(rule.examples, kind))
]


@pytest.mark.parametrize(("rule", "kind", "text"), CASES)
def test_rule_example(rule: Rule, kind: str, text: str) -> None:
    hit = rule.id in _rule_ids(rule, text)
    if kind == "match":
        assert hit, f"{rule.id} should flag: {text!r}"
    else:
        assert not hit, f"{rule.id} should not flag: {text!r}"


def test_every_rule_has_examples() -> None:
    """Meta-test: the schema demands two of each; this guards against a schema change dropping that."""
    assert RULES, "no rules loaded"
    for _, rule in RULES:
        assert len(rule.examples.match) >= 2, rule.id
        assert len(rule.examples.no_match) >= 2, rule.id


def test_there_is_real_coverage() -> None:
    terms = sum(len(r.terms) + (len(r.near.first) + len(r.near.then) if r.near else 0) for _, r in RULES)
    assert terms >= 500, f"only {terms} terms across the packs"
