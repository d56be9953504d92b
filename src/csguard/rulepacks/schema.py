"""The rule-pack schema. Packs are data; this is the contract they are validated against at load."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from csguard.vocab import PLATFORMS, TRIAGE_SIGNALS, FindingCategory, Platform, Severity, Signal

# The pack contract speaks the project's vocabulary; these aliases are the schema's names for it.
PlatformId = Platform
SeverityId = Severity
CategoryId = FindingCategory
SignalId = Signal
EntityId = Literal["phone", "landline", "qq", "wechat_id", "url", "email", "id_card", "bank_card", "address"]


def _all_platforms() -> list[PlatformId]:
    return list(PLATFORMS)  # type: ignore[arg-type]  # PLATFORMS is get_args(Platform)


def _numbers_as_text(value: Any) -> Any:
    # YAML reads 12315 or 1688 as integers; in a word list they are words.
    if isinstance(value, list):
        return [str(v) if isinstance(v, int | float) and not isinstance(v, bool) else v for v in value]
    return value


# A word written "@name" in a rule stands for the pack lexicon "name" (PackFile.lexicons).
LEXICON_REF = "@"

Words = Annotated[list[str], BeforeValidator(_numbers_as_text)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Examples(_Strict):
    match: list[str] = Field(min_length=2, description="Messages the rule must flag.")
    no_match: list[str] = Field(min_length=2, description="Look-alike messages the rule must leave alone.")


class Near(_Strict):
    """Two groups of terms close to each other: ``first`` then (or around) ``then``."""

    first: Words = Field(min_length=1)
    then: Words = Field(min_length=1)
    within: int = Field(default=12, ge=0, le=200, description="Max characters between the two (compact text).")
    ordered: bool = Field(default=True, description="first must come before then.")
    also: Words = Field(
        default_factory=list, description="A third group that must also occur near the pair (e.g. a reward)."
    )
    also_within: int = Field(default=25, ge=0, le=200, description="Max characters between the pair and also.")
    negation_on: Literal["any", "first", "then"] = Field(
        default="any",
        description=(
            "Which word a negation must precede to cancel the pair: 'then' for efficacy claims, where "
            "不再失眠 negates the symptom (a claim) and 不能治疗 the verb (a disclaimer)."
        ),
    )


class EntitySpec(_Strict):
    """A recognizer's entity, optionally attributed by context (whose number is it?)."""

    type: EntityId
    when: list[str] = Field(default_factory=list, description="Context names; the nearest marker must be one.")
    unless: list[str] = Field(default_factory=list, description="Context names that exclude the entity.")
    with_entities: list[EntityId] = Field(
        default_factory=list, description="The rule also holds when one of these entities is in the message."
    )
    unless_entities: list[EntityId] = Field(
        default_factory=list, description="The rule yields when one of these entities is in the message."
    )
    own_domains_ok: bool = Field(default=False, description="URLs of the platform's own domains are fine.")


class Around(_Strict):
    """Words right around a hit that make it something else: 微信 in 原返微信 or 微信零钱…3个工作日到账 is a
    refund route, not a contact; 最好 in 做到最好 is a promise, not a claim."""

    before: Words = Field(default_factory=list, description="Words that end at most `within` characters before the hit.")
    after: Words = Field(default_factory=list, description="Words that start at most `within` characters after it.")
    within: int = Field(default=0, ge=0, le=40, description="Characters allowed between word and hit (compact text).")


class Rule(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
    category: CategoryId
    severity: SeverityId
    platforms: list[PlatformId] = Field(default_factory=_all_platforms)
    message: str = Field(min_length=4, description="Why this is a problem, to the agent, in Chinese.")
    suggestion: str = Field(min_length=2, description="A compliant way to say it.")
    replacement: str | None = Field(default=None, description="Text put in place of the hit in the rewrite.")
    references: list[str] = Field(min_length=1, description="Platform rule or law this enforces.")
    terms: Words = Field(default_factory=list)
    near: Near | None = None
    entity: EntitySpec | None = None
    pinyin: bool = Field(default=False, description="Also match pinyin and pinyin/character mixes of terms.")
    homophones: bool = Field(default=False, description="Also match sound-alike characters (data/homophones.tsv).")
    negatable: bool = Field(default=False, description="A negation before the hit in its clause cancels it.")
    allow: Words = Field(default_factory=list, description="Hits fully inside these words are not hits.")
    unless_around: list[Around] = Field(
        default_factory=list, description="The hit yields when one of these contexts is right around it."
    )
    unless_question: bool = Field(
        default=False, description="A hit in a question (这个能治脚气吗？) asks, it does not claim: not a hit."
    )
    unless: Words = Field(
        default_factory=list,
        description="The rule yields when one of these words is in the hit's sentence (平台官方活动, 平台发放).",
    )
    also_signal: SignalId | None = Field(default=None, description="Also raise this triage signal for buyers.")
    examples: Examples

    @model_validator(mode="after")
    def _one_matcher(self) -> Rule:
        given = [name for name, v in (("terms", self.terms), ("near", self.near), ("entity", self.entity)) if v]
        if len(given) != 1:
            raise ValueError(f"a rule needs exactly one of terms / near / entity, got {given or 'none'}")
        return self

    @field_validator("terms", "allow", "unless")
    @classmethod
    def _no_blank_terms(cls, v: list[str]) -> list[str]:
        if any(not t.strip() for t in v):
            raise ValueError("blank term")
        return v

    @property
    def direction(self) -> Literal["outbound", "inbound"]:
        return "inbound" if self.category in TRIAGE_SIGNALS else "outbound"


class PackFile(_Strict):
    """One YAML file. A pack is a folder of these (``common``) or a single overlay file."""

    pack: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    description: str = ""
    platforms: list[PlatformId] = Field(default_factory=_all_platforms)
    negators: list[str] = Field(default_factory=list, description="Words that negate a following hit.")
    disavowals: list[str] = Field(
        default_factory=list, description="Words after a hit (or a quoted term) that disown it: 没有保障, 千万别信."
    )
    contexts: dict[str, list[str]] = Field(default_factory=dict, description="Named marker lists for entities.")
    allow: Words = Field(default_factory=list, description="Words never flagged on these platforms.")
    own_domains: list[str] = Field(default_factory=list, description="The platform's own web domains.")
    words: Words = Field(
        default_factory=list,
        description=(
            "Common two-character words. A two-character term whose first character ends one of them (with "
            "the character before it) or whose last character starts one (with the character after it) "
            "straddles a word boundary and is no hit: 修改|运费 holds no 改运, 预约吗 no 约吗."
        ),
    )
    disable: list[str] = Field(default_factory=list, description="Rule ids switched off on these platforms.")
    lexicons: dict[str, Words] = Field(
        default_factory=dict,
        description=(
            "Named word lists (a disease lexicon, efficacy verbs …) that any rule of any loaded file "
            "uses by writing '@name' in terms, near groups, allow or unless."
        ),
    )
    rules: list[Rule] = Field(default_factory=list)

    @field_validator("lexicons")
    @classmethod
    def _lexicon_names(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        for name, words in v.items():
            if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
                raise ValueError(f"lexicon name {name!r}: lowercase letters, digits and _")
            if not words or any(not w.strip() or w.startswith(LEXICON_REF) for w in words):
                raise ValueError(f"lexicon {name!r}: needs words, none blank and no '@' references")
        return v
