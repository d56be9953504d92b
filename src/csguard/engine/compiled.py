"""Compile a platform's rule set (plus a shop's custom and allow words) into one automaton.

Every string the engine looks for — rule terms and their spellings, near-groups, allow words,
entity context markers and recognizer triggers — goes into ONE Aho-Corasick automaton over the
compact text, so a clean message costs one scan.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from functools import cached_property
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from csguard.engine import speedups
from csguard.engine.context import negation_hint, word_pattern
from csguard.engine.speedups import pattern_flags
from csguard.errors import InvalidInput
from csguard.results import OUTBOUND_CATEGORIES, SEVERITY_RANK
from csguard.rulepacks.loader import RuleSet
from csguard.rulepacks.schema import CategoryId, Examples, Rule, SeverityId
from csguard.text.matcher import AhoCorasickMatcher, Matcher
from csguard.text.normalize import normalize_term
from csguard.text.recognizers import Recognizer, recognizers
from csguard.text.variants import expand
from csguard.vocab import OFFSITE_DIVERSION, PLATFORMS


class Role(IntEnum):
    TERM = 1
    FIRST = 2
    THEN = 3
    ALSO = 7
    ALLOW = 4  # rule-level allow word (rule index set) or global allow word (rule -1)
    CONTEXT = 5
    TRIGGER = 6


@dataclass(frozen=True, slots=True, eq=False)  # compared and hashed by identity: one object per reference
class PatternRef:
    role: Role
    rule: int  # index into CompiledRules.rules; -1 when not tied to one rule
    source: str  # the word as written in the pack, or a context/entity name
    kind: str  # literal | pinyin | homophone | ...
    latin_start: bool
    latin_end: bool
    short_latin: bool  # a 1-3 letter abbreviation (sb, qq, tb): easily part of an English word
    digit_start: bool
    digit_end: bool
    edgy: bool = False  # any of the edge checks above applies

    def __post_init__(self) -> None:
        edgy = self.latin_start or self.latin_end or self.short_latin or self.digit_start or self.digit_end
        object.__setattr__(self, "edgy", edgy)


# Recognizers run only when one of these strings is in the compact text (or digits are).
ENTITY_TRIGGERS: dict[str, tuple[str, ...]] = {
    "url": ("http", "www", "com", "cn", "net", "top", "cc", "xyz", "vip", "shop", "club", "site", "info",
            "io", "me", "co", "ink", "link", "ly", "tv", "app", "store", "online", "fun", "wang", "ren",
            "org", "tk", "ml", "so", "la", "im", "gl", "gd", "hk", "tw", "us", "biz", "live", "pro", "icu",
            "work", "asia", "mobi"),
    "email": ("艾特",),
    "qq": ("qq", "扣扣", "企鹅", "球球", "q号"),
    "wechat_id": ("微", "薇", "威", "徽", "v", "wx", "weixin", "wechat", "卫星"),
    "address": ("号", "栋", "幢", "楼", "室", "单元", "弄"),
}
DIGIT_ENTITIES = ("phone", "landline", "id_card", "bank_card")
# Triggers that are noise in the compact text, looked up in the folded text instead.
FOLDED_TRIGGERS: dict[str, str] = {"email": "@"}


@dataclass(frozen=True, slots=True)
class PatternSummary:
    """What a pattern can lead to, so a message whose hits lead nowhere is dismissed at once."""

    terms: tuple[int, ...]
    firsts: tuple[int, ...]
    thens: tuple[int, ...]
    triggers: tuple[str, ...]
    contexts: tuple[str, ...]


@dataclass(frozen=True)
class CustomWord:
    """A shop's own banned word."""

    word: str
    category: str = OFFSITE_DIVERSION
    severity: str = "high"
    message: str = "店铺自定义违禁词"
    suggestion: str = "请换一种说法"


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


@dataclass
class CompiledRules:
    ruleset: RuleSet
    rules: list[Rule]
    direction: str
    patterns: list[str] = field(default_factory=list)
    refs: list[list[PatternRef]] = field(default_factory=list)
    entity_rules: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    negators: tuple[str, ...] = ()
    disavowals: tuple[str, ...] = ()
    own_domains: tuple[str, ...] = ()
    summaries: list[PatternSummary] = field(default_factory=list)
    # Per pattern index, its references by what evaluation does with them.
    allow_refs: list[tuple[PatternRef, ...]] = field(default_factory=list)
    term_refs: list[tuple[PatternRef, ...]] = field(default_factory=list)  # term and near-pair words
    context_names: list[tuple[str, ...]] = field(default_factory=list)
    negator_re: re.Pattern[str] = field(default_factory=lambda: re.compile("(?!)"))
    disavowal_re: re.Pattern[str] = field(default_factory=lambda: re.compile("(?!)"))
    negation_hint_re: re.Pattern[str] = field(default_factory=lambda: re.compile("(?!)"))
    # Per pattern index, for the batch path's vectorized triage of messages.
    term_patterns: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    near_patterns: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    trigger_patterns: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    url_patterns: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    # An address only matters next to a third-party marker (or a number, caught by the digit check).
    address_patterns: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    third_party_patterns: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    recognizers: dict[str, Recognizer] = field(default_factory=dict)
    # (entity, recognizer, gate bits, needs its own trigger): which recognizers the scanner's gates run.
    gated_recognizers: list[tuple[str, Recognizer, int, bool]] = field(default_factory=list)
    # Entities with a rule that reads context markers (when/unless); the others skip that work.
    contextual_entities: frozenset[str] = frozenset()
    # Common two-character words (folded) that a short term can straddle, and per rule index its
    # unless_around contexts as (before, after, within): engine.context reads both. around_words finds
    # any of a rule's context words in a message, so most messages skip the per-hit reading.
    words: frozenset[str] = frozenset()
    around_words: dict[int, re.Pattern[str]] = field(default_factory=dict)
    edge_patterns: frozenset[int] = frozenset()  # two-character patterns some common word can overlap
    arounds: dict[int, tuple[tuple[re.Pattern[str], re.Pattern[str], int], ...]] = field(default_factory=dict)
    scanner: Any = None  # the C hot path (engine.speedups), None without the extension
    _index: dict[str, int] = field(default_factory=dict)

    @cached_property
    def matcher(self) -> Matcher:
        # Built on first use: with the C scanner the per-message path never needs it.
        return AhoCorasickMatcher(self.patterns)

    def finish(self) -> None:
        for refs in self.refs:
            self.summaries.append(
                PatternSummary(
                    terms=tuple(r.rule for r in refs if r.role is Role.TERM),
                    firsts=tuple(r.rule for r in refs if r.role is Role.FIRST),
                    thens=tuple(r.rule for r in refs if r.role is Role.THEN),
                    triggers=tuple(r.source for r in refs if r.role is Role.TRIGGER),
                    contexts=tuple(r.source for r in refs if r.role is Role.CONTEXT),
                )
            )
        self.allow_refs = [tuple(r for r in refs if r.role is Role.ALLOW) for refs in self.refs]
        words = (Role.TERM, Role.FIRST, Role.THEN, Role.ALSO)
        self.term_refs = [tuple(r for r in refs if r.role in words) for refs in self.refs]
        self.context_names = [tuple(r.source for r in refs if r.role is Role.CONTEXT) for refs in self.refs]
        self.term_patterns = np.array([bool(s.terms) for s in self.summaries], dtype=bool)
        self.near_patterns = np.array([bool(s.firsts or s.thens) for s in self.summaries], dtype=bool)
        self.trigger_patterns = np.array([bool({"qq", "wechat_id"} & set(s.triggers)) for s in self.summaries], dtype=bool)
        self.url_patterns = np.array([bool({"url", "email"} & set(s.triggers)) for s in self.summaries], dtype=bool)
        self.address_patterns = np.array(["address" in s.triggers for s in self.summaries], dtype=bool)
        self.third_party_patterns = np.array(["third_party" in s.contexts for s in self.summaries], dtype=bool)
        self.recognizers = {entity: recognizers.get(entity)() for entity in self.entity_rules}
        self.gated_recognizers = [
            (entity, recognizer, *speedups.recognizer_gate(entity)) for entity, recognizer in self.recognizers.items()
        ]
        self.contextual_entities = frozenset(
            entity
            for entity, rule_ids in self.entity_rules.items()
            if any(self.rules[i].entity.when or self.rules[i].entity.unless for i in rule_ids)  # type: ignore[union-attr]
        )
        self.negator_re = word_pattern(self.negators)
        self.disavowal_re = word_pattern(self.disavowals)
        self.negation_hint_re = negation_hint(self.negators, self.disavowals)
        flags = [
            pattern_flags(summary, any(r.role is Role.ALLOW and r.rule == -1 for r in refs))
            for summary, refs in zip(self.summaries, self.refs, strict=True)
        ] if speedups.AVAILABLE else []
        self.scanner = speedups.build_scanner(self.patterns, flags, set(self.recognizers))

    def add(self, text: str, ref: PatternRef) -> None:
        pattern = normalize_term(text)
        if not pattern:
            return
        if pattern not in self._index:
            self._index[pattern] = len(self.patterns)
            self.patterns.append(pattern)
            self.refs.append([])
        self.refs[self._index[pattern]].append(ref)

    def add_word(self, text: str, role: Role, rule: int, source: str, kind: str = "literal") -> None:
        p = normalize_term(text)
        if p:
            short = p.isascii() and p.isalnum() and len(p) <= 3 and any(ch.isalpha() for ch in p)
            ref = PatternRef(
                role, rule, source, kind, _is_latin(p[0]), _is_latin(p[-1]), short, p[0].isdigit(), p[-1].isdigit()
            )
            self.add(text, ref)


def _custom_rules(words: Iterable[CustomWord]) -> list[Rule]:
    """One rule per (category, severity, message, suggestion): a shop may have thousands of words."""
    groups: dict[tuple[str, str, str, str], list[str]] = {}
    for cw in words:
        groups.setdefault((cw.category, cw.severity, cw.message, cw.suggestion), []).append(cw.word)
    rules = []
    for n, ((category, severity, message, suggestion), terms) in enumerate(groups.items()):
        rules.append(
            Rule.model_construct(
                id=f"custom.{category}.{severity}" + (f".{n}" if n else ""),
                category=cast(CategoryId, category),  # validated by coerce_custom_words
                severity=cast(SeverityId, severity),
                platforms=list(PLATFORMS),  # type: ignore[arg-type]  # get_args(Platform)
                message=message,
                suggestion=suggestion,
                replacement=None,
                references=["店铺自定义词库"],
                terms=terms,
                near=None,
                entity=None,
                pinyin=False,
                homophones=False,
                negatable=False,
                allow=[],
                also_signal=None,
                examples=Examples.model_construct(match=terms[:2], no_match=[]),
            )
        )
    return rules


def coerce_custom_words(words: Iterable[object]) -> list[CustomWord]:
    out: list[CustomWord] = []
    for n, w in enumerate(words):
        if isinstance(w, CustomWord):
            cw = w
        elif isinstance(w, str) and w.strip():
            cw = CustomWord(w.strip())
        elif isinstance(w, dict) and isinstance(w.get("word"), str) and w["word"].strip():
            try:
                cw = CustomWord(**w)
            except TypeError as exc:
                raise InvalidInput(f"custom_words[{n}]: {exc}", details={"field": f"custom_words[{n}]"}) from exc
        else:
            raise InvalidInput(
                f"custom_words[{n}] must be a non-empty string or {{'word': ...}}",
                details={"field": f"custom_words[{n}]"},
            )
        if cw.category not in OUTBOUND_CATEGORIES:
            raise InvalidInput(
                f"custom_words[{n}].category {cw.category!r} is not one of {', '.join(OUTBOUND_CATEGORIES)}",
                details={"field": f"custom_words[{n}].category"},
            )
        if cw.severity not in SEVERITY_RANK:
            raise InvalidInput(
                f"custom_words[{n}].severity {cw.severity!r} is not one of critical, high, medium, low",
                details={"field": f"custom_words[{n}].severity"},
            )
        if not normalize_term(cw.word):
            raise InvalidInput(
                f"custom_words[{n}] {cw.word!r} has no letters, digits or characters left after normalization",
                details={"field": f"custom_words[{n}]"},
            )
        out.append(cw)
    return out


def compile_rules(
    ruleset: RuleSet,
    *,
    direction: str,
    custom_words: Iterable[CustomWord] = (),
    allow_words: Iterable[str] = (),
) -> CompiledRules:
    def wanted(rule: Rule) -> bool:
        return rule.direction == direction or (direction == "inbound" and rule.also_signal is not None)

    rules = [r for r in ruleset.rules if wanted(r)]
    if direction == "outbound":
        rules += _custom_rules(custom_words)
    c = CompiledRules(ruleset=ruleset, rules=rules, direction=direction, negators=ruleset.negators,
        disavowals=ruleset.disavowals, own_domains=ruleset.own_domains,
        words=frozenset(normalize_term(w) for w in ruleset.words))
    for i, rule in enumerate(rules):
        groups: list[tuple[Role, list[str]]] = []
        if rule.terms:
            groups.append((Role.TERM, rule.terms))
        if rule.near:
            groups += [(Role.FIRST, rule.near.first), (Role.THEN, rule.near.then), (Role.ALSO, rule.near.also)]
        for role, words in groups:
            for word in words:
                for spelling, kind in expand(word, use_pinyin=rule.pinyin, use_homophones=rule.homophones):
                    c.add_word(spelling, role, i, word, kind)
        for word in rule.allow:
            c.add_word(word, Role.ALLOW, i, word)
        if rule.unless_around:
            c.arounds[i] = tuple(
                (word_pattern(tuple(normalize_term(w) for w in a.before)),
                 word_pattern(tuple(normalize_term(w) for w in a.after)), a.within)
                for a in rule.unless_around
            )
            c.around_words[i] = word_pattern(
                tuple(normalize_term(w) for a in rule.unless_around for w in (*a.before, *a.after))
            )
        if rule.entity:
            c.entity_rules[rule.entity.type].append(i)
            for needed in [*rule.entity.with_entities, *rule.entity.unless_entities]:
                c.entity_rules.setdefault(needed, [])
    for word in [*ruleset.allow, *allow_words]:
        c.add_word(word, Role.ALLOW, -1, word)
    for name, markers in ruleset.contexts.items():
        for marker in markers:
            c.add_word(marker, Role.CONTEXT, -1, name)
    for entity_name in c.entity_rules:
        if entity_name not in recognizers.names():
            raise InvalidInput(f"no recognizer for entity {entity_name!r}")
        for trigger in ENTITY_TRIGGERS.get(entity_name, ()):
            c.add_word(trigger, Role.TRIGGER, -1, entity_name)
    # Only these patterns can straddle a word boundary: the per-hit check is a set lookup for the rest.
    lefts, rights = {w[-1] for w in c.words}, {w[0] for w in c.words}
    c.edge_patterns = frozenset(
        i for i, p in enumerate(c.patterns) if len(p) == 2 and (p[0] in lefts or p[1] in rights)
    )
    c.finish()
    return c
