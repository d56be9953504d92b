"""Evaluate one message against compiled rules: hits -> filtered candidates -> findings."""

from __future__ import annotations

import re
from collections import defaultdict

from csguard.engine.candidates import Candidate
from csguard.engine.compiled import DIGIT_ENTITIES, FOLDED_TRIGGERS, CompiledRules, PatternRef, Role
from csguard.engine.context import inside_link, negated, straddles, surrounded
from csguard.engine.entities import entity_candidates
from csguard.engine.explain import explain_entity, explain_term
from csguard.engine.families import dismissed, negation_spans
from csguard.engine.speedups import (
    G_ONE_TO_ONE,
    G_RECOGNIZERS,
    G_TERMS,
    G_TRIGGERED,
    G_TWO_WAY,
)
from csguard.results import Finding
from csguard.rulepacks.schema import Rule
from csguard.text.normalize import Normalized, normalize_term
from csguard.text.tables import TWO_WAY_SYMBOLS

# Seven or more digits in a row in the compact text (noise between digits is already gone).
_DIGITS_RE = re.compile(r"[0-9零〇一二三四五六七八九幺洞]{7}")
_ANY_DIGIT_RE = re.compile(r"[0-9零〇一二三四五六七八九幺洞]")
_DOT_LIKE_RE = re.compile(r"[.。点]|dot|http|www")
# A number a masked chat log replaced by a placeholder ([数字x], [数字], [金额]) right beside a hit.
_MASKED_NUMBER_BEFORE = re.compile(r"\[(?:数字|金额)x?\]$")
_MODEL_CODE_AFTER = re.compile(r"(?:\d+|\[(?:数字|金额)x?\])[A-Za-z]")
_NUMBER_LABEL = re.compile(r"(?:尾号|单号|订单号|编号|型号|货号|号码)[是为:：\s]*$")


def _edges_ok(norm: Normalized, ref: PatternRef, start: int, end: int) -> bool:
    """A term must not be the middle of a longer Latin word or number (the compact text joins them)."""
    text = norm.original
    if ref.latin_start and start > 0 and text[start - 1].isascii() and text[start - 1].isalpha():
        return False
    if ref.latin_end and end < len(text) and text[end].isascii() and text[end].isalpha():
        return False
    if ref.digit_start and ref.digit_end and _NUMBER_LABEL.search(text, max(0, start - 8), start):
        return False  # "尾号是12315" is an order number, not the complaints hotline
    if ref.digit_start and start > 0 and text[start - 1].isdigit():
        return False  # "1688" inside an order number is no platform name
    if ref.digit_end and end < len(text) and text[end].isdigit():
        return False
    if ref.short_latin:
        # sb, qq, tb, zz: an abbreviation, unless it sits among English words or numbers ("Nike SB Dunk",
        # "2TB") or starts a model code (NC32F; not qq123456), also where a masked log put a placeholder
        # for the number ("[数字x]TB", "NC[数字x]F").
        head = text[:start].rstrip()
        before = head[-1:]
        after = text[end:].lstrip()[:1]
        if (before.isascii() and before.isalnum()) or (after.isascii() and after.isalpha()):
            return False
        if _MASKED_NUMBER_BEFORE.search(head) or _MODEL_CODE_AFTER.match(text, end):
            return False
    return not inside_link(text, start, end)


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    for s, e in spans:  # noqa: SIM110 - a loop, not any(): runs for every hit when a message has allow words
        if s <= start and end <= e:
            return True
    return False


def _should_run(entity: str, norm: Normalized, triggered: set[str], third_party: bool) -> bool:
    """Whether a recognizer can find anything here (without the C scanner, whose gates say it sharper)."""
    has_digits = _DIGITS_RE.search(norm.compact) is not None
    if entity == "address":
        # An address only matters next to a third-party marker or a phone/ID number.
        return entity in triggered and (has_digits or third_party)
    if entity in ("qq", "wechat_id"):
        return entity in triggered and _ANY_DIGIT_RE.search(norm.compact) is not None
    if entity == "url":
        return entity in triggered and _DOT_LIKE_RE.search(norm.folded) is not None  # every link has a dot
    by_folded = entity in FOLDED_TRIGGERS and FOLDED_TRIGGERS[entity] in norm.folded
    return (entity in DIGIT_ENTITIES and has_digits) or by_folded or entity in triggered


Hit = tuple[int, int, int, int, int]  # pattern, compact start, compact end, original start, original end


def evaluate(
    c: CompiledRules, norm: Normalized, shown: str | None = None, hits: list[Hit] | None = None,
    gates: int | None = None,
) -> list[Finding]:
    """Findings for one message; for inbound rule sets a rule's ``also_signal`` is its category.

    ``shown`` is the text to report spans of when ``norm`` was built from a same-length variant.
    ``hits`` and ``gates`` come from the C scanner when it ran (engine.speedups).
    """
    found: list[tuple[int, int, int]] = []  # the matcher's hits, without the scanner
    if gates is not None:  # the C scanner has decided what can come of the hits
        assert hits is not None
        terms_possible = bool(gates & G_TERMS)
        triggered = {t for pi, _, _, _, _ in hits for t in c.summaries[pi].triggers} if gates & G_TRIGGERED else set()
        entities = {
            entity: recognizer.analyze(norm)
            for entity, recognizer, bits, needs_trigger in c.gated_recognizers
            if gates & bits and (not needs_trigger or entity in triggered)
        } if gates & G_RECOGNIZERS else {}
    else:
        term_rules: set[int] = set()
        first_rules: set[int] = set()
        then_rules: set[int] = set()
        triggered = set()
        third_party = False
        found = c.matcher.find(norm.compact)
        for pi, _, _ in found:
            summary = c.summaries[pi]
            term_rules.update(summary.terms)
            first_rules.update(summary.firsts)
            then_rules.update(summary.thens)
            triggered.update(summary.triggers)
            third_party = third_party or "third_party" in summary.contexts
        terms_possible = bool(term_rules or (first_rules & then_rules))
        entities = {
            entity: recognizer.analyze(norm)
            for entity, recognizer in c.recognizers.items()
            if _should_run(entity, norm, triggered, third_party)
        }
    has_entities = any(entities.values())
    if not terms_possible and not has_entities:
        return []
    if hits is None:  # offset maps only now that something can come of the hits
        hits = [(pi, cs, ce, *norm.span_from_compact(cs, ce)) for pi, cs, ce in found]

    allow_global: list[tuple[int, int]] = []
    allow_rule: dict[int, list[tuple[int, int]]] = {}
    for pi, _, _, start, end in hits:
        for ref in c.allow_refs[pi]:
            (allow_global if ref.rule == -1 else allow_rule.setdefault(ref.rule, [])).append((start, end))

    def allowed(rule: int, start: int, end: int) -> bool:
        return _inside(allow_global, start, end) or (rule in allow_rule and _inside(allow_rule[rule], start, end))

    any_allowed = bool(allow_global or allow_rule)
    candidates: list[Candidate] = []
    if terms_possible:
        near: dict[Role, dict[int, list[tuple[int, int, PatternRef]]]] = {}
        for pi, cs, ce, start, end in hits:
            if pi in c.edge_patterns and straddles(norm.original, start, end, c.words):
                continue  # a short term across two words: 改运 in 修改|运费
            for ref in c.term_refs[pi]:
                if (ref.edgy and not _edges_ok(norm, ref, start, end)) or (any_allowed and allowed(ref.rule, start, end)):
                    continue
                if ref.role is Role.TERM:
                    candidates.append(Candidate(ref.rule, start, end, ref, None, c.patterns[pi]))
                else:
                    if ref.role not in near:
                        near[ref.role] = defaultdict(list)
                    near[ref.role][ref.rule].append((cs, ce, ref))
        if Role.FIRST in near and Role.THEN in near:
            candidates += _pair_near(c, norm, near[Role.FIRST], near[Role.THEN], near.get(Role.ALSO, {}))
    if has_entities:
        # original (start, end, context name) of every context marker
        markers = [(start, end, source) for pi, _, _, start, end in hits for source in c.context_names[pi]]
        candidates += [
            cand
            for cand in entity_candidates(c, norm, entities, markers)
            if not (any_allowed and allowed(cand.rule, cand.start, cand.end))
        ]

    # In _dedupe's order, so a candidate that a kept finding of its rule already covers is dropped
    # before its negation is read or its explanation written (same result as deduping at the end).
    if len(candidates) > 1:
        candidates.sort(key=_dedupe_order)
    findings: list[Finding] = []
    reach: dict[int, int] = {}
    text = shown if shown is not None else norm.original
    negations: dict[tuple[int, int], bool] = {}  # words shared by several candidates are read once
    may_negate: bool | None = None
    for cand in candidates:
        if reach.get(cand.rule, -1) >= cand.end:
            continue
        rule = c.rules[cand.rule]
        if rule.negatable:
            if may_negate is None:
                may_negate = c.negation_hint_re.search(norm.compact) is not None
            if may_negate and any(
                _negated(c, norm.original, span, negations) for span in negation_spans(rule, cand)
            ):
                continue
        if (rule.unless_question or rule.unless) and dismissed(rule, cand, norm.original):
            continue
        if cand.rule in c.arounds and c.around_words[cand.rule].search(norm.compact) is not None and surrounded(
            norm.original, cand.start, cand.end, c.arounds[cand.rule]
        ):
            continue
        findings.append(_finding(rule, cand, text, c.direction))
        reach[cand.rule] = max(reach.get(cand.rule, -1), cand.end)
    return findings


def _dedupe_order(cand: Candidate) -> tuple[int, int]:
    return cand.start, cand.start - cand.end


def _negated(c: CompiledRules, text: str, span: tuple[int, int], seen: dict[tuple[int, int], bool]) -> bool:
    if span not in seen:
        seen[span] = negated(text, span[0], span[1], negators=c.negator_re, disavowals=c.disavowal_re)
    return seen[span]


def _pair_near(
    c: CompiledRules,
    norm: Normalized,
    firsts: dict[int, list[tuple[int, int, PatternRef]]],
    thens: dict[int, list[tuple[int, int, PatternRef]]],
    alsos: dict[int, list[tuple[int, int, PatternRef]]],
) -> list[Candidate]:
    out: list[Candidate] = []
    m = norm.compact_map
    for rule_i, first_hits in firsts.items():
        near = c.rules[rule_i].near
        if near is None or rule_i not in thens:
            continue
        for fs, fe, fref in first_hits:
            for ts, te, tref in thens[rule_i]:
                gap = ts - fe if ts >= fe else (fs - te if not near.ordered and te <= fs else None)
                if gap is None or not 0 <= gap <= near.within:
                    continue
                cs, ce = min(fs, ts), max(fe, te)
                word_spans = [(fs, fe), (ts, te)]
                if near.also:
                    third = next(
                        ((s, e) for s, e, _ in alsos.get(rule_i, []) if cs - near.also_within <= s and e <= ce + near.also_within),
                        None,
                    )
                    if third is None:
                        continue
                    word_spans.append(third)
                    cs, ce = min(cs, third[0]), max(ce, third[1])
                start, end = m[cs], m[ce - 1] + 1
                words = tuple([(m[s], m[e - 1] + 1) for s, e in word_spans])
                out.append(
                    Candidate(rule_i, start, end, fref, compact=norm.compact[cs:ce], words=words, partner=tref.source)
                )
                break
    return out


def _finding(rule: Rule, cand: Candidate, text: str, direction: str) -> Finding:
    matched = text[cand.start : cand.end]
    if cand.entity is not None:
        normalized, explanation = cand.entity.value, explain_entity(rule, cand.entity, matched)
    else:
        assert cand.ref is not None
        normalized = normalize_term(cand.ref.source) if cand.ref.kind != "literal" else cand.compact
        explanation = explain_term(rule.id, cand.ref, matched, cand.compact, cand.partner)
    category = rule.also_signal if direction == "inbound" and rule.also_signal else rule.category
    return Finding(  # positionally: rule_id, category, severity, start, end, matched, normalized, ...
        rule.id, category, rule.severity, cand.start, cand.end, matched, normalized, explanation, rule.message,
        rule.suggestion,
    )


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per rule and span; drop a hit inside a longer hit of the same rule."""
    findings.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Finding] = []
    reach: dict[str, int] = {}  # per rule, the furthest end of a kept finding (they all start earlier)
    for f in findings:
        if reach.get(f.rule_id, -1) >= f.end:
            continue
        kept.append(f)
        reach[f.rule_id] = max(reach.get(f.rule_id, -1), f.end)
    return kept


_HEARTS_AS_SPACE = str.maketrans(dict.fromkeys(TWO_WAY_SYMBOLS, " "))
READ_TWO_WAYS = re.compile(f"[{TWO_WAY_SYMBOLS}]")


Prepared = tuple[Normalized, list[Hit] | None, int | None]
Scanned = tuple[str, str, list[int], list[Hit], int]  # what Scanner.scan returns for a message to evaluate


def _prepare(c: CompiledRules, text: str, scanned: Scanned | None = None) -> Prepared | None:
    """The message's views, hits and gates; None when the C scanner saw that nothing can come of it."""
    if c.scanner is None:
        return Normalized(text), None, None
    if scanned is None:
        scanned = c.scanner.scan(text)
        if scanned is None:
            return None
    folded, compact, compact_map, hits, gates = scanned
    return Normalized.from_scan(text, folded, compact, compact_map, bool(gates & G_ONE_TO_ONE)), hits, gates


def evaluate_text(
    c: CompiledRules, text: str, norm: Normalized | None = None, scanned: Scanned | None = None
) -> list[Finding]:
    """Findings for one message; ``scanned`` is ``c.scanner.scan(text)`` when the caller has run it."""
    if norm is not None:
        findings = evaluate(c, norm)
    else:
        prepared = _prepare(c, text, scanned)
        if prepared is None:  # also means: no symbol that reads two ways
            return []
        findings = evaluate(c, prepared[0], None, prepared[1], prepared[2])
        if prepared[2] is not None and not prepared[2] & G_TWO_WAY:  # the scanner saw no such symbol
            return findings
    if READ_TWO_WAYS.search(text) is None:
        return findings
    seen = {(f.rule_id, f.start, f.end) for f in findings}
    prepared = _prepare(c, text.translate(_HEARTS_AS_SPACE))
    for f in evaluate(c, prepared[0], text, prepared[1], prepared[2]) if prepared is not None else ():
        if (f.rule_id, f.start, f.end) not in seen:
            findings.append(f)
    return _dedupe(findings)
