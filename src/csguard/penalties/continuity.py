"""Keeping the shop answering while a CS seat is muted, and getting the reply rate back afterwards.

* ``propose_routing`` spreads the muted seat's traffic over the other seats (backup seats first,
  weighted by level) with integer shares that always sum to exactly 100 %.
* ``emergency_checklist`` lists who reports, who handles, the buyer notice and the appeal
  materials; each item carries a status the team ticks off.
* ``suggest_auto_replies`` keeps only the shop's scripts the guard lets through.
* ``RecoveryPlan.track`` follows the 3-minute reply rate (QC metric rows) back to the target.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from csguard.errors import InvalidInput
from csguard.guard import Guard

LEVEL_WEIGHTS: dict[str, int] = {"senior": 4, "mid": 3, "junior": 2, "trial": 1}
ChecklistStatus = Literal["todo", "doing", "done"]
CHECKLIST_STATUSES: tuple[str, ...] = ("todo", "doing", "done")


@dataclass(frozen=True, slots=True)
class Seat:
    name: str
    level: str = "junior"
    status: str = "active"
    is_backup: bool = False


@dataclass(frozen=True, slots=True)
class RouteShare:
    seat: str
    percent: int


def propose_routing(muted: str, seats: Iterable[Seat]) -> list[RouteShare]:
    """Shares for every usable seat except the muted one; backup seats only when there are any."""
    usable = [s for s in seats if s.name != muted and s.status == "active"]
    if not usable:
        raise InvalidInput(
            f"no active seat besides {muted!r} can take over its buyers; add a backup CS account first",
            details={"field": "seats"},
        )
    backups = [s for s in usable if s.is_backup]
    chosen = backups or usable
    weights = {s.name: LEVEL_WEIGHTS.get(s.level, 1) for s in chosen}
    return _largest_remainder(weights)


def _largest_remainder(weights: Mapping[str, int]) -> list[RouteShare]:
    # Plain rounding can give 99 or 101; handing the leftover points to the largest
    # fractional parts keeps the total exactly 100 (ties broken by name for stability).
    total = sum(weights.values())
    exact = {name: 100 * w / total for name, w in weights.items()}
    floors = {name: int(v) for name, v in exact.items()}
    leftover = 100 - sum(floors.values())
    order = sorted(exact, key=lambda n: (-(exact[n] - floors[n]), n))
    for name in order[:leftover]:
        floors[name] += 1
    return [RouteShare(name, floors[name]) for name in weights]


def validate_routing(shares: Sequence[RouteShare]) -> list[RouteShare]:
    """Check a plan the seller edited before it is applied."""
    if not shares:
        raise InvalidInput("a routing plan needs at least one seat", details={"field": "shares"})
    seen: set[str] = set()
    for i, share in enumerate(shares):
        if share.percent < 0 or share.percent > 100:
            raise InvalidInput(
                f"share for {share.seat!r} must be between 0 and 100, got {share.percent}",
                details={"field": f"shares[{i}].percent"},
            )
        if share.seat in seen:
            raise InvalidInput(f"seat {share.seat!r} appears twice", details={"field": f"shares[{i}].seat"})
        seen.add(share.seat)
    total = sum(s.percent for s in shares)
    if total != 100:
        raise InvalidInput(f"routing shares must sum to 100 %, got {total} %", details={"field": "shares"})
    return list(shares)


@dataclass
class ChecklistItem:
    key: str
    title: str
    owner: str
    detail: str = ""
    status: ChecklistStatus = "todo"


def buyer_notice(shop_name: str) -> str:
    """Wording for buyers while the seat is muted: no blame, no promise the shop cannot keep."""
    return (
        f"亲，您好！{shop_name}当前咨询量较大，已为您安排其他客服专员接待，"
        "回复可能稍有延迟，请您耐心等待，给您带来不便敬请谅解。"
    )


def emergency_checklist(
    *,
    shop_name: str,
    account: str,
    appeal_materials: Sequence[str],
    reporter: str = "客服主管",
    handler: str = "店铺负责人",
) -> list[ChecklistItem]:
    return [
        ChecklistItem(
            "report", "上报禁言情况", reporter, f"确认客服账号 {account} 的禁言原因、时长，截图处罚通知"
        ),
        ChecklistItem("handle", "指定处理负责人", handler, "负责申诉材料准备与提交，跟进平台审核结果"),
        ChecklistItem(
            "routing", "启用分流到备用客服账号", reporter, "确认分流比例合计 100%，被禁言账号暂停接待"
        ),
        ChecklistItem("robot", "开启机器人自动回复", reporter, "仅使用通过合规检查的话术"),
        ChecklistItem("notice", "向买家发送接待说明", reporter, buyer_notice(shop_name)),
        ChecklistItem("materials", "准备申诉材料", handler, "；".join(appeal_materials)),
    ]


def set_item_status(items: list[ChecklistItem], key: str, status: str) -> ChecklistItem:
    if status not in CHECKLIST_STATUSES:
        raise InvalidInput(
            f"unknown checklist status {status!r} (known: {', '.join(CHECKLIST_STATUSES)})",
            details={"field": "status"},
        )
    for item in items:
        if item.key == key:
            item.status = status  # type: ignore[assignment]  # validated just above
            return item
    raise InvalidInput(f"no checklist item {key!r}", details={"field": "key"})


DEFAULT_AUTO_REPLIES: tuple[str, ...] = (
    "亲，您好！客服正在为您查询，请稍候。",
    "亲，订单一般在48小时内发货，发货后可在订单详情查看物流信息哦。",
    "亲，售后问题请在订单页面申请，客服会尽快为您处理。",
)


def suggest_auto_replies(scripts: Iterable[str], guard: Guard) -> list[str]:
    """The shop's scripts that pass the guard cleanly; the built-in neutral ones when none do."""
    compliant = [s for s in scripts if s.strip() and guard.check(s).verdict == "allow"]
    return compliant or [s for s in DEFAULT_AUTO_REPLIES if guard.check(s).verdict == "allow"]


@dataclass(frozen=True, slots=True)
class RecoveryDay:
    day: date
    reply_rate: float
    meets_target: bool


@dataclass
class RecoveryProgress:
    status: Literal["pending", "recovering", "reached", "missed"]
    reached_on: date | None
    days: list[RecoveryDay] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RecoveryPlan:
    """After the mute ends: the seat's 3-minute reply rate back to ``target`` within ``within_days``."""

    account: str
    starts: date
    target: float = 0.8
    within_days: int = 3

    @property
    def deadline(self) -> date:
        return self.starts + timedelta(days=self.within_days - 1)

    def track(self, metric_rows: Iterable[Mapping[str, Any]], today: date) -> RecoveryProgress:
        days: list[RecoveryDay] = []
        for row in metric_rows:
            if row.get("agent") != self.account or row.get("reply_rate_3min") is None:
                continue
            day = date.fromisoformat(str(row["date"]))
            if day < self.starts:
                continue
            rate = _as_fraction(float(row["reply_rate_3min"]))
            days.append(RecoveryDay(day, rate, rate >= self.target))
        days.sort(key=lambda d: d.day)
        reached = next((d.day for d in days if d.meets_target and d.day <= self.deadline), None)
        if reached is not None:
            return RecoveryProgress("reached", reached, days)
        if today > self.deadline:
            return RecoveryProgress("missed", None, days)
        return RecoveryProgress("recovering" if days else "pending", None, days)


def _as_fraction(rate: float) -> float:
    # QC rows carry a 0..1 fraction; tolerate percentages typed in by hand.
    return rate / 100 if rate > 1 else rate
