"""Deterministic synthetic shop traffic for the demo, the tests and the benchmark.

Several agents with different habits (one slow, one who diverts buyers off-platform, one
who copy-pastes), a robot that answers first, buyers who ask, complain, threaten and
leave phone numbers, on a realistic daily rhythm (peaks late morning and evening, a
quiet night whose messages wait for the morning shift).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from csguard.vocab import DEFAULT_PLATFORM

SHANGHAI = timezone(timedelta(hours=8))

# Relative traffic per local hour 0..23.
HOUR_WEIGHTS = (2, 1, 1, 0.5, 0.5, 0.5, 1, 3, 6, 9, 12, 12, 9, 8, 10, 11, 10, 9, 8, 10, 13, 14, 12, 6)
PRODUCTS = ("乳胶枕", "四件套", "蚕丝被", "记忆棉枕", "凉席", "毛巾", "床垫", "抱枕")

BUYER_QUESTIONS = (
    "在吗",
    "这个{p}什么时候发货？",
    "{p}有没有优惠？",
    "能便宜点吗",
    "{p}是什么材质的？",
    "怎么还没发货",
    "快递到哪了？",
    "可以退货吗？",
    "尺寸是多少？",
    "订单{o}帮我查一下物流",
    "{p}能开发票吗？",
    "收到的{p}有异味，怎么处理？",
)
BUYER_FOLLOW_UPS = ("？？", "人呢", "有人吗", "好的", "谢谢", "嗯嗯", "急", "快点回复")
BUYER_RISKY = (
    "不处理我就去12315投诉你们",
    "给我转100块，不然给差评",
    "垃圾客服，废物",
    "再不退款我就举报你们",
    "兼职刷单日结，加V",
    "补偿我50元，不然差评",
)
BUYER_PII = (
    "我的电话是138{n}，地址南京市玄武区中山路{h}号",
    "收件人手机13912345678，改一下地址",
    "电话159{n}",
)

AGENT_REPLIES = (
    "亲，在的，请问有什么可以帮您？",
    "亲，今天下午就发货哦",
    "亲，{p}是纯棉材质的，放心购买",
    "亲，已经帮您催快递了，请耐心等待",
    "亲，支持七天无理由退货哦",
    "亲，尺寸在详情页有写，48x74cm",
    "亲，可以开发票的，下单时备注抬头",
    "亲，订单{o}已经发出，物流显示在途中",
    "亲，非常抱歉给您带来不便，我们马上为您处理",
    "好的亲，还有其他问题吗？",
)
AGENT_VIOLATIONS = (
    "加我微信abc123详聊",
    "亲，好评返现5元哦",
    "全网最好的{p}，放心买",
    "你是不是傻逼",
    "加vx领优惠券",
    "亲，加薇信发你优惠",
    "我们是第一品牌",
    "有事打我电话13800138000",
    # Disguised diversions: split, homophones and symbols to dodge keyword filters.
    "加V❤信 abc123 给你便宜",
    "加 w e i x i n 详聊",
    "拍下后联系我，走支付宝转账更便宜",
    "亲，给个五星好评，截图返您红包",
    "上一位买家王芳的电话是13987654321，地址杭州市西湖区文一路88号",
    "亲，先确认收货，我私下转您退款",
    "这款{p}开过光，能转运招财",
    "你是不是有病，爱买不买",
)
AGENT_CANNED = "亲，在的"
ROBOT_REPLIES = ("您好，欢迎光临，客服马上为您服务~", "亲，请稍等，客服正在快马加鞭赶来~")
REPLY_TYPES = ("product_card", "coupon", "order_card")


@dataclass(frozen=True, slots=True)
class AgentProfile:
    name: str
    delay_mean_s: float  # typical reply delay
    late_share: float  # replies that take 3-15 minutes
    violation_share: float
    canned_share: float  # the same greeting pasted again and again
    pii_echo_share: float  # repeats the buyer's phone/address back


AGENTS = (
    AgentProfile("小美", 25, 0.01, 0.01, 0.05, 0.02),
    AgentProfile("阿杰", 70, 0.08, 0.02, 0.05, 0.05),
    AgentProfile("婷婷", 30, 0.02, 0.08, 0.05, 0.02),
    AgentProfile("大伟", 40, 0.03, 0.02, 0.40, 0.02),
    AgentProfile("晓雯", 35, 0.02, 0.03, 0.10, 0.30),
)


class _Traffic:
    def __init__(self, *, shop: str, platform: str, days: int, seed: int, start: date) -> None:
        self.shop = shop
        self.platform = platform
        self.days = days
        self.rng = random.Random(seed)
        self.start = datetime(start.year, start.month, start.day, tzinfo=SHANGHAI)
        self.hours = list(range(24))
        self.serial = 0
        self.buyers = 50

    def _event(
        self,
        conv: str,
        buyer: str,
        at: float,
        sender: str,
        text: str,
        agent: str | None = None,
        kind: str = "text",
    ) -> dict[str, Any]:
        self.serial += 1
        return {
            "shop": self.shop,
            "platform": self.platform,
            "conversation_id": conv,
            "buyer_id": buyer,
            "message_id": f"{self.shop}-m{self.serial:09d}",
            "ts": datetime.fromtimestamp(at, SHANGHAI).isoformat(),
            "sender": sender,
            "agent": agent,
            "type": kind,
            "text": text,
        }

    def _fill(self, template: str) -> str:
        rng = self.rng
        if "{" not in template:
            return template
        return template.format(
            p=rng.choice(PRODUCTS),
            o=f"2405{rng.randrange(10**8):08d}",
            n=f"{rng.randrange(10**8):08d}",
            h=rng.randrange(1, 400),
        )

    def _reply_delay(self, agent: AgentProfile, at: float) -> float:
        rng = self.rng
        local = datetime.fromtimestamp(at, SHANGHAI)
        if local.hour < 8 or local.hour >= 23:
            # No night shift: the morning shift answers soon after 08:00.
            morning = local.replace(hour=8, minute=0, second=0, microsecond=0)
            if local.hour >= 23:
                morning += timedelta(days=1)
            return morning.timestamp() - at + rng.uniform(30, 1200)
        late_share = agent.late_share * (3 if self._short_staffed(local) else 1)
        if rng.random() < late_share:
            return rng.uniform(181, 900)
        return min(rng.expovariate(1 / agent.delay_mean_s) + 3, 170)

    def session(self) -> list[dict[str, Any]]:
        rng = self.rng
        day = rng.randrange(self.days)
        hour = rng.choices(self.hours, HOUR_WEIGHTS)[0]
        t = (self.start + timedelta(days=day, hours=hour)).timestamp() + rng.uniform(0, 3600)
        # A few buyers are never answered; they do not come back, so their wait stays open.
        abandoned = rng.random() < 0.01
        buyer = f"x{self.serial:09d}" if abandoned else f"b{rng.randrange(self.buyers):06d}"
        conv = f"{self.shop}-{buyer}"
        agent = rng.choice(AGENTS)
        events: list[dict[str, Any]] = []
        pii_seen = ""
        for round_no in range(rng.randint(1, 5)):
            roll = rng.random()
            if roll < 0.04:
                question = rng.choice(BUYER_RISKY)
            elif roll < 0.07:
                question = pii_seen = self._fill(rng.choice(BUYER_PII))
            else:
                question = self._fill(rng.choice(BUYER_QUESTIONS))
            events.append(self._event(conv, buyer, t, "buyer", question))
            for _ in range(rng.choices((0, 1, 2), (70, 22, 8))[0]):
                t += rng.uniform(5, 50)
                events.append(self._event(conv, buyer, t, "buyer", rng.choice(BUYER_FOLLOW_UPS)))
            if round_no == 0 and rng.random() < 0.5:
                events.append(
                    self._event(conv, buyer, t + rng.uniform(1, 4), "robot", rng.choice(ROBOT_REPLIES))
                )
            if abandoned:
                break
            t += self._reply_delay(agent, t)
            events.append(
                self._event(
                    conv, buyer, t, "agent", self._agent_text(agent, pii_seen), agent.name, self._reply_type()
                )
            )
            t += rng.uniform(20, 400)
        return events

    def _short_staffed(self, local: datetime) -> bool:
        # Every third day someone is off sick: the day the reply rate dips under 80 %.
        return (local.date() - self.start.date()).days % 3 == 1

    def _reply_type(self) -> str:
        return self.rng.choice(REPLY_TYPES) if self.rng.random() < 0.06 else "text"

    def _agent_text(self, agent: AgentProfile, pii_seen: str) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < agent.violation_share:
            return self._fill(rng.choice(AGENT_VIOLATIONS))
        roll -= agent.violation_share
        if roll < agent.canned_share:
            return AGENT_CANNED
        roll -= agent.canned_share
        if pii_seen and roll < agent.pii_echo_share:
            return f"亲，跟您核对一下：{pii_seen.removeprefix('我的')}，对吗？"
        return self._fill(rng.choice(AGENT_REPLIES))


def generate_events(
    *,
    shop: str = "demo-shop",
    platform: str = DEFAULT_PLATFORM,
    days: int = 7,
    messages: int = 5000,
    seed: int = 0,
    start: date | None = None,
) -> Iterator[dict[str, Any]]:
    """Exactly ``messages`` canonical event dicts (ts in Asia/Shanghai), deterministic per seed."""
    if days < 1 or messages < 0:
        raise ValueError("days must be >= 1 and messages >= 0")
    if start is None:
        today = datetime.now(UTC).date()
        start = today - timedelta(days=days)
    traffic = _Traffic(shop=shop, platform=platform, days=days, seed=seed, start=start)
    # About six visits per buyer over the period, whatever the volume.
    traffic.buyers = max(50, messages // 25)
    produced = 0
    while produced < messages:
        for event in traffic.session():
            yield event
            produced += 1
            if produced == messages:
                return
