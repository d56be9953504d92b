"""Tone checker for appeal texts: emotional or accusatory phrases get a neutral replacement.

Platform reviewers read hundreds of appeals; anger (我不服, 凭什么) and accusations (你们乱禁言)
make a reviewer defensive, while facts and a polite request get read. Rules are data: a
pattern, the kind of problem and the neutral wording to use instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

ToneKind = Literal["accusatory", "emotional", "threat", "demanding"]


@dataclass(frozen=True, slots=True)
class ToneRule:
    pattern: re.Pattern[str]
    kind: ToneKind
    suggestion: str
    # Punctuation (！！) is fixed in place; a phrase rewrites its whole clause, because splicing
    # a neutral phrase into an angry clause left text like "你们这个系统我们对处罚原因存在疑问".
    in_place: bool = False


@dataclass(frozen=True, slots=True)
class ToneIssue:
    start: int
    end: int
    matched: str
    kind: ToneKind
    suggestion: str
    in_place: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "start": self.start,
            "end": self.end,
            "matched": self.matched,
            "kind": self.kind,
            "suggestion": self.suggestion,
        }


def _rule(pattern: str, kind: ToneKind, suggestion: str, *, in_place: bool = False) -> ToneRule:
    return ToneRule(re.compile(pattern, re.IGNORECASE), kind, suggestion, in_place)


TONE_RULES: tuple[ToneRule, ...] = (
    _rule(
        r"(你们|平台)?(乱|随便|随意|胡乱)(禁言|封号?|处罚|扣分?|判|罚)",
        "accusatory",
        "我们认为该处罚可能存在误判",
    ),
    _rule(
        r"(瞎|眼瞎|(没|不)长眼睛?|没脑子|睁大眼睛|好好看看)[^，。！？]{0,4}(判|封|审|看)?",
        "accusatory",
        "审核结果与实际情况可能存在出入",
    ),
    _rule(r"儿戏|摆设|就知道(罚|封|扣)|良心|招谁惹谁|谁定的", "accusatory", "我们希望了解具体的判定标准"),
    _rule(
        r"(垃圾|破|黑心|无良|流氓|坑人的?)(平台|系统|规则|审核|客服)",
        "accusatory",
        "恳请平台人工复核本次处罚",
    ),
    _rule(
        r"霸王条款|欺负(我们|商家|人)|坑(我们|商家|人)|故意针对|针对我们",
        "accusatory",
        "希望平台综合考虑实际情况",
    ),
    _rule(r"(简直|真是|太)?(荒唐|离谱|可笑|无语|莫名其妙)(了|的)?", "emotional", "我们对处罚原因存在疑问"),
    _rule(r"我(们)?(不服|不认|不接受)", "emotional", "我们申请对该处罚进行复核"),
    _rule(r"凭什么", "emotional", "请问判定依据是什么"),
    _rule(
        r"(太|非常|极其|十分)?不公平|冤枉|委屈死了|气死|受够了|心寒|寒心",
        "emotional",
        "我们希望得到公正的复核",
    ),
    _rule(r"一点道理都没有|毫无道理|没有道理|讲不讲道理", "emotional", "我们认为判定依据有待核实"),
    _rule(r"搞什么|什么鬼|有病吧?|脑子", "emotional", "请协助核实"),
    _rule(r"[!！]{2,}|[?？]{2,}", "emotional", "。", in_place=True),
    # Structural patterns catch new wording the phrase lists above cannot enumerate.
    _rule(
        r"(你们|平台)[^，。！？]{0,8}(到底|能不能|是不是|有没有|怎么能|为什么要)", "accusatory", "请协助核实"
    ),
    _rule(
        r"(太|真|简直|根本|完全)(过分|离谱|不讲理|不合理|荒唐|就是在)",
        "emotional",
        "我们认为处罚与实际情况不符",
    ),
    _rule(r"(绝对|坚决|决不|绝不)[^，。！？]{0,6}(认|接受|服)", "emotional", "我们申请对该处罚进行复核"),
    _rule(r"逼死|搞死|害死|没法做生意|活不下去|为难(商家|我们)", "emotional", "处罚对店铺经营造成了较大影响"),
    _rule(r"法院|律师函|法律途径|起诉", "threat", "恳请平台予以复核"),
    _rule(r"当借口|(机器|AI|系统)(乱|瞎)判", "accusatory", "该判定可能由系统自动作出，恳请人工复核"),
    _rule(r"(把|将)[^，。！？]{0,8}还给(我|我们)", "demanding", "恳请恢复账号的正常使用"),
    _rule(
        r"(否则|不然|要不然)[^，。！？]{0,8}(投诉|曝光|起诉|告你们|找媒体|12315|工商|差评)",
        "threat",
        "恳请平台予以复核",
    ),
    _rule(
        r"(我们?)?要?(去)?(起诉|告)(你们|平台)|找媒体|媒体曝光|(去|到|向)(12315|工商局?|市场监管局?)(投诉|反映|举报)",
        "threat",
        "恳请平台予以复核",
    ),
    _rule(
        r"(立刻|马上|立即|赶紧|必须)[^，。！？]{0,6}(解封|解除|恢复|处理|给(我们)?(解封|恢复))",
        "demanding",
        "恳请尽快复核并解除处罚",
    ),
    _rule(r"限你们|给我(们)?(解封|恢复|道歉)|强烈要求|你们必须", "demanding", "恳请平台尽快复核"),
)


def check_tone(text: str, rules: tuple[ToneRule, ...] = TONE_RULES) -> list[ToneIssue]:
    """Every non-overlapping emotional or accusatory phrase, in text order (earlier rules win ties)."""
    taken: list[tuple[int, int]] = []
    issues: list[ToneIssue] = []
    for rule in rules:
        for m in rule.pattern.finditer(text):
            if m.end() == m.start() or any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            issues.append(ToneIssue(m.start(), m.end(), m.group(), rule.kind, rule.suggestion, rule.in_place))
    return sorted(issues, key=lambda i: i.start)


# Quoted words are someone else's: the buyer's 去12315投诉 or the agent's 马上为您处理 in a chat
# line or in “…” are evidence, not the seller's tone.
_QUOTES = re.compile(r"“[^”\n]*”|「[^」\n]*」|『[^』\n]*』|‘[^’\n]*’|\"[^\"\n]*\"")
_CHAT_LINE = re.compile(
    r"^.{0,40}?\d{1,2}:\d{2}(:\d{2})?\s*(买家|客服|机器人|系统)[^：\n]{0,30}：.*$", re.MULTILINE
)


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quoted speech and chat-timeline lines in ``text``."""
    return [m.span() for m in _QUOTES.finditer(text)] + [m.span() for m in _CHAT_LINE.finditer(text)]


def check_own_tone(text: str, rules: tuple[ToneRule, ...] = TONE_RULES) -> list[ToneIssue]:
    """``check_tone`` over the seller's own words only (quotes and chat lines left out)."""
    quoted = quoted_spans(text)
    return [
        issue
        for issue in check_tone(text, rules)
        if not any(s < issue.end and issue.start < e for s, e in quoted)
    ]


_CLAUSE_END = "，,；;。！!？?\n"


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around ``start:end``: from after the previous to before the next separator."""
    left = max(text.rfind(c, 0, start) for c in _CLAUSE_END) + 1
    rights = [i for i in (text.find(c, end) for c in _CLAUSE_END) if i != -1]
    return left, min(rights, default=len(text))


def neutralize(text: str, issues: list[ToneIssue] | None = None) -> str:
    """A fluent neutral version: each clause holding a phrase becomes that phrase's neutral clause.

    Clauses with several phrases get each suggestion once, in order; a clause that repeats the
    clause just before it is dropped. Punctuation issues are fixed in place.
    """
    found = issues if issues is not None else check_tone(text)
    replacements: dict[tuple[int, int], list[str]] = {}
    for issue in sorted(found, key=lambda i: i.start):
        span = (issue.start, issue.end) if issue.in_place else _clause(text, issue.start, issue.end)
        suggestions = replacements.setdefault(span, [])
        if issue.suggestion not in suggestions:
            suggestions.append(issue.suggestion)
    # Right to left keeps offsets valid; a punctuation fix inside a rewritten clause is moot.
    spans = sorted(replacements, key=lambda s: -s[0])
    previous_start = len(text) + 1
    for start, end in spans:
        if end > previous_start:
            continue
        text = text[:start] + "，".join(replacements[(start, end)]) + text[end:]
        previous_start = start
    return _tidy(text)


def _tidy(text: str) -> str:
    text = re.sub(r"([，。])\1+", r"\1", text)
    text = re.sub(r"(，)?([^，。！？\n]+)(，\2)+", r"\1\2", text)  # 恳请复核，恳请复核 → once
    text = re.sub(r"。，|，。", "。", text)
    return text
