"""Chinese labels for the codes the guard and the store use (category, severity, role...)."""

from __future__ import annotations

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
SEVERITY_LABELS: dict[str, str] = {"critical": "严重", "high": "高", "medium": "中", "low": "低"}
VERDICT_LABELS: dict[str, str] = {"allow": "可以发送", "warn": "建议修改", "block": "禁止发送"}
ROLE_LABELS: dict[str, str] = {"owner": "店主", "supervisor": "主管", "agent": "客服"}
LEVEL_LABELS: dict[str, str] = {"trial": "试用", "junior": "初级", "mid": "中级", "senior": "高级"}
PLATFORM_LABELS: dict[str, str] = {"pdd": "拼多多", "taobao": "淘宝", "tmall": "天猫", "douyin": "抖音"}
WORD_KIND_LABELS: dict[str, str] = {"custom": "自定义违禁词", "allow": "放行词"}
ACCOUNT_STATUS_LABELS: dict[str, str] = {
    "active": "在岗",
    "paused": "暂停",
    "restricted": "受限",
    "disabled": "停用",
}
FINDING_KIND_LABELS: dict[str, str] = {
    "violation": "客服违规",
    "risk": "高风险买家",
    "passive": "消极服务",
    "privacy": "隐私泄露",
}
SENDER_LABELS: dict[str, str] = {"buyer": "买家", "agent": "客服", "robot": "机器人", "system": "系统"}


def label(table: dict[str, str], code: object) -> str:
    """The Chinese label, or the code itself for values added after this table was written."""
    text = "" if code is None else str(code)
    return table.get(text, text)
