"""Throughput of ``Guard.check`` against bare multi-pattern engines on realistic CS traffic.

Run: ``python bench/bench_check.py [--messages 50000] [--traffic real|templated] [--json bench.json]``

The traffic (issue 10): 90 % real agent lines (../shared/data/real_cs jddc + ecd agent.jsonl,
when present; otherwise the templated benign lines below, and the report says so) and 10 %
templated violating lines. Everything is measured in ONE process run so the ratios compare like
with like: the guard over the shipped packs with the learned model on and off, then the same texts
through a bare ahocorasick-rs scan, pyahocorasick and flashtext over the guard's own pattern set;
then the same with a 20,000-term synthetic lexicon.
The bare engines only find raw substrings (no normalization, no recognizers, no allow-lists), so
they are the upper bound the acceptance target (Guard >= 0.25 x bare ahocorasick-rs) refers to.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from csguard import Guard

REAL_CS = Path(__file__).resolve().parents[2] / "shared" / "data" / "real_cs"
REAL_AGENT_FILES = ("jddc/agent.jsonl", "ecd/agent.jsonl")

BENIGN = [
    "亲，今天下午{h}点前下单当天发货哦",
    "您好，请问有什么可以帮您？",
    "亲，您的订单{order}已经发出，快递单号SF{track}",
    "这款{item}{size}码偏小，建议拍大一码",
    "支付成功后48小时内发货，请耐心等待",
    "亲，收到货有任何问题随时联系我们，会为您处理的",
    "第一次购买的话可以先拍一件试试",
    "最近天气冷，注意保暖哦",
    "亲，退货地址在退货申请页面会自动显示",
    "微笑服务是我们的宗旨～",
    "好的亲，已经帮您备注了，仓库会优先安排",
    "{item}的尺码是{size}，身高17{h}左右可以穿",
    "价格是{price}元，已经是活动价了",
    "返修的话请寄回，我们收到后三天内处理",
    "亲，{item}支持七天无理由退货的",
    "您看一下页面上的规格说明，有详细参数",
    "这边已经帮您申请了补发，请留意物流",
    "快递一般{h}天左右到，偏远地区会慢一点",
]
VIOLATING = [
    "加我微信{wx}详聊",
    "加个VX {wx}，给你便宜点",
    "有问题加薇信{wx}",
    "打我电话{phone}",
    "联系电话一三八{d4}{d4}",
    "手机号①③⑧{d4}{d4}",
    "好评返现{price}元，晒图再加{price}",
    "五星好评给您返{price}元红包",
    "全网最好的{item}，没有之一",
    "去淘宝搜同名店铺，那边更便宜",
    "加我qq{d4}{d4}发你链接",
    "微❤信{wx}",
    "w e i x i n：{wx}",
    "你是不是傻逼啊",
    "国家级{item}，绝对正品",
    "私下转账给你打个折",
    "加V\u200bX {wx}",
]
ITEMS = ["枕头", "羽绒服", "卫衣", "保温杯", "运动鞋", "床单", "面霜", "充电宝"]
SIZES = ["S", "M", "L", "XL", "175/92A", "38", "42"]
CJK_POOL = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质争类导"


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        h=rng.randint(1, 9),
        order=rng.randint(10**15, 10**16 - 1),
        track=rng.randint(10**11, 10**12 - 1),
        item=rng.choice(ITEMS),
        size=rng.choice(SIZES),
        price=rng.choice([5, 10, 20, 39.9, 199]),
        wx=f"{rng.choice(['abc', 'shop', 'kefu'])}{rng.randint(100, 9999)}",
        phone=f"1{rng.choice('3589')}{rng.randint(10**8, 10**9 - 1)}",
        d4=rng.randint(1000, 9999),
    )


def make_traffic(n: int, seed: int, violating_share: float = 0.1) -> tuple[list[str], list[bool]]:
    """Messages of 10-80 characters, about ``violating_share`` of them violating (the flags)."""
    rng = random.Random(seed)
    messages: list[str] = []
    violating: list[bool] = []
    while len(messages) < n:
        bad = rng.random() < violating_share
        text = _fill(rng.choice(VIOLATING if bad else BENIGN), rng)
        while len(text) < 10 or (len(text) < 40 and rng.random() < 0.5):
            text += "，" + _fill(rng.choice(BENIGN), rng)
        messages.append(text[:80])
        violating.append(bad)
    return messages, violating


def real_agent_lines() -> list[str]:
    """Real agent lines from ../shared/data/real_cs (measurement only), or [] when absent."""
    lines: list[str] = []
    for name in REAL_AGENT_FILES:
        path = REAL_CS / name
        if path.exists():
            with path.open(encoding="utf-8") as fh:
                lines += [json.loads(line)["text"] for line in fh if line.strip()]
    return [t for t in lines if t]


def make_real_mix(n: int, seed: int, real: list[str], violating_share: float = 0.1) -> tuple[list[str], list[bool]]:
    """``violating_share`` templated violating lines, the rest drawn from real agent lines."""
    rng = random.Random(seed)
    messages: list[str] = []
    violating: list[bool] = []
    while len(messages) < n:
        bad = rng.random() < violating_share
        messages.append(_fill(rng.choice(VIOLATING), rng) if bad else rng.choice(real))
        violating.append(bad)
    return messages, violating


def synthetic_lexicon(size: int, seed: int) -> list[str]:
    """Shop-style banned terms: 3-5 characters, never an everyday word of the benign phrases.

    A random 2-character draw from common characters yields words like 我们 or 处理, which no
    shop bans and which would turn half the benign traffic into hits.
    """
    rng = random.Random(seed)
    everyday = "".join(BENIGN)
    terms: set[str] = set()
    while len(terms) < size:
        term = "".join(rng.choice(CJK_POOL) for _ in range(rng.randint(3, 5)))
        if not any(term[i : i + 2] in everyday for i in range(len(term) - 1)):
            terms.add(term)
    return sorted(terms)


def guard_patterns(guard: Guard) -> list[str]:
    """The literal patterns the guard's matcher is built from (rule terms, variants, custom words)."""
    return sorted({p for p in guard.compiled.patterns if p})


def _scanner_ac_rs(patterns: Sequence[str]) -> Callable[[str], int]:
    import ahocorasick_rs

    ac = ahocorasick_rs.AhoCorasick(list(patterns), matchkind=ahocorasick_rs.MatchKind.Standard)
    return lambda text: len(ac.find_matches_as_indexes(text, overlapping=True))


def _scanner_pyahocorasick(patterns: Sequence[str]) -> Callable[[str], int]:
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for i, p in enumerate(patterns):
        automaton.add_word(p, i)
    automaton.make_automaton()
    return lambda text: sum(1 for _ in automaton.iter(text))


def _scanner_flashtext(patterns: Sequence[str]) -> Callable[[str], int]:
    from flashtext import KeywordProcessor

    kp = KeywordProcessor(case_sensitive=True)
    for p in patterns:
        kp.add_keyword(p)
    return lambda text: len(kp.extract_keywords(text, span_info=True))


BATCH_SIZE = 1000

BARE_ENGINES = {
    "ahocorasick-rs": _scanner_ac_rs,
    "pyahocorasick": _scanner_pyahocorasick,
    "flashtext": _scanner_flashtext,
}


def throughputs(
    scanners: dict[str, tuple[Callable[[Any], Any], int | None]], texts: Sequence[str], repeat: int
) -> dict[str, dict[str, float]]:
    """Best of ``repeat`` passes per engine, the engines taking turns within each round.

    Taking turns means a burst of load from other processes slows every engine, not just the one
    that happened to run then, so the ratios hold up on a shared machine. With a batch size,
    an engine takes a list of that many texts at a time (``Guard.check_batch``).
    """
    chars = sum(len(t) for t in texts)
    units: dict[str, Sequence[Any]] = {
        name: [texts[i : i + batch] for i in range(0, len(texts), batch)] if batch else texts
        for name, (_, batch) in scanners.items()
    }
    for name, (scan, _) in scanners.items():
        for unit in units[name][:500]:  # warm caches and lazy tables before timing
            scan(unit)
    best = dict.fromkeys(scanners, float("inf"))
    for _ in range(repeat):
        for name, (scan, _) in scanners.items():
            start = time.perf_counter()
            for unit in units[name]:
                scan(unit)
            best[name] = min(best[name], time.perf_counter() - start)
    return {
        name: {"seconds": s, "messages_per_s": len(texts) / s, "chars_per_s": chars / s} for name, s in best.items()
    }


def cold_load_seconds() -> float:
    """Import csguard and build the first Guard in a fresh interpreter (what a CLI run pays)."""
    code = (
        "import time; t = time.perf_counter(); from csguard import Guard; Guard(platform='pdd'); "
        "print(time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return float(out.stdout.strip())


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def run_suite(
    name: str, guard: Guard, patterns: list[str], texts: list[str], repeat: int, rules_only: Guard | None = None
) -> dict[str, Any]:
    scanners: dict[str, tuple[Callable[[Any], Any], int | None]] = {"Guard.check": (guard.check, None)}
    if rules_only is not None:  # the same guard without the learned model (a shop that turned it off)
        scanners["Guard.check (no model)"] = (rules_only.check, None)
    # the bulk entry point, for batch jobs and the HTTP batch API
    scanners["Guard.check_batch"] = (guard.check_batch, BATCH_SIZE)
    for engine, build in BARE_ENGINES.items():
        scanners[engine] = (build(patterns), None)
    rows = throughputs(scanners, texts, repeat)
    bare = rows["ahocorasick-rs"]["messages_per_s"]
    suite = {"name": name, "patterns": len(patterns), "engines": rows}
    suite["guard_vs_ac_rs"] = rows["Guard.check"]["messages_per_s"] / bare
    if "Guard.check (no model)" in rows:
        suite["guard_no_model_vs_ac_rs"] = rows["Guard.check (no model)"]["messages_per_s"] / bare
    if "Guard.check_batch" in rows:
        suite["guard_batch_vs_ac_rs"] = rows["Guard.check_batch"]["messages_per_s"] / bare
    return suite


def print_report(report: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    t = report["traffic"]
    console.print(f"traffic: {t['kind']}")
    console.print(
        f"{t['messages']} messages, {t['chars']} chars, {t['violating']} violating "
        f"({t['violating_flagged']} of them flagged by the guard; benign flagged: {t['benign_flagged']}), "
        f"seed {t['seed']}"
    )
    for suite in report["suites"]:
        table = Table(title=f"{suite['name']} ({suite['patterns']} patterns)")
        for col in ("engine", "messages/s", "chars/s", "seconds"):
            table.add_column(col, justify="right" if col != "engine" else "left")
        for engine, row in suite["engines"].items():
            table.add_row(
                engine, f"{row['messages_per_s']:,.0f}", f"{row['chars_per_s']:,.0f}", f"{row['seconds']:.3f}"
            )
        console.print(table)
        verdict = "OK" if suite["guard_vs_ac_rs"] >= 0.25 else "BELOW TARGET"
        console.print(
            f"Guard.check (model on) / bare ahocorasick-rs = {suite['guard_vs_ac_rs']:.3f} (target >= 0.25: {verdict})"
        )
        if "guard_no_model_vs_ac_rs" in suite:
            console.print(f"Guard.check (no model) / bare ahocorasick-rs = {suite['guard_no_model_vs_ac_rs']:.3f}")
        if "guard_batch_vs_ac_rs" in suite:
            console.print(f"Guard.check_batch / bare ahocorasick-rs = {suite['guard_batch_vs_ac_rs']:.3f}")
    load = report["load"]
    console.print(
        f"pack load: cold import+Guard {load['cold_import_and_guard_s']:.3f} s, Guard() in-process "
        f"{load['guard_construct_s']:.3f} s, Guard({load['lexicon_terms']} custom words) "
        f"{load['lexicon_guard_construct_s']:.3f} s; peak RSS {report['peak_rss_mb']:.0f} MB; "
        f"load average {report['load_average_1m']:.1f} on {report['cpus']} CPUs"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--lexicon", type=int, default=20_000, help="size of the synthetic lexicon")
    parser.add_argument("--repeat", type=int, default=5, help="timed passes per engine (best is kept)")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--json", dest="json_path", help="also write the figures to this JSON file")
    parser.add_argument(
        "--traffic", choices=("real", "templated"), default="real",
        help="real: 90 %% real agent lines from ../shared/data/real_cs (templated when absent) + 10 %% violating",
    )
    args = parser.parse_args(argv)

    cold = cold_load_seconds()
    start = time.perf_counter()
    guard = Guard(platform="pdd")
    construct = time.perf_counter() - start
    rules_only = Guard(platform="pdd", model=False)
    real = real_agent_lines() if args.traffic == "real" else []
    if real:
        texts, violating = make_real_mix(args.messages, args.seed, real)
        kind = f"90 % real agent lines ({len(real)} from {REAL_CS}), 10 % templated violating lines"
    else:
        texts, violating = make_traffic(args.messages, args.seed)
        kind = "templated (90 % benign, 10 % violating)"
        if args.traffic == "real":
            kind += f" -- NOTE: {REAL_CS} is absent, so the real-traffic mix could not be measured"
    flagged = [guard.check(t).verdict != "allow" for t in texts]
    suites = [run_suite("shipped packs (pdd)", guard, guard_patterns(guard), texts, args.repeat, rules_only)]

    lexicon = synthetic_lexicon(args.lexicon, args.seed)
    start = time.perf_counter()
    lexicon_guard = Guard(platform="pdd", custom_words=lexicon)
    lexicon_construct = time.perf_counter() - start
    suites.append(
        run_suite(
            f"{args.lexicon} custom words", lexicon_guard, guard_patterns(lexicon_guard), texts, args.repeat
        )
    )

    report = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        # Other processes skew absolute figures; the ratios are measured side by side and hold up better.
        "load_average_1m": os.getloadavg()[0],
        "traffic": {
            "kind": kind,
            "messages": len(texts),
            "chars": sum(len(t) for t in texts),
            "violating": sum(violating),
            "violating_flagged": sum(f and v for f, v in zip(flagged, violating, strict=True)),
            "benign_flagged": sum(f and not v for f, v in zip(flagged, violating, strict=True)),
            "seed": args.seed,
        },
        "suites": suites,
        "load": {
            "cold_import_and_guard_s": cold,
            "guard_construct_s": construct,
            "lexicon_guard_construct_s": lexicon_construct,
            "lexicon_terms": len(lexicon),
        },
        "peak_rss_mb": peak_rss_mb(),
    }
    print_report(report)
    if args.json_path:
        with open(args.json_path, "w", encoding="utf-8") as fh:
            json.dump(report, fh, ensure_ascii=False, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
