#!/usr/bin/env python3
"""Compose the outbound (agent -> buyer) training corpus from hand-written fragments.

Deterministic: the same fragments and the same SEED always give the same corpus.jsonl.

    python training/corpus/outbound/build_corpus.py            # writes corpus.jsonl + stats.json
    python training/corpus/outbound/build_corpus.py --with-core-id   # adds a "core" field
                                                                      # (use it for grouped splits)

Fragment files (in fragments/):
  <category>.txt        one violating core phrasing per line, category id = file stem
  look_alike*.txt       innocent cores that share vocabulary with violations
  benign*.txt           ordinary innocent cores
  multi.txt             "cat1,cat2<TAB>core" lines violating several categories
  slots.txt             [SLOT] sections with filler values shared by all kinds
Lines starting with '#' and blank lines are ignored. {SLOT} placeholders are filled here.

Stdlib only.
"""
import argparse
import json
import os
import random
import re
import sys

SEED = 20240611
HERE = os.path.dirname(os.path.abspath(__file__))
FRAG_DIR = os.path.join(HERE, "fragments")

CATEGORIES = [
    "offsite_diversion",
    "review_manipulation",
    "absolute_claim",
    "abusive_language",
    "privacy_leak",
    "false_or_fraud",
    "superstition",
]

# Targets (lines after dedupe).
SINGLE_PER_CATEGORY = 2300
LOOK_ALIKE_TARGET = 6000
BENIGN_TARGET = 5000
MULTI_HANDWRITTEN_TARGET = 200
MULTI_COMPOSED_TARGET = 420

# ---------------------------------------------------------------------------
# Surface variation shared by EVERY kind of line (so it carries no label signal)
# ---------------------------------------------------------------------------
GREETINGS = [
    "亲", "亲", "亲", "亲亲", "亲亲", "宝子", "宝子", "宝", "宝宝", "您好", "您好", "你好",
    "亲爱的", "哈喽", "hello", "在的亲", "在的", "嗯嗯亲", "好的亲", "家人", "家人们",
    "小可爱", "美女", "帅哥", "姐妹", "亲爱哒", "嗨", "老铁", "朋友",
]
GREETING_SEPS = ["，", "，", "，", " ", "", "~", "！", ",", "～"]
P_GREETING = 0.62

TAILS = [
    "哦", "哦", "哦", "呢", "呢", "~", "~", "哈", "呀", "啦", "哈~", "哦~", "呢~", "～～",
    "😊", "🌹", "🙏", "❤️", "😄", "👍", "💕", "[玫瑰]", "[微笑]", "[抱拳]", "^_^",
    "有问题随时找我", "有问题随时找我哦", "有问题随时找我~", "还有什么可以帮您",
    "谢谢亲", "感谢支持", "谢谢", "么么哒", "比心", "辛苦啦", "麻烦了",
    "!", "！", "。", "!!",
]
P_TAIL = 0.55
WORD_TAILS_SEP = ["，", "，", " ", "", "。", "~"]

CONTEXT_JOINERS = ["，", "。", " ", "！", "~", "，然后", "。另外", "；"]
P_CONTEXT = 0.16

PUNCT = set("，。！？、；：,.!?;:~～…—\"“”‘’（）()【】「」《》")
P_PUNCT_DROP = 0.18
P_PUNCT_SPACE = 0.12

SLOT_RE = re.compile(r"\{([A-Z_]+)\}")

CN_DIGITS = {
    "0": ["零", "〇"], "1": ["一", "幺"], "2": ["二"], "3": ["三"], "4": ["四"],
    "5": ["五"], "6": ["六"], "7": ["七"], "8": ["八"], "9": ["九"],
}
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------
def read_lines(path):
    out = []
    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            line = raw.rstrip("\n").strip()
            if not line or line.startswith("#"):
                continue
            out.append(line)
    return out


def load_slots(path):
    slots, cur = {}, None
    for line in read_lines(path):
        m = re.fullmatch(r"\[([A-Z_]+)\]", line)
        if m:
            cur = m.group(1)
            slots.setdefault(cur, [])
        elif cur is None:
            raise ValueError("slot value before any [SECTION]: %r" % line)
        else:
            slots[cur].append(line)
    return slots


def load_fragments():
    """Return dict pool_name -> list of core dicts."""
    pools = {}
    for fn in sorted(os.listdir(FRAG_DIR)):
        if not fn.endswith(".txt") or fn == "slots.txt":
            continue
        stem = fn[:-4]
        path = os.path.join(FRAG_DIR, fn)
        lines = read_lines(path)
        if stem == "multi":
            pool = []
            for i, line in enumerate(lines):
                cats, text = line.split("\t", 1)
                cats = sorted(c.strip() for c in cats.split(","))
                for c in cats:
                    if c not in CATEGORIES:
                        raise ValueError("unknown category %r in multi.txt" % c)
                pool.append({"id": "multi:%d" % i, "text": text.strip(),
                             "categories": cats, "kind": "violation"})
            pools["multi"] = pool
        elif stem in CATEGORIES:
            pools[stem] = [{"id": "%s:%d" % (stem, i), "text": t, "categories": [stem],
                            "kind": "violation"} for i, t in enumerate(lines)]
        elif stem.startswith("look_alike"):
            pools.setdefault("look_alike", []).extend(
                {"id": "%s:%d" % (stem, i), "text": t, "categories": [], "kind": "look_alike"}
                for i, t in enumerate(lines))
        elif stem.startswith("benign"):
            pools.setdefault("benign", []).extend(
                {"id": "%s:%d" % (stem, i), "text": t, "categories": [], "kind": "benign"}
                for i, t in enumerate(lines))
        else:
            raise ValueError("unrecognised fragment file %s" % fn)
    # the same core text must never appear under two labels
    seen = {}
    for name, pool in pools.items():
        for c in pool:
            key = c["text"]
            if key in seen and seen[key] != (tuple(c["categories"]), c["kind"]):
                raise ValueError("core %r appears with conflicting labels" % key)
            seen[key] = (tuple(c["categories"]), c["kind"])
    return pools


# ---------------------------------------------------------------------------
# Slot generators (everything invented; phones follow 1xx-0000-xxxx)
# ---------------------------------------------------------------------------
class Filler:
    def __init__(self, slots, rng):
        self.s = slots
        self.r = rng

    def pick(self, name):
        return self.r.choice(self.s[name])

    def digits(self, n, first_nonzero=True):
        d = [str(self.r.randint(1 if first_nonzero else 0, 9))]
        d += [str(self.r.randint(0, 9)) for _ in range(n - 1)]
        return "".join(d)

    def raw_phone(self):
        # well-formed 11-digit mobile shape, obviously fake middle block "0000"
        prefix = self.r.choice(["130", "133", "135", "138", "139", "150", "152", "158",
                                "166", "177", "180", "186", "188", "191", "199"])
        return prefix + "0000" + self.digits(4, first_nonzero=False)

    def to_cn(self, digits):
        zero = self.r.choice(CN_DIGITS["0"])
        one = self.r.choice(CN_DIGITS["1"])
        out = []
        for ch in digits:
            if ch == "0":
                out.append(zero)
            elif ch == "1":
                out.append(one)
            elif ch in CN_DIGITS:
                out.append(CN_DIGITS[ch][0])
            else:
                out.append(ch)
        return "".join(out)

    def phone(self):
        p = self.raw_phone()
        mode = self.r.random()
        if mode < 0.55:
            return p
        if mode < 0.72:
            return "%s-%s-%s" % (p[:3], p[3:7], p[7:])
        if mode < 0.86:
            return "%s %s %s" % (p[:3], p[3:7], p[7:])
        if mode < 0.94:
            return p.translate(FULLWIDTH)
        return " ".join(p)

    def phone_cn(self):
        p = self.raw_phone()
        mode = self.r.random()
        if mode < 0.6:
            return self.to_cn(p)
        if mode < 0.8:  # mixed: first half Chinese, rest digits
            k = self.r.randint(3, 7)
            return self.to_cn(p[:k]) + p[k:]
        return " ".join(self.to_cn(p))

    def phone_split(self):
        p = self.raw_phone()
        return self.r.choice([
            "%s，%s，%s" % (p[:3], p[3:7], p[7:]),
            "前三位%s 中间%s 后四位%s" % (p[:3], p[3:7], p[7:]),
            "%s/%s/%s" % (p[:3], p[3:7], p[7:]),
            "%s 然后 %s 再 %s" % (self.to_cn(p[:3]), p[3:7], self.to_cn(p[7:])),
        ])

    def raw_qq(self):
        return self.digits(self.r.randint(8, 10))

    def qqnum(self):
        q = self.raw_qq()
        return q if self.r.random() < 0.85 else " ".join(q)

    def qqnum_cn(self):
        q = self.raw_qq()
        return self.to_cn(q) if self.r.random() < 0.7 else self.to_cn(q[:4]) + q[4:]

    def account_id(self):
        a = self.pick("IDPART")
        b = self.r.choice([self.digits(self.r.randint(2, 4), False), self.pick("IDPART"),
                           self.pick("IDPART") + self.digits(2, False), "", "520", "666", "888"])
        sep = self.r.choice(["", "", "_", "-", ""])
        aid = a + (sep + b if b else self.digits(3, False))
        if self.r.random() < 0.15:
            aid = aid.upper()
        if self.r.random() < 0.08:
            aid = " ".join(aid)
        return aid

    def idcard(self):
        # region + birth date + "000" sequence + "0" check digit: shaped like an ID, visibly fake
        region = self.r.choice(["110101", "310104", "440106", "330106", "510107", "420106"])
        y = self.r.randint(1965, 2002)
        m = self.r.randint(1, 12)
        d = self.r.randint(1, 28)
        return "%s%04d%02d%02d0000" % (region, y, m, d)

    def track(self):
        pre = self.r.choice(["SF", "YT", "ZTO", "JT", "YD", "JD", "STO", "DPK", ""])
        n = 13 if pre else 12
        return pre + self.digits(n)

    def order(self):
        return "2" + self.digits(17, False)

    def url(self):
        host = self.r.choice([
            "%s%s.cn" % (self.pick("IDPART"), self.digits(2)),
            "www.%s-shop.com" % self.pick("IDPART"),
            "m.%s%s.top" % (self.pick("IDPART"), self.pick("IDPART")),
            "%s.vip" % self.pick("IDPART"),
            "dwz.%s.cc" % self.pick("IDPART"),
            "%shaowu.net" % self.pick("IDPART"),
        ])
        path = self.r.choice(["", "/" + self.pick("IDPART") + self.digits(3), "/s/" +
                              "".join(self.r.choice("abcdefghjkmnpqrstuvwxyz23456789")
                                      for _ in range(6)), "/item?id=" + self.digits(6)])
        scheme = self.r.choice(["", "", "http://", "https://"])
        return scheme + host + path

    def name(self):
        sn = self.pick("SURNAME")
        mode = self.r.random()
        if mode < 0.5:
            return sn + self.pick("GIVEN")
        if mode < 0.85:
            return sn + self.pick("HONORIFIC")
        return "小" + sn if self.r.random() < 0.5 else "老" + sn

    def addr(self):
        # district names are generic and not tied to the city, so include them only sometimes
        parts = [self.pick("CITY")]
        if self.r.random() < 0.35:
            parts.append(self.pick("DISTRICT"))
        parts += [self.pick("ROAD"), "%d号" % self.r.randint(1, 399)]
        if self.r.random() < 0.8:
            parts.append("%d栋%d单元%d室" % (self.r.randint(1, 30), self.r.randint(1, 6),
                                          self.r.randint(1, 32) * 100 + self.r.randint(1, 4)))
        if self.r.random() < 0.3:
            parts = parts[1:]
        return "".join(parts)

    def fill(self, name):
        gen = {
            "PHONE": self.phone, "PHONE_CN": self.phone_cn, "PHONE_SPLIT": self.phone_split,
            "QQNUM": self.qqnum, "QQNUM_CN": self.qqnum_cn, "ID": self.account_id,
            "IDCARD": self.idcard, "TRACK": self.track, "ORDER": self.order,
            "TAIL": lambda: self.digits(4, False), "URL": self.url, "NAME": self.name,
            "ADDR": self.addr,
        }
        if name in gen:
            return gen[name]()
        if name in self.s:
            return self.pick(name)
        raise KeyError("unknown slot {%s}" % name)

    def fill_all(self, text):
        return SLOT_RE.sub(lambda m: self.fill(m.group(1)), text)


# ---------------------------------------------------------------------------
# Composition
# ---------------------------------------------------------------------------
def strip_end_punct(s):
    return s.rstrip("，。！？,.!?~～ ")


def punct_mode(text, rng):
    r = rng.random()
    if r < P_PUNCT_DROP:
        return "".join(ch for ch in text if ch not in PUNCT).strip()
    if r < P_PUNCT_DROP + P_PUNCT_SPACE:
        out, prev_space = [], False
        for ch in text:
            if ch in PUNCT:
                if not prev_space:
                    out.append(" ")
                prev_space = True
            else:
                out.append(ch)
                prev_space = False
        return re.sub(r" +", " ", "".join(out)).strip()
    return text


def decorate(core_text, rng, context_pool):
    """Greeting + core (+ optional benign context) + tail + punctuation mode.

    Applied identically to every kind of line.
    """
    body = core_text
    if context_pool and rng.random() < P_CONTEXT:
        ctx = strip_end_punct(rng.choice(context_pool)["text"])
        j = rng.choice(CONTEXT_JOINERS)
        body = (ctx + j + body) if rng.random() < 0.5 else (strip_end_punct(body) + j + ctx)
    text = body
    if rng.random() < P_GREETING:
        text = rng.choice(GREETINGS) + rng.choice(GREETING_SEPS) + text
    if rng.random() < P_TAIL:
        tail = rng.choice(TAILS)
        if len(tail) > 2 and all("\u4e00" <= c <= "\u9fff" for c in tail[:2]):
            text = strip_end_punct(text) + rng.choice(WORD_TAILS_SEP) + tail
        elif tail in ("!", "！", "。", "!!"):
            text = strip_end_punct(text) + tail
        else:
            sep = "" if rng.random() < 0.8 else " "
            text = strip_end_punct(text) + sep + tail
    text = punct_mode(text, rng)
    return text


def round_robin(pool, rng):
    """Infinite iterator over pool, reshuffled every pass (every core gets used evenly)."""
    while True:
        order = list(pool)
        rng.shuffle(order)
        for c in order:
            yield c


def build(with_core_id=False):
    rng = random.Random(SEED)
    slots = load_slots(os.path.join(FRAG_DIR, "slots.txt"))
    pools = load_fragments()
    filler = Filler(slots, rng)
    context_pool = pools["benign"]

    # sanity: all slots known
    for name, pool in pools.items():
        for c in pool:
            for s in SLOT_RE.findall(c["text"]):
                try:
                    Filler(slots, random.Random(0)).fill(s)
                except KeyError:
                    raise SystemExit("unknown slot {%s} in %s" % (s, c["id"]))

    seen = set()
    records = []

    def emit(text, cats, kind, core_id):
        text = re.sub(r"\s+", " ", text).strip()
        if not text or text in seen:
            return False
        seen.add(text)
        rec = {"text": text, "categories": sorted(cats), "kind": kind}
        if with_core_id:
            rec["core"] = core_id
        records.append(rec)
        return True

    def produce(pool, target, max_tries_factor=40):
        it = round_robin(pool, rng)
        made, tries = 0, 0
        while made < target and tries < target * max_tries_factor:
            tries += 1
            c = next(it)
            text = filler.fill_all(decorate(c["text"], rng, context_pool))
            if emit(text, c["categories"], c["kind"], c["id"]):
                made += 1
        return made

    made = {}
    for cat in CATEGORIES:
        made[cat] = produce(pools[cat], SINGLE_PER_CATEGORY)
    made["look_alike"] = produce(pools["look_alike"], LOOK_ALIKE_TARGET)
    made["benign"] = produce(pools["benign"], BENIGN_TARGET)
    made["multi_handwritten"] = produce(pools["multi"], MULTI_HANDWRITTEN_TARGET)

    # composed multi-category lines: two cores from two different categories
    n, tries = 0, 0
    while n < MULTI_COMPOSED_TARGET and tries < MULTI_COMPOSED_TARGET * 40:
        tries += 1
        a, b = rng.sample(CATEGORIES, 2)
        ca, cb = rng.choice(pools[a]), rng.choice(pools[b])
        core = strip_end_punct(ca["text"]) + rng.choice(["，", "。", " ", "！", "，而且", "，另外"]) + cb["text"]
        text = filler.fill_all(decorate(core, rng, None))
        if emit(text, [a, b], "violation", ca["id"] + "+" + cb["id"]):
            n += 1
    made["multi_composed"] = n

    rng.shuffle(records)
    return pools, records, made


def stats_of(pools, records):
    per_cat = {c: 0 for c in CATEGORIES}
    per_kind = {}
    multi = 0
    for r in records:
        per_kind[r["kind"]] = per_kind.get(r["kind"], 0) + 1
        for c in r["categories"]:
            per_cat[c] += 1
        if len(r["categories"]) > 1:
            multi += 1
    cores = {k: len({c["text"] for c in v}) for k, v in pools.items()}
    return {
        "seed": SEED,
        "total_lines": len(records),
        "lines_per_category": per_cat,
        "lines_per_kind": per_kind,
        "multi_category_lines": multi,
        "innocent_lines": per_kind.get("look_alike", 0) + per_kind.get("benign", 0),
        "handwritten_cores": cores,
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(HERE, "corpus.jsonl"))
    ap.add_argument("--stats", default=os.path.join(HERE, "stats.json"))
    ap.add_argument("--with-core-id", action="store_true",
                    help="add a 'core' field naming the hand-written core(s) a line came from")
    args = ap.parse_args(argv)

    pools, records, made = build(with_core_id=args.with_core_id)
    with open(args.out, "w", encoding="utf-8", newline="\n") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    st = stats_of(pools, records)
    with open(args.stats, "w", encoding="utf-8", newline="\n") as fh:
        json.dump(st, fh, ensure_ascii=False, indent=2, sort_keys=True)
        fh.write("\n")
    json.dump(st, sys.stdout, ensure_ascii=False, indent=2, sort_keys=True)
    sys.stdout.write("\n")
    for k, v in made.items():
        if k in CATEGORIES and v < SINGLE_PER_CATEGORY:
            sys.stderr.write("warning: %s only reached %d lines\n" % (k, v))


if __name__ == "__main__":
    main()
