"""The built-in QC detectors (registered in ``csguard.qc.inspect.detectors``)."""

from __future__ import annotations

import difflib
import re

import polars as pl

from csguard.privacy import mask_pii
from csguard.qc.columns import forward_fill_within, shift_within
from csguard.qc.inspect import Detector, InspectContext, detectors

_MESSAGE_COLUMNS = (
    "shop",
    "conversation_id",
    "message_id",
    "agent",
    "ts",
    "text",
    "context_sender",
    "context_text",
)
# A direct question, unless it only asks whether anyone is there ("在吗" is fairly answered by "在的").
QUESTION = r"[？?]|吗|怎么|什么|多少|几|能不能|哪"
PRESENCE_CHECK = r"^\s*(在吗|在不在|有人吗|人呢|[？?]+)[？?。！!~～\s]*$"
# A bare greeting/acknowledgement answers nothing.
BARE_REPLY = r"^\s*(亲[，,、\s]*)?(在的|在呢|您好|你好|嗯+|好的|收到|稍等)[呢哦呀~～！!。.，,\s]*$"


@detectors.register("guard_violation")
class GuardViolations(Detector):
    """Every agent message through ``Guard.check``; one finding per message and category."""

    kind = "violation"

    def detect(self, events: pl.DataFrame, ctx: InspectContext) -> pl.DataFrame:
        agent = events.filter(pl.col("sender") == "agent").select(_MESSAGE_COLUMNS)
        hits = ctx.texts().hits(agent.get_column("text"), mode="check")
        return agent.join(hits, on="text", how="inner").with_columns(kind=pl.lit(self.kind))


@detectors.register("buyer_risk")
class BuyerRisk(Detector):
    """Every buyer message through ``Guard.triage``: complaint threats, extortion, abuse, spam."""

    kind = "risk"

    def detect(self, events: pl.DataFrame, ctx: InspectContext) -> pl.DataFrame:
        buyer = (
            events.with_columns(
                # The agent in charge is the one who last replied in the conversation.
                forward_fill_within(pl.when(pl.col("sender") == "agent").then(pl.col("agent"))).alias("agent")
            )
            .filter(pl.col("sender") == "buyer")
            .select(_MESSAGE_COLUMNS)
        )
        hits = ctx.texts().hits(buyer.get_column("text"), mode="triage")
        return buyer.join(hits, on="text", how="inner").with_columns(kind=pl.lit(self.kind))


@detectors.register("repeated_reply")
class RepeatedReply(Detector):
    """The same reply pasted many times a day, as a large share of the agent's replies."""

    kind = "passive"

    def detect(self, events: pl.DataFrame, ctx: InspectContext) -> pl.DataFrame:
        cfg = ctx.passive
        agent = events.filter((pl.col("sender") == "agent") & (pl.col("type") == "text"))
        per_text = agent.group_by(["shop", "agent", "date", "text"]).agg(
            pl.len().alias("count"),
            pl.col("message_id").first(),
            pl.col("conversation_id").first(),
            pl.col("ts").first(),
        )
        totals = agent.group_by(["shop", "agent", "date"]).agg(pl.len().alias("total"))
        flagged = per_text.join(totals, on=["shop", "agent", "date"]).filter(
            (pl.col("count") >= cfg.repeat_min_count)
            & (pl.col("count") / pl.col("total") >= cfg.repeat_min_share)
        )
        return flagged.with_columns(
            kind=pl.lit(self.kind),
            category=pl.lit("repeated_reply"),
            severity=pl.lit("low"),
            value=pl.col("count").cast(pl.Float64),
            note=pl.format(
                "当天同一句话发送 {} 次，占其回复的 {}%",
                pl.col("count"),
                (pl.col("count") * 100 / pl.col("total")).round(0).cast(pl.Int64),
            ),
        )


@detectors.register("ignored_question")
class IgnoredQuestion(Detector):
    """A direct buyer question answered only with a bare greeting or "好的"."""

    kind = "passive"

    def detect(self, events: pl.DataFrame, ctx: InspectContext) -> pl.DataFrame:
        is_buyer = pl.col("sender") == "buyer"
        # The regexes run over the distinct buyer texts, not over every message.
        distinct = events.filter(is_buyer).select(pl.col("text").unique())
        questions = distinct.filter(
            pl.col("text").str.contains(QUESTION) & ~pl.col("text").str.contains(PRESENCE_CHECK)
        ).get_column("text")
        asks = is_buyer & pl.col("text").is_in(questions.implode())
        human = pl.when(pl.col("sender").is_in(["buyer", "agent"])).then(pl.col("sender"))
        marked = events.with_columns(
            question=forward_fill_within(pl.when(asks).then(pl.col("text"))),
            question_round=forward_fill_within(pl.when(asks).then(pl.col("seq"))),
            previous_human=shift_within(forward_fill_within(human)),
        )
        # The first human reply of a round whose buyer asked something (agent rows carry seq = round + 1).
        replies = marked.filter(
            (pl.col("sender") == "agent")
            & (pl.col("previous_human") == "buyer")
            & (pl.col("question_round") == pl.col("seq") - 1)
            & pl.col("text").str.contains(BARE_REPLY)
        )
        return replies.with_columns(
            kind=pl.lit(self.kind),
            category=pl.lit("ignored_question"),
            severity=pl.lit("medium"),
            context_sender=pl.lit("buyer"),
            context_text=pl.col("question"),
            note=pl.lit("买家直接提问，客服只回复了寒暄/确认，没有回答问题"),
        )


@detectors.register("long_silence")
class LongSilence(Detector):
    """A buyer waiting longer than ``silence_s`` inside service hours, or never answered."""

    kind = "passive"

    def detect(self, events: pl.DataFrame, ctx: InspectContext) -> pl.DataFrame:
        rounds = ctx.timed_rounds(events)
        slow = rounds.filter(~pl.col("answered") | (pl.col("response_s") > ctx.passive.silence_s))
        texts = events.select("message_id", "text")
        return slow.join(texts, on="message_id", how="left").select(
            "shop",
            "conversation_id",
            "message_id",
            "agent",
            pl.col("start").alias("ts"),
            "text",
            kind=pl.lit(self.kind),
            category=pl.when(pl.col("answered")).then(pl.lit("long_silence")).otherwise(pl.lit("unanswered")),
            severity=pl.lit("medium"),
            value=pl.col("response_s"),
            note=pl.when(pl.col("answered"))
            .then(pl.format("买家等待 {} 分钟才得到人工回复", (pl.col("response_s") / 60).round(1)))
            .otherwise(pl.lit("买家消息始终没有人工回复")),
        )


_DIGITS = re.compile(r"\d[\d \-]{5,}\d")
# Cheap column-wise pre-filter: only texts with a long number or an address word can hold PII.
# Cheap column-wise pre-filter, a superset of what ``mask_pii`` masks: phone, ID, landline,
# e-mail, or an address down to the house number.
MAY_HOLD_PII = (
    r"1[3-9]\d[ \-]?\d{4}[ \-]?\d{4}|\d{17}[\dXx]|0\d{2,3}-\d{7,8}|@[A-Za-z0-9.-]+\.[A-Za-z]"
    r"|(?:路|街|道|巷|弄|村|小区|园|苑)[\p{Han}0-9A-Za-z\-]{0,20}\d+(?:号|栋|幢|楼|室|单元|弄)"
)


def pii_tokens(text: str) -> list[str]:
    """The buyer data in ``text`` that ``mask_pii`` hides: digit runs and address parts."""
    masked = mask_pii(text)
    if masked == text:
        return []
    tokens = {re.sub(r"\D", "", m.group()) for m in _DIGITS.finditer(text)}
    matcher = difflib.SequenceMatcher(None, text, masked, autojunk=False)
    for op, i1, i2, _, _ in matcher.get_opcodes():
        segment = text[i1:i2]
        if op in ("replace", "delete") and len(segment) >= 3 and not segment.isdigit():
            tokens.add(segment)
    return sorted(t for t in tokens if len(t) >= 3)


@detectors.register("buyer_pii_echo")
class BuyerPiiEcho(Detector):
    """An agent repeating the buyer's phone number or address back in the chat."""

    kind = "privacy"

    def detect(self, events: pl.DataFrame, ctx: InspectContext) -> pl.DataFrame:
        def tokens_of(sender: str) -> pl.DataFrame:
            rows = events.filter(pl.col("sender") == sender)
            distinct = rows.get_column("text").unique()
            candidates = distinct.filter(distinct.str.contains(MAY_HOLD_PII)).to_list()
            pairs = [(text, token) for text in candidates for token in pii_tokens(text)]
            table = pl.DataFrame(pairs, schema={"text": pl.String, "token": pl.String}, orient="row")
            return rows.join(table, on="text")

        buyer = tokens_of("buyer").select("shop", "conversation_id", "token", pl.col("ts").alias("buyer_ts"))
        agent = tokens_of("agent")
        echoed = agent.join(buyer, on=["shop", "conversation_id", "token"]).filter(
            pl.col("ts") >= pl.col("buyer_ts")
        )
        per_message = echoed.group_by(list(_MESSAGE_COLUMNS)).agg(
            pl.col("token").unique().sort().alias("matched")
        )
        return per_message.with_columns(
            kind=pl.lit(self.kind),
            category=pl.lit("buyer_pii_repeated"),
            severity=pl.lit("high"),
            note=pl.lit("客服在聊天中复述了买家的手机号/地址等个人信息"),
        )
