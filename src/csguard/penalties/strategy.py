"""Which appeal to file: 误判 (the platform got it wrong), 已整改 (we erred and fixed it) or
关联独立性证明 (an associated penalty: prove this seat is independent of the violating one).

Each strategy is a small class behind one interface, registered in ``STRATEGIES`` so a plugin
can add a platform-specific one; ``choose_strategy`` asks them in priority order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from csguard.penalties.evidence import EvidenceBundle
from csguard.penalties.machine import PenaltyRecord, PenaltySource
from csguard.plugins import Registry


@dataclass(frozen=True, slots=True)
class AppealStrategy:
    kind: str
    title: str
    rationale: str
    materials: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class AppealFacts:
    """What only the seller knows, asked explicitly before a kit is drafted.

    ``agent_sent`` decides the strategy: a missing message id says nothing about whether the
    agent wrote the line, and guessing "misjudgement" from it once produced a letter claiming
    the chat was clean while the evidence quoted the agent's 加我微信. ``record_no`` (禁言记录编号)
    and ``shop_code`` (店铺ID) are the platform's identifiers the reviewer looks the case up by.
    """

    agent_sent: bool
    record_no: str = ""
    shop_code: str = ""
    first_offence: bool = False


class StrategyRule(Protocol):
    priority: int

    def choose(
        self, record: PenaltyRecord, evidence: EvidenceBundle | None, facts: AppealFacts | None
    ) -> AppealStrategy | None: ...


STRATEGIES: Registry[type[StrategyRule]] = Registry("appeal strategy")

SECOND_ATTEMPT_MATERIALS = [
    "客服合规培训记录（培训时间、参与人员、考核结果）",
    "近30天买家满意度证明（好评截图、满意度评分）",
    "技术说明报告（登录设备、IP、账号操作日志）",
    "整改后抽检记录（质检报告中的违规数变化）",
]


@STRATEGIES.register("independence")
class IndependenceStrategy:
    """关联违规: the seat was punished for someone else's violation; show it is a separate operator."""

    priority = 10

    def choose(
        self, record: PenaltyRecord, evidence: EvidenceBundle | None, facts: AppealFacts | None
    ) -> AppealStrategy | None:
        if record.source is not PenaltySource.ASSOCIATED:
            return None
        if facts is not None and facts.agent_sent:
            return None  # this seat did send it: independence would be a false claim
        return AppealStrategy(
            "independence",
            "关联违规独立性申诉",
            "处罚来源为关联违规，需证明本账号与违规主体在经营、登录和实名上相互独立。",
            [
                "本账号独立的聊天记录（证明未发生被指违规行为）",
                "本账号近期登录IP与设备记录（与违规账号不同）",
                "独立的实名认证/营业执照信息",
            ],
        )


@STRATEGIES.register("misjudgement")
class MisjudgementStrategy:
    """误判: the guard finds nothing wrong in the flagged message, or the penalty has no chat basis."""

    priority = 20

    def choose(
        self, record: PenaltyRecord, evidence: EvidenceBundle | None, facts: AppealFacts | None
    ) -> AppealStrategy | None:
        if record.reason == "abnormal_login":
            return AppealStrategy(
                "misjudgement",
                "误判申诉（登录异常）",
                "登录行为均为本店员工正常操作，申请复核。",
                ["员工登录设备与IP记录", "员工实名与排班记录", "账号安全设置截图"],
            )
        if facts is not None and not facts.agent_sent:
            return AppealStrategy(
                "misjudgement",
                "误判申诉（非本店客服发送）",
                "被指违规的内容并非本店客服发送，申请平台核实聊天记录后复核。",
                [
                    "该会话完整聊天记录截图（显示客服实际发送的内容）",
                    "客服账号登录设备与IP记录",
                    "客服排班记录",
                ],
            )
        # Only the guard's reading of the real message can show it was harmless; without the
        # chat there is nothing to prove a misjudgement with, whatever the source.
        if evidence is None or evidence.flagged_is_violation:
            return None
        return AppealStrategy(
            "misjudgement",
            "误判申诉",
            "被判定消息按平台规则逐项核对未发现违规内容，属于系统误判，申请复核。",
            ["被判定消息及前后文聊天记录截图", "买家后续满意反馈截图", "违规词检查结果说明"],
        )


@STRATEGIES.register("rectified")
class RectifiedStrategy:
    """已整改: the message did break a rule (or a human reviewer decided); admit it and show the fix."""

    priority = 90

    def choose(
        self, record: PenaltyRecord, evidence: EvidenceBundle | None, facts: AppealFacts | None
    ) -> AppealStrategy | None:
        return AppealStrategy(
            "rectified",
            "已整改申诉",
            "认可处罚依据，说明违规原因并提交整改措施与承诺，申请提前解除。",
            ["整改承诺书", "违规事件说明（含时间线）", "客服培训记录", "整改后话术与质检记录"],
        )


def choose_strategy(
    record: PenaltyRecord, evidence: EvidenceBundle | None = None, facts: AppealFacts | None = None
) -> AppealStrategy:
    """The first matching strategy; ``facts`` is None only before the seller has answered (plan lists)."""
    rules = sorted((rule_cls() for _, rule_cls in STRATEGIES.items()), key=lambda r: r.priority)
    for rule in rules:
        chosen = rule.choose(record, evidence, facts)
        if chosen is not None:
            if record.appeal_number >= 2:
                # The first appeal failed: the platform wants more than the same file again.
                return AppealStrategy(
                    chosen.kind,
                    chosen.title,
                    chosen.rationale,
                    [*chosen.materials, *SECOND_ATTEMPT_MATERIALS],
                )
            return chosen
    raise LookupError("no appeal strategy matched; the 'rectified' fallback must stay registered")
