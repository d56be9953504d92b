"""Reading a hit in its sentence: negation, disavowal, quotation, word boundaries, the words right
around it, and whose personal data it is.

"平台规定不能加微信" quotes a banned word to refuse it; "私下交易没有保障" warns against it;
"您说的“好评返现”短信不是我们发的" disowns it. None of them is a violation. Rules opt in to this
reading with ``negatable: true``; the word lists are pack data (negators, disavowals).

A negation reaches only to the end of its clause, and chat often has no punctuation: "没有问题的亲
好评截图给我返现5元" is two clauses, the second one a violation. Sentence particles (的亲, 哦, 呢 …)
end a clause too, and a negation further than ``_NEGATION_REACH`` characters from the hit is about
something else.

Short terms are read as words: 改运 inside 修改运费 straddles 修改|运费 (the pack's common ``words``),
and ``unless_around`` contexts say what a hit is when its neighbours decide: 原返微信 is a refund route.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from csguard.text.normalize import compact_text, fold
from csguard.text.tables import is_cjk

_CLAUSE_END = "，。！？；,.!?;\n～~…"
_SENTENCE_END = "。！？!?\n"
_QUOTES = {"“": "”", '"': '"', "「": "」", "『": "』", "‘": "’", "'": "'"}
# One character right before a term that negates it: 不刷单, 没加微信, 别私下转账.
_ADJACENT_NEGATORS = "不没别勿未莫"
# Words that contain a negator but negate nothing.
_NOT_NEGATIONS = re.compile(r"是不是|能不能|要不要|可不可以|行不行|好不好|会不会|有没有|别的|别人|区别|特别|分别|级别|类别|性别|告别|识别|差别|不错|不少|不久|不过|不同|不断|没多久")
_AFTER_WINDOW = 16
# How far (compact characters) a negator before a hit still reaches it: "不能加微信" is one act, a
# 不 fifteen characters earlier belongs to another.
_NEGATION_REACH = 12
# Where an unpunctuated chat message starts a new clause: a sentence particle, 亲 as a vocative
# (not 亲自, 亲测 …), or a new subject after 的/了 (不会的您加我…). Cut the text before a hit at the last one.
_SOFT_BREAK = re.compile(r"的亲|亲(?![自爱戚人子测手身友属情近密切])|[哦呢啊哈呀嘛啦噢喔哟]|[的了](?=[您你我咱])")


@lru_cache(maxsize=4096)
def _clean(segment: str) -> str:
    return _NOT_NEGATIONS.sub("", compact_text(segment))


_CLAUSE_RE = re.compile(f"[{re.escape(_CLAUSE_END)}]")
_QUOTE_RE = re.compile(f"[{re.escape(''.join(_QUOTES))}]")


@lru_cache(maxsize=1024)
def _clause_marks(text: str) -> list[int]:
    return [m.start() for m in _CLAUSE_RE.finditer(text)]


def clause_start(text: str, pos: int) -> int:
    marks = _clause_marks(text)
    i = bisect_left(marks, pos)
    return marks[i - 1] + 1 if i else 0


def clause_end(text: str, pos: int) -> int:
    marks = _clause_marks(text)
    i = bisect_left(marks, pos)
    return marks[i] if i < len(marks) else len(text)


def word_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for a word list (longest first), so a clause is scanned once, not once per word."""
    return re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True) if w) or "(?!)")


def negation_hint(negators: tuple[str, ...], disavowals: tuple[str, ...]) -> re.Pattern[str]:
    """Finds, in a message's compact text, anything ``negated`` could act on: a negator or
    disavowal word, or a character that negates the word right after it. A message without one
    needs no word-by-word reading (quotes only count with a disavowal word)."""
    adjacent = tuple(compact_text(ch) for ch in _ADJACENT_NEGATORS)
    return word_pattern((*negators, *disavowals, *adjacent))


def negated(
    text: str,
    start: int,
    end: int,
    *,
    negators: re.Pattern[str],
    disavowals: re.Pattern[str],
) -> bool:
    """True when the word at [start, end) is negated, disowned or quoted in order to refuse it.

    A near-pair is read word by word: "评价不设任何奖励" negates the reward, not the review.
    """
    cs = clause_start(text, start)
    before = _after_soft_break(text[cs:start])
    stripped = before.rstrip()
    if stripped and stripped[-1] in _ADJACENT_NEGATORS:
        return True
    cleaned = _clean(before)
    if any(len(cleaned) - m.end() <= _NEGATION_REACH for m in negators.finditer(cleaned)):
        return True
    if disavowals.search(_clean(text[end : min(clause_end(text, end), end + _AFTER_WINDOW)])):
        return True
    return _QUOTE_RE.search(text) is not None and _quoted_and_disowned(text, start, end, cs, disavowals)


def _after_soft_break(before: str) -> str:
    """The part of a clause's text before a hit that follows its last sentence particle."""
    last = None
    for last in _SOFT_BREAK.finditer(before):  # noqa: B007 - the last match is what we want
        pass
    return before[last.end() :] if last is not None else before


def straddles(text: str, start: int, end: int, words: frozenset[str]) -> bool:
    """Is the two-character hit at [start, end) split between two words (改运 in 修改|运费)?

    The hit may span noise in the original (愉快~ (手机 holds 快手 only in the compact text)."""
    if not (is_cjk(text[start]) and is_cjk(text[end - 1])):
        return False
    if start > 0 and fold(text[start - 1 : start + 1]) in words:
        return True
    return end < len(text) and fold(text[end - 1 : end + 1]) in words


def surrounded(text: str, start: int, end: int, contexts: tuple[tuple[re.Pattern[str], re.Pattern[str], int], ...]) -> bool:
    """Is the hit at [start, end) right after a ``before`` word or right before an ``after`` word
    (at most ``within`` compact characters between, in its clause)? Each context is (before, after,
    within)."""
    cs, ce = clause_start(text, start), clause_end(text, end)
    widest = max(within for _, _, within in contexts) + _LONGEST_CONTEXT_WORD
    # Three original characters per compact one leave room for noise and placeholders.
    before = compact_text(text[max(cs, start - 3 * widest) : start])
    after = compact_text(text[end : min(ce, end + 3 * widest)])
    for before_re, after_re, within in contexts:
        head = before[-(within + _LONGEST_CONTEXT_WORD) :]
        if any(len(head) - m.end() <= within for m in before_re.finditer(head)):
            return True
        m = after_re.search(after, 0, within + _LONGEST_CONTEXT_WORD)
        if m is not None and m.start() <= within:
            return True
    return False


_LONGEST_CONTEXT_WORD = 6
_LINK_SIGNS = re.compile(r"://|www\.|%[0-9a-fA-F]{2}|[?&][\w.-]+=", re.IGNORECASE)


def inside_link(text: str, start: int, end: int) -> bool:
    """Is the Latin or digit hit at [start, end) a piece of a web address (…%2B… holds no "2b")?"""
    left = start
    while left > 0 and text[left - 1].isascii() and not text[left - 1].isspace():
        left -= 1
    right = end
    while right < len(text) and text[right].isascii() and not text[right].isspace():
        right += 1
    return right - left > end - start + 6 and _LINK_SIGNS.search(text, left, right) is not None


def _quoted_and_disowned(text: str, start: int, end: int, cs: int, disavowals: re.Pattern[str]) -> bool:
    for open_q, close_q in _QUOTES.items():
        qs = text.rfind(open_q, max(0, cs - 40), start)
        if qs == -1 or text.find(close_q, end) == -1:
            continue
        ends = [i for i in (text.find(ch, end) for ch in _SENTENCE_END) if i != -1]
        if disavowals.search(_clean(text[end : min(ends, default=len(text)) + 40])):
            return True
    return False


# The hundred most common Chinese surnames: a 2-3 character word starting with one, right before
# a phone or card number, is almost always a person's name (someone else's data).
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤欧"
)
_LABELS = re.compile(
    r"(?:电话号码|手机号码|联系电话|电话|手机号|手机|号码|卡号|住在|住|地址是|地址|tel)[:：是为]?$", re.IGNORECASE
)
_CJK_TAIL = re.compile(r"[\u4e00-\u9fff]{1,8}$")
_NAME_LEAD = re.compile(r"(?:收件人|收货人|户名|姓名|联系人|买家|顾客|客户|的是|是|叫|姓)$")


def named_person_before(text: str, start: int) -> bool:
    """Is the number at ``start`` introduced by a person's name ("张敏 136-5521-0987")?"""
    head = text[max(0, start - 16) : start].rstrip(" :：，,、\u3000-")
    if _SURNAMES.isdisjoint(head):  # every name starts with a surname; most texts have none here
        return False
    head = _LABELS.sub("", head).rstrip(" :：，,、\u3000")
    run = _CJK_TAIL.search(head)
    if not run:
        return False
    word = run.group()
    if len(word) in (2, 3) and word[0] in _SURNAMES:
        return True
    for size in (2, 3):
        name = word[-size:]
        if len(word) > size and name[0] in _SURNAMES and _NAME_LEAD.search(word[:-size]):
            return True
    return False
