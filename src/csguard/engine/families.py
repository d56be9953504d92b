"""How a family rule reads a hit in its sentence: which word a negation must target, questions,
and words that make the whole sentence innocent.

A family rule is a lexicon × construction (a disease × an efficacy verb, a credential × a request).
Three readings make such rules precise without listing innocent sentences:

- ``near.negation_on``: in 吃了不再失眠 the negation is part of the claim (it targets the symptom);
  in 不能治疗失眠 it disowns the claim (it targets the verb). The rule says which word counts.
- ``unless_question``: 这个能治脚气吗？ asks; it does not claim.
- ``unless``: words that, anywhere in the hit's sentence, make it something else
  (平台官方活动 for a review reward the platform itself pays).
"""

from __future__ import annotations

import re
from functools import lru_cache

from csguard.engine.candidates import Candidate
from csguard.engine.context import clause_end, clause_start, word_pattern
from csguard.rulepacks.schema import Rule
from csguard.text.normalize import compact_text, normalize_term

Span = tuple[int, int]

_SENTENCE_MARKS = "。！？!?\n"
_QUESTION_MARKS = "？?"
# A clause that ends in one of these particles asks (…能治脚气吗, …能治吗亲 is read by the A-not-A test).
_QUESTION_PARTICLE = re.compile(r"(?:吗|么|嘛|吧[？?])[的呀啊哈呢亲～~\s]*$")
# A-not-A and 是否-type questions before the hit in its clause: 能不能治脚气, 是否可以降血压.
_ASKING_BEFORE = re.compile(r"能不能|可不可以|会不会|是不是|有没有|能否|是否|可否|管不管用|有用吗|有效吗")


def negation_spans(rule: Rule, cand: Candidate) -> tuple[Span, ...]:
    """The word spans a negation must precede to cancel this candidate."""
    if not cand.words:
        return ((cand.start, cand.end),)
    near = rule.near
    if near is None or near.negation_on == "any" or len(cand.words) < 2:
        return cand.words
    return (cand.words[0],) if near.negation_on == "first" else (cand.words[1],)


def in_question(text: str, start: int, end: int) -> bool:
    """Is the hit at [start, end) part of a question (its clause asks)?"""
    cs = clause_start(text, start)
    ce = clause_end(text, end)
    if ce < len(text) and text[ce] in _QUESTION_MARKS:
        return True
    if _QUESTION_PARTICLE.search(text[cs:ce]):
        return True
    return _ASKING_BEFORE.search(text[cs:start]) is not None


@lru_cache(maxsize=256)
def _unless_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return word_pattern(tuple(normalize_term(w) for w in words))


def _sentence(text: str, start: int, end: int) -> str:
    head = max(text.rfind(ch, 0, start) for ch in _SENTENCE_MARKS) + 1
    tails = [i for i in (text.find(ch, end) for ch in _SENTENCE_MARKS) if i != -1]
    return text[head : min(tails, default=len(text))]


def dismissed(rule: Rule, cand: Candidate, text: str) -> bool:
    """True when the rule's family reading says this candidate is not a finding."""
    if rule.unless_question and in_question(text, cand.start, cand.end):
        return True
    if rule.unless:
        sentence = compact_text(_sentence(text, cand.start, cand.end))
        return _unless_pattern(tuple(rule.unless)).search(sentence) is not None
    return False
