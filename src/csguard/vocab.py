"""The project's one vocabulary: platforms, categories, triage signals, roles, levels and
risk definitions, with their Chinese labels. (What a platform forbids lives in its rule-pack
overlay and how it counts reply times in qc/sla.py, not here.)

Every other module takes its ids from here (the pydantic ``Literal`` types below are built
from the same tuples, and ``tests/test_vocab.py`` fails on a quoted id anywhere else), so a
new platform or category is added in one place. Imports nothing from csguard: every layer
may import it.
"""

from __future__ import annotations

from typing import Literal, get_args

# --- platforms -----------------------------------------------------------------------------
Platform = Literal["pdd", "taobao", "tmall", "douyin"]
PLATFORMS: tuple[str, ...] = get_args(Platform)
PDD: Platform = "pdd"
TAOBAO: Platform = "taobao"
TMALL: Platform = "tmall"
DOUYIN: Platform = "douyin"
DEFAULT_PLATFORM: Platform = PDD
# The shops csguard serves keep Beijing time: chat logs without an offset are read in it and
# seller-facing times are shown in it unless the shop says otherwise.
DEFAULT_TIMEZONE = "Asia/Shanghai"
PLATFORM_LABELS: dict[str, str] = {"pdd": "拼多多", "taobao": "淘宝", "tmall": "天猫", "douyin": "抖音"}


# --- what the guard finds in agents' messages ---------------------------------------------
Category = Literal[
    "offsite_diversion",
    "review_manipulation",
    "absolute_claim",
    "abusive_language",
    "privacy_leak",
    "false_or_fraud",
    "superstition",
]
OUTBOUND_CATEGORIES: tuple[str, ...] = get_args(Category)
OFFSITE_DIVERSION: Category = "offsite_diversion"
REVIEW_MANIPULATION: Category = "review_manipulation"
ABSOLUTE_CLAIM: Category = "absolute_claim"
ABUSIVE_LANGUAGE: Category = "abusive_language"
PRIVACY_LEAK: Category = "privacy_leak"
FALSE_OR_FRAUD: Category = "false_or_fraud"
SUPERSTITION: Category = "superstition"

# --- what triage finds in buyers' messages -------------------------------------------------
Signal = Literal["complaint_threat", "extortion", "abuse", "spam_ad"]
TRIAGE_SIGNALS: tuple[str, ...] = get_args(Signal)
COMPLAINT_THREAT: Signal = "complaint_threat"
EXTORTION: Signal = "extortion"
ABUSE: Signal = "abuse"
SPAM_AD: Signal = "spam_ad"
# Rule packs carry both: what an agent must not say and what a buyer's message signals.
FindingCategory = Literal[Category, Signal]
FINDING_CATEGORIES: tuple[str, ...] = get_args(FindingCategory)

CATEGORY_LABELS: dict[str, str] = {
    "offsite_diversion": "站外引流",
    "review_manipulation": "好评诱导/刷评",
    "absolute_claim": "绝对化用语",
    "abusive_language": "辱骂/不文明用语",
    "privacy_leak": "泄露隐私",
    "false_or_fraud": "虚假承诺/欺诈",
    "superstition": "封建迷信",
    "complaint_threat": "投诉威胁",
    "extortion": "敲诈勒索",
    "abuse": "买家辱骂",
    "spam_ad": "垃圾广告",
}
# The QC report's shorter wording for the same ids (its tables and workbook predate the web
# labels; changing the report's words is a separate decision).
QC_REPORT_LABELS: dict[str, str] = {
    "offsite_diversion": "站外引流",
    "review_manipulation": "诱导好评",
    "absolute_claim": "极限词",
    "abusive_language": "辱骂买家",
    "privacy_leak": "泄露隐私",
    "false_or_fraud": "虚假/欺诈",
    "superstition": "封建迷信",
    "complaint_threat": "投诉威胁",
    "extortion": "勒索索赔",
    "abuse": "买家辱骂",
    "spam_ad": "广告骚扰",
}

# --- risk definitions: one meaning each -----------------------------------------------------
# A conversation is high-risk when the buyer threatens, extorts or abuses: what gets a shop
# penalised. Spam ads are noise, not a risk to the shop.
HIGH_RISK_SIGNALS: frozenset[str] = frozenset({COMPLAINT_THREAT, EXTORTION, ABUSE})
# What the daily complaint alert counts: buyers who threaten the shop with the platform or a
# regulator, or demand money.
COMPLAINT_SIGNALS: tuple[str, ...] = (COMPLAINT_THREAT, EXTORTION)

# --- severities and verdicts ---------------------------------------------------------------
Severity = Literal["critical", "high", "medium", "low"]
SEVERITIES: tuple[str, ...] = get_args(Severity)
SEVERITY_RANK: dict[str, int] = {"low": 1, "medium": 2, "high": 3, "critical": 4}
SEVERITY_LABELS: dict[str, str] = {"critical": "严重", "high": "高", "medium": "中", "low": "低"}
Verdict = Literal["allow", "warn", "block"]
VERDICTS: tuple[str, ...] = get_args(Verdict)
VERDICT_LABELS: dict[str, str] = {"allow": "可以发送", "warn": "建议修改", "block": "禁止发送"}

# --- people ----------------------------------------------------------------------------------
Role = Literal["owner", "supervisor", "agent"]
ROLES: tuple[str, ...] = get_args(Role)
OWNER: Role = "owner"
SUPERVISOR: Role = "supervisor"
AGENT: Role = "agent"
# Ordered by what a role may do: a role may do everything a lower one may.
ROLE_RANK: dict[str, int] = {AGENT: 1, SUPERVISOR: 2, OWNER: 3}
MANAGER_ROLES: tuple[str, ...] = (OWNER, SUPERVISOR)
ROLE_LABELS: dict[str, str] = {"owner": "店主", "supervisor": "主管", "agent": "客服"}
Level = Literal["trial", "junior", "mid", "senior"]
LEVELS: tuple[str, ...] = get_args(Level)
TRIAL: Level = "trial"
JUNIOR: Level = "junior"
MID: Level = "mid"
SENIOR: Level = "senior"
LEVEL_LABELS: dict[str, str] = {"trial": "试用", "junior": "初级", "mid": "中级", "senior": "高级"}
AccountStatus = Literal["active", "paused", "restricted", "disabled"]
ACCOUNT_STATUSES: tuple[str, ...] = get_args(AccountStatus)
ACCOUNT_STATUS_LABELS: dict[str, str] = {
    "active": "在岗",
    "paused": "暂停",
    "restricted": "受限",
    "disabled": "停用",
}

# --- chat events and word lists --------------------------------------------------------------
Sender = Literal["buyer", "agent", "robot", "system"]
SENDERS: tuple[str, ...] = get_args(Sender)
SENDER_LABELS: dict[str, str] = {"buyer": "买家", "agent": "客服", "robot": "机器人", "system": "系统"}
WordKind = Literal["custom", "allow"]
WORD_KINDS: tuple[str, ...] = get_args(WordKind)
WORD_KIND_LABELS: dict[str, str] = {"custom": "自定义违禁词", "allow": "放行词"}
FINDING_KIND_LABELS: dict[str, str] = {
    "violation": "客服违规",
    "risk": "高风险买家",
    "passive": "消极服务",
    "privacy": "隐私泄露",
}


def label(table: dict[str, str], code: object) -> str:
    """The Chinese label, or the code itself for values added after this table was written."""
    text = "" if code is None else str(code)
    return table.get(text, text)
