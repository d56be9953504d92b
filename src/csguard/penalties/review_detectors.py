"""Detectors for the platforms' malicious-review appeal reasons (Douyin-style 恶意评价申诉).

One small class per reason behind one interface, registered in ``REVIEW_DETECTORS`` so a plugin
can add a reason or a platform variant. Each returns the evidence it found (Chinese lines a
reviewer can check) or ``None``. Buyers disguise extortion (50元 → 5O块, 差评 → cp/茶评, 转账 →
v我), so text is normalised before the patterns run, and the guard's triage reads the raw lines.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from csguard.guard import Guard
from csguard.plugins import Registry
from csguard.privacy import mask_pii

# A review used to extort is appealed under the same id as the triage signal that finds it.
from csguard.vocab import EXTORTION, OFFSITE_DIVERSION, SPAM_AD


@dataclass(frozen=True, slots=True)
class LogisticsProof:
    carrier: str = ""
    tracking_no: str = ""
    shipped_on: date | None = None
    delivered_on: date | None = None


@dataclass(frozen=True, slots=True)
class Review:
    order_id: str
    rating: int
    text: str
    created: date


@dataclass
class ReviewContext:
    """What the seller can prove besides the review: chat, logistics, the buyer's history."""

    buyer_messages: list[str] = field(default_factory=list)
    logistics: LogisticsProof | None = None
    buyer_bad_reviews_30d: int = 0
    authenticity_proof: bool = False
    packing_proof: bool = False


_HOMOPHONES = (
    (re.compile(r"差平|茶评|插评|差坪|叉评|chaping|cp|差p|差ping"), "差评"),
    (re.compile(r"好平|好ping"), "好评"),
    (re.compile(r"(一|1|壹)(颗)?星(?!期)|低分|负分"), "差评"),
    (re.compile(r"v我|vx转|wx转|微信转|支付宝转|转我|打我|打给我"), "转账"),
    (re.compile(r"块钱|米|元钱|rmb|r(?=\W|$)|¥|￥"), "元"),
)
_CN_NUM = re.compile(r"[一二三四五六七八九十百两]+(?=块|元|米)")
_LETTER_DIGITS = re.compile(r"(\d)(o+)")
_SEPARATORS = re.compile(r"[\s\-_.·*~/\\|​‌‍]+")


def normalize(text: str) -> str:
    """Undo the usual disguises: full-width forms, separators, homophones, letter-for-digit swaps."""
    out = unicodedata.normalize("NFKC", text).lower()
    out = _SEPARATORS.sub("", out)
    out = _LETTER_DIGITS.sub(lambda m: m.group(1) + "0" * len(m.group(2)), out)
    for pattern, replacement in _HOMOPHONES:
        out = pattern.sub(replacement, out)
    return _CN_NUM.sub("9", out)  # the amount itself does not matter, only that one is named


_MONEY = re.compile(
    r"\d+元|\d+块|\d+的?红包|转账|红包|补偿|赔偿|赔(我|点|钱)|(给|转|返|翻倍)[^，。！？]{0,6}钱|钱[^，。！？]{0,6}(给我|翻倍)|好处|辛苦费|精神损失|意思意思|表示(一下)?|诚意"
    r"|(退|返|给|转|赔|补|发)(我|个)?(\d+|[二三四五六七八九十百两][一二三四五六七八九十百两]*)"
)
# Only the review (and public exposure) counts as leverage: "不赔钱就投诉" is a complaint threat,
# which triage reports separately, not review extortion.
_REFUND = re.compile(r"退款|退货|退钱|退回|不退|再不退|退了")
_LEVERAGE = re.compile(r"差评|追评|改评|删评|删掉评价|评价|五星|5星|好评|晒图|曝光")


class ReasonDetector(Protocol):
    reason: str
    priority: int

    def detect(self, review: Review, context: ReviewContext, guard: Guard) -> list[str] | None: ...


REVIEW_DETECTORS: Registry[type[ReasonDetector]] = Registry("review reason")


@REVIEW_DETECTORS.register(EXTORTION)
class ExtortionDetector:
    """利用评价要挟: a money demand tied to the review, in the buyer's chat (or the review itself)."""

    reason: str = EXTORTION
    priority = 10

    def detect(self, review: Review, context: ReviewContext, guard: Guard) -> list[str] | None:
        evidence = []
        for line in [*context.buyer_messages, review.text]:
            norm = normalize(line)
            # A sum of money and the review named in one message is the demand itself; the
            # conditional wording (不给…就, 否则) only makes it explicit.
            own = bool(_MONEY.search(norm) and _LEVERAGE.search(norm))
            # Pressing for one's own refund is a normal right, not extortion, even if triage
            # (which escalates any threat) flags it; only a demand beyond it counts.
            refund_only = bool(_REFUND.search(norm)) and not own
            triaged = not refund_only and EXTORTION in guard.triage(line).signals
            if own or triaged:
                how = "风控分诊识别为勒索" if triaged else "识别到以评价为条件索要财物"
                where = "买家评价" if line is review.text else "买家聊天"
                evidence.append(f"{where}：「{mask_pii(line)}」（{how}）")
        return evidence or None


_URL = re.compile(r"https?:|www\.|\.(com|cn|net|top|vip)\b")
_CONTACT = re.compile(r"微信|weixin|vx|v信|薇|加v|\+v|qq|扣扣|企鹅|私聊|私信我")
# A long number is a QQ/phone only next to other words; a review of bare digits is just noise.
_NUMBER_WITH_WORDS = re.compile(r"(?=.*[^\d\W]).*\d{6,}")
_PROMO = re.compile(
    r"代理|招商|加盟|兼职|刷单|日结|代购|优惠券|领券|返利|关注(我|主页|店铺)|进群|拉群|拉人|(团购|福利|粉丝)群"
    r"|私我|看我(头像|主页)|带你赚钱|搜(索)?店铺|加我|加好友|副业|日赚|一天(\d+|[两三四五六七八九十百]+)"
)


@REVIEW_DETECTORS.register("advertising")
class AdvertisingDetector:
    """广告评价: contact details, links or promotion in the review text."""

    reason = "advertising"
    priority = 20

    def detect(self, review: Review, context: ReviewContext, guard: Guard) -> list[str] | None:
        norm = normalize(review.text)
        plain = unicodedata.normalize("NFKC", review.text).lower()  # links need their dots
        hits = [
            m.group()
            for rx, text in ((_URL, plain), (_CONTACT, norm), (_PROMO, norm), (_NUMBER_WITH_WORDS, norm))
            for m in [rx.search(text)]
            if m
        ]
        check = guard.check(review.text)
        if OFFSITE_DIVERSION in check.categories:
            hits.append("站外引流")
        if SPAM_AD in guard.triage(review.text).signals:
            hits.append("广告推广")
        if not hits:
            return None
        return [
            f"评价内容含广告/引流信息：{'、'.join(dict.fromkeys(hits))}（原文：「{mask_pii(review.text)}」）"
        ]


_OTHER_SHOP = re.compile(
    r"(隔壁|别家|别的店|其他店|别人家|另一家|其他家|他家|那家|我家|我们家|我店|[\w]{1,8}(旗舰店|专营店|(?<![大商卖买])家))[^，。！？]{0,10}(好|便宜|推荐|买|强|划算|两件|多)"
    r"|来(我们|我)(店|家)|(推荐|建议)(大家)?(去|买)[^，。！？]{0,10}(家|店)|还是(买)?[^，。！？]{1,8}(家|店)的"
)
_PROBING = re.compile(r"进货价|拿货价|成本价|供应商|厂家是|哪个厂|工厂|拿的货|拿货|货源|(卖|销量)多少|利润")


@REVIEW_DETECTORS.register("competitor")
class CompetitorDetector:
    """同行恶意竞争: steering buyers to another shop, probing supply details, or serial bad reviews."""

    reason = "competitor"
    priority = 30
    serial_threshold = 3

    def detect(self, review: Review, context: ReviewContext, guard: Guard) -> list[str] | None:
        evidence = []
        norm = normalize(review.text)
        if _OTHER_SHOP.search(norm):
            evidence.append(f"评价引导买家转向其他店铺：「{mask_pii(review.text)}」")
        probes = [line for line in context.buyer_messages if _PROBING.search(normalize(line))]
        evidence += [f"买家聊天打探货源/成本：「{mask_pii(line)}」" for line in probes]
        if context.buyer_bad_reviews_30d >= self.serial_threshold:
            evidence.append(f"该买家近30天在本店{context.buyer_bad_reviews_30d}笔订单后连续给出差评")
        return evidence or None


_NOT_RECEIVED = re.compile(
    r"没(有)?收到|没送到|没送达|送不到|未收到|收不到|不发货|没发货|没到货|一直没到|还没到|到现在都没|迟迟不到|物流太慢|\d+天才到"
)
_FAKE = re.compile(r"假货|假的|不是正品|高仿|山寨")
_SHORT = re.compile(r"少发|漏发|发错|缺件|少了(一|1)?件|空包")


@REVIEW_DETECTORS.register("false_claim")
class FalseClaimDetector:
    """消费者虚假评价: the review states facts the seller's records contradict."""

    reason = "false_claim"
    priority = 40

    def detect(self, review: Review, context: ReviewContext, guard: Guard) -> list[str] | None:
        norm = normalize(review.text)
        evidence = []
        proof = context.logistics
        if (
            _NOT_RECEIVED.search(norm)
            and proof
            and proof.delivered_on
            and proof.delivered_on <= review.created
        ):
            evidence.append(
                f"物流记录：{proof.carrier or '快递'} {proof.tracking_no} 于 {proof.shipped_on or '—'} 发出，"
                f"{proof.delivered_on} 已签收，早于评价日期 {review.created}"
            )
        if _FAKE.search(norm) and context.authenticity_proof:
            evidence.append("店铺可提供品牌授权书/进货凭证，证明商品为正品")
        if _SHORT.search(norm) and context.packing_proof:
            evidence.append("店铺可提供打包称重/发货视频，证明商品已足量发出")
        return evidence or None


_FILLER = set("啊哈呵嗯哦呃额嘿哼唉噢喔呜嘻嗷")
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _is_mash(word: str) -> bool:
    in_row = any(word in row or word[::-1] in row for row in _KEYBOARD_ROWS)
    return len(word) >= 4 and (in_row or re.search(r"[^aeiou]{5}", word) is not None)


def _is_meaningful_latin(text: str) -> bool:
    words = re.findall(r"[a-z]+", text)
    return any(len(w) >= 2 and re.search(r"[aeiouy]", w) and not _is_mash(w) for w in words)


@REVIEW_DETECTORS.register("meaningless")
class MeaninglessDetector:
    """无实际含义: symbols, digits, keyboard mashing or a single filler sound repeated."""

    reason = "meaningless"
    priority = 50

    def detect(self, review: Review, context: ReviewContext, guard: Guard) -> list[str] | None:
        plain = unicodedata.normalize("NFKC", review.text).lower()
        core = re.sub(r"[\W_]", "", plain)
        cjk = [c for c in core if "\u4e00" <= c <= "\u9fff"]
        if cjk:
            meaningless = set(cjk) <= _FILLER or (len(core) >= 4 and len(set(core)) == 1)
        else:
            meaningless = not _is_meaningful_latin(plain)
        if not meaningless:
            return None
        return [f"评价内容无实际含义（原文：「{mask_pii(review.text)}」），未描述商品或服务"]
