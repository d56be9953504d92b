#!/usr/bin/env python3
"""Compose the inbound buyer-message training corpus from hand-written fragments.

Deterministic: a fixed seed, no set iteration, Python 3 standard library only.

    python3 training/corpus/inbound/build_corpus.py            # writes corpus.jsonl
    python3 training/corpus/inbound/build_corpus.py --check    # also fails on problems

Each output line is {"text": ..., "signals": [...], "kind": "signal|look_alike|benign"}.

Composition of one line: [opener] + [civil context] + core + [tail].  Openers, tails,
punctuation handling and civil-context prefixes are drawn by exactly the same
procedure for every kind of line, so none of them carries a signal.
"""

import argparse
import collections
import json
import os
import random
import re
import string
import sys

SEED = 20240521
HERE = os.path.dirname(os.path.abspath(__file__))
FRAG_DIR = os.path.join(HERE, "fragments")
OUT = os.path.join(HERE, "corpus.jsonl")

SIGNALS = ("complaint_threat", "extortion", "abuse", "spam_ad")

# fragment file -> (default labels, kind, number of lines to compose from it)
FILES = {
    "complaint_threat.txt": (("complaint_threat",), "signal", 620),
    "extortion.txt": (("extortion", "complaint_threat"), "signal", 1400),
    "abuse.txt": (("abuse",), "signal", 1450),
    "spam_ad.txt": (("spam_ad",), "signal", 1750),
    "multi.txt": (None, "signal", 200),
    "look_alike.txt": ((), "look_alike", 5200),
    "benign.txt": ((), "benign", 4200),
}
# composed multi-signal lines: (file A, file B, count)
COMBOS = (
    ("abuse.txt", "complaint_threat.txt", 190),
    ("abuse.txt", "extortion.txt", 80),
)
# sections of look_alike.txt whose lines are civil (no-threat) complaints; used as an
# optional context sentence in front of ANY core (innocent or signal) with the same rate
CONTEXT_SECTIONS = ("angry but civil", "more civil but annoyed messages")
CONTEXT_RATE = 0.14

LABEL_RE = re.compile(r"^\[([a-z_,]+)\]\s*")
SLOT_RE = re.compile(r"\{(\w+)\}")

# ---------------------------------------------------------------- shared noise
OPENERS = [
    ("", 40), ("在吗", 6), ("在吗？", 3), ("在吗?", 2), ("在不在", 2), ("在么", 1),
    ("你好", 5), ("你好，", 2), ("您好", 3), ("您好，", 1), ("hello", 1), ("hi", 1),
    ("哈喽", 1), ("客服", 4), ("客服在吗", 2), ("客服？", 2), ("客服!", 1), ("喂", 2),
    ("喂喂", 1), ("喂？", 1), ("亲", 2), ("亲在吗", 1), ("老板", 2), ("老板在吗", 1),
    ("掌柜的", 1), ("店家", 1), ("有人吗", 2), ("有人吗？？", 1), ("人呢", 1),
    ("那个", 1), ("我说", 1), ("商家", 1), ("小姐姐", 1), ("在线吗", 1),
]
TAILS = [
    ("", 42), ("？？？", 5), ("??", 3), ("?", 2), ("！！", 2), ("!!!", 2), ("。。。", 2),
    ("...", 2), ("快点", 3), ("快点回复", 2), ("速度", 1), ("急", 2), ("急急急", 1),
    ("回复我", 2), ("赶紧的", 1), ("说话啊", 1), ("😡", 2), ("😤", 1), ("🙏", 2),
    ("😭", 2), ("😂", 1), ("🙄", 1), ("💢", 1), ("[发怒]", 1), ("[微笑]", 1),
    ("[流泪]", 1), ("谢谢", 2), ("哦", 1), ("啊", 1), ("呢", 1), ("哈", 1), ("～", 1),
    ("!!", 1), ("？", 2),
]
PUNCT = "，。！？、,.!?；;：:～~"

# ---------------------------------------------------------------- slot fillers
PRODUCTS = """
连衣裙 羽绒服 卫衣 牛仔裤 运动鞋 帆布鞋 拖鞋 袜子 内衣 睡衣 衬衫 西装 短袖 打底裤 围巾 帽子 手套
双肩包 行李箱 钱包 手表 项链 耳环 发夹 墨镜 雨伞 手机壳 钢化膜 数据线 充电宝 充电器 蓝牙耳机
无线鼠标 机械键盘 显示器 路由器 U盘 移动硬盘 平板支架 智能手环 电子秤 体重秤 电动牙刷 吹风机
卷发棒 剃须刀 按摩仪 加湿器 空气炸锅 电饭煲 破壁机 榨汁杯 电热水壶 微波炉 电磁炉 扫地机器人
吸尘器 电风扇 取暖器 电热毯 台灯 落地灯 床垫 四件套 枕头 被子 凉席 窗帘 地毯 沙发垫 收纳箱
衣架 晾衣架 垃圾桶 保温杯 水杯 饭盒 炒锅 不粘锅 菜刀 砧板 碗筷 洗洁精 洗衣液 纸巾 湿巾 卫生巾
尿不湿 奶粉 奶瓶 婴儿车 儿童座椅 积木 玩具车 拼图 绘本 书包 文具 笔记本 钢笔 画笔 口红 粉底液
面膜 洗面奶 防晒霜 精华液 香水 洗发水 沐浴露 牙膏 护手霜 狗粮 猫粮 猫砂 宠物窝 鱼缸 多肉
绿萝 种子 花盆 大米 食用油 挂面 螺蛳粉 辣条 牛肉干 坚果 零食大礼包 月饼 粽子 茶叶 咖啡 牛奶
酸奶 蜂蜜 红枣 枸杞 燕窝 阿胶 苹果 橙子 车厘子 榴莲 芒果 猕猴桃 草莓 大闸蟹 小龙虾 牛排
鸡胸肉 腊肠 火锅底料 酱油 瑜伽垫 哑铃 跳绳 自行车 头盔 鱼竿 帐篷 睡袋 汽车脚垫 行车记录仪
车载香薰 手机支架 投影仪 音箱 麦克风 摄像头 门锁 插排 灯泡 螺丝刀 工具箱 胶带 打印纸 墨盒
""".split()
COURIERS = "中通 圆通 申通 韵达 极兔 顺丰 京东快递 邮政 EMS 百世 德邦 菜鸟 丰网".split()
PLATFORMS = ["拼多多", "淘宝", "天猫", "抖音", "京东", "快手", "多多", "抖店", "pdd", "tb",
             "TB", "PDD", "某宝", "某多多", "JD"]
SNS = ["小红书", "抖音", "微博", "快手", "朋友圈", "B站", "知乎", "视频号", "头条", "贴吧",
       "豆瓣", "网上", "红薯", "dy", "xhs", "wb", "各大平台", "全网"]
ORGS = ["12315", "315", "工商局", "工商", "市场监管局", "市场监督管理局", "消协", "消费者协会",
        "消保委", "12345", "黑猫投诉", "平台", "监管部门", "质监局", "物价局", "工商所",
        "市监局", "有关部门", "12315热线", "315热线"]
CITIES = """北京 上海 广州 深圳 成都 重庆 杭州 武汉 西安 南京 天津 苏州 长沙 郑州 沈阳 青岛
济南 哈尔滨 长春 昆明 南宁 贵阳 兰州 乌鲁木齐 拉萨 呼和浩特 银川 西宁 海口 三亚 福州 厦门
南昌 合肥 石家庄 太原 大连 宁波 温州 佛山 东莞 无锡 徐州 洛阳 绵阳 遵义 赣州 潍坊 临沂""".split()
TIMES = ["明天下午", "今晚八点", "周六上午", "后天", "下周一", "今天下午三点", "晚上十点",
         "明早九点", "周末", "这周五", "下午五点", "中午十二点", "明天上午", "今天下班前",
         "今天12点", "晚上9点", "下周三", "月底", "大后天", "今天"]
CN_NUM = ["两百", "三百", "五百", "八百", "一千", "两千", "五千", "一百", "五十", "二百",
          "一千五", "三千", "一万", "六百", "四百"]
CN_SMALL = ["一", "两", "三", "四", "五", "2", "3", "1", "5", "10"]
CN_DAYS = ["三", "五", "七", "十", "两", "四", "六", "八", "十几", "半个月"]
ALNUM = string.ascii_letters + string.digits
LOWER = string.ascii_lowercase
WX_PREFIX = ["vx：", "vx:", "V:", "v：", "wx：", "wx ", "微信：", "微❤：", "薇：", "V信 ",
             "Q：", "QQ ", "", "", "", "➕", "v", "VX"]
SPAM_TLD = [".top", ".xyz", ".cc", ".vip", ".icu", ".club", ".site", ".shop", ".fun", ".link"]
SHORTENERS = ["t.cn/", "url.cn/", "dwz.cn/", "suo.im/", "w.url.cn/s/", "tinyurl.com/"]


def _digits(rng, n):
    return str(rng.randint(1, 9)) + "".join(rng.choice(string.digits) for _ in range(n - 1))


def _alnum(rng, n):
    return "".join(rng.choice(ALNUM) for _ in range(n))


def fill_money(rng):
    r = rng.random()
    if r < 0.15:
        return rng.choice(CN_NUM)
    if r < 0.45:
        return str(rng.choice([50, 100, 200, 300, 500, 800, 1000, 2000, 5000, 88, 66, 99, 20]))
    if r < 0.75:
        return str(rng.randint(10, 999))
    if r < 0.9:
        return str(rng.randint(1000, 9999))
    return str(rng.randint(1, 30) * 50)


def fill_order(rng):
    r = rng.random()
    if r < 0.3:  # pinduoduo style
        return "%02d%02d%02d-%s" % (rng.randint(21, 25), rng.randint(1, 12), rng.randint(1, 28), _digits(rng, 15))
    if r < 0.55:
        return _digits(rng, 19)
    if r < 0.7:
        return _digits(rng, 12)
    if r < 0.85:
        return rng.choice(["YT", "JT", "SF", "ZTO", "YD", "JDV"]) + _digits(rng, 13)
    return _digits(rng, 18)


def fill_url(rng):
    r = rng.random()
    if r < 0.18:
        u = "https://item.taobao.com/item.htm?id=" + _digits(rng, 12)
    elif r < 0.3:
        u = "https://detail.tmall.com/item.htm?id=" + _digits(rng, 12)
    elif r < 0.46:
        u = "https://mobile.yangkeduo.com/goods.html?goods_id=" + _digits(rng, 11)
    elif r < 0.56:
        u = "https://item.jd.com/%s.html" % _digits(rng, 11)
    elif r < 0.68:
        u = "https://v.douyin.com/%s/" % _alnum(rng, 7)
    elif r < 0.82:
        u = "https://m.tb.cn/h.%s" % _alnum(rng, 7)
    elif r < 0.9:
        u = "https://haohuo.jinritemai.com/views/product/item2?id=" + _digits(rng, 19)
    else:
        u = "https://e.tb.cn/h.%s?tk=%s" % (_alnum(rng, 9), _alnum(rng, 11))
    if rng.random() < 0.15:  # share-sheet wrapper as pasted from the app
        name = rng.choice(PRODUCTS)
        u = rng.choice(["【淘宝】%s 「%s」点击链接直接打开" % (u, name),
                        "%s 复制链接打开拼多多 看看这个%s" % (u, name),
                        "【%s】%s" % (name, u),
                        "%s 长按复制此条消息，打开抖音搜索，查看商品详情" % u])
    return u


def fill_link(rng):
    r = rng.random()
    if r < 0.3:
        return fill_url(rng)
    if r < 0.55:
        return "http://" + rng.choice(SHORTENERS) + _alnum(rng, rng.randint(5, 8))
    host = "".join(rng.choice(LOWER) for _ in range(rng.randint(3, 8))) + str(rng.randint(1, 999))
    link = rng.choice(["http://", "https://", "", "www."]) + host + rng.choice(SPAM_TLD)
    if rng.random() < 0.5:
        link += "/" + _alnum(rng, rng.randint(3, 6))
    return link


def fill_wx(rng):
    r = rng.random()
    if r < 0.3:
        ident = "".join(rng.choice(LOWER) for _ in range(rng.randint(2, 6))) + _digits(rng, rng.randint(3, 6))
    elif r < 0.5:
        ident = _digits(rng, rng.randint(8, 10))  # QQ-number-like, random
    elif r < 0.7:
        ident = rng.choice(["ks_", "wx_", "jz", "fl", "xm", "bm_", "dd"]) + _alnum(rng, rng.randint(4, 7))
    elif r < 0.85:
        ident = "".join(rng.choice(LOWER) for _ in range(rng.randint(4, 9)))
    else:
        ident = _alnum(rng, 6) + rng.choice(["", "_", "-"]) + str(rng.randint(10, 99))
    return rng.choice(WX_PREFIX) + ident


def fill_days(rng):
    return str(rng.randint(2, 20)) if rng.random() < 0.6 else rng.choice(CN_DAYS)


FILLERS = {
    "p": lambda rng: rng.choice(PRODUCTS),
    "n": fill_money,
    "d": fill_days,
    "k": lambda rng: rng.choice(CN_SMALL),
    "c": lambda rng: rng.choice(COURIERS),
    "o": fill_order,
    "url": fill_url,
    "link": fill_link,
    "wx": fill_wx,
    "plat": lambda rng: rng.choice(PLATFORMS),
    "sns": lambda rng: rng.choice(SNS),
    "org": lambda rng: rng.choice(ORGS),
    "t": lambda rng: rng.choice(TIMES),
    "city": lambda rng: rng.choice(CITIES),
}


# ---------------------------------------------------------------- fragments
def load_fragments():
    """Return {file: [(core, labels_tuple, section), ...]} with duplicates removed."""
    frags = {}
    for fname, (default, _kind, _n) in FILES.items():
        seen, items, section = {}, [], ""
        with open(os.path.join(FRAG_DIR, fname), encoding="utf-8") as fh:
            for raw in fh:
                line = raw.strip()
                if not line:
                    continue
                if line.startswith("#"):
                    if line.startswith("# ---"):
                        section = line[5:].strip()
                    continue
                m = LABEL_RE.match(line)
                if m:
                    labels = tuple(s for s in SIGNALS if s in m.group(1).split(","))
                    bad = [s for s in m.group(1).split(",") if s not in SIGNALS]
                    if bad:
                        raise SystemExit("%s: unknown signal %s in %r" % (fname, bad, line))
                    line = line[m.end():]
                elif default is None:
                    raise SystemExit("%s: line without labels: %r" % (fname, line))
                else:
                    labels = tuple(s for s in SIGNALS if s in default)
                for slot in SLOT_RE.findall(line):
                    if slot not in FILLERS:
                        raise SystemExit("%s: unknown slot {%s} in %r" % (fname, slot, line))
                if line in seen:
                    continue
                seen[line] = True
                items.append((line, labels, section))
        frags[fname] = items
    return frags


def weighted(rng, table):
    total = sum(w for _, w in table)
    x = rng.uniform(0, total)
    for val, w in table:
        x -= w
        if x <= 0:
            return val
    return table[-1][0]


def shape_punct(rng, template):
    """Punctuation / spacing of the hand-written template (before slots are filled,
    so pasted links are never damaged). Same procedure for every kind."""
    r = rng.random()
    if r < 0.3:  # punctuation dropped entirely
        out = "".join(ch for ch in template if ch not in PUNCT)
        if rng.random() < 0.5:  # spaces dropped too, except around pasted ids/links
            parts = re.split(r"(\{(?:url|link|wx|o)\})", out)
            out = " ".join(p.replace(" ", "") if i % 2 == 0 else p
                           for i, p in enumerate(parts) if p.strip())
        return out
    if r < 0.55:  # spaces become commas (full or half width)
        comma = "，" if rng.random() < 0.8 else ","
        return re.sub(r"(?<=[^\s}]) (?=[^\s{])", comma, template)
    return template


def fill(rng, template):
    return SLOT_RE.sub(lambda m: FILLERS[m.group(1)](rng), template)


def join(rng, a, b):
    if not a:
        return b
    if not b:
        return a
    sep = rng.choice([" ", " ", "，", "", ",", "  ", "。"])
    return a + sep + b


def compose(rng, core, context_pool):
    """Return (text, context_used)."""
    text = fill(rng, shape_punct(rng, core))
    used = False
    if context_pool and rng.random() < CONTEXT_RATE:
        ctx = fill(rng, shape_punct(rng, rng.choice(context_pool)))
        text = join(rng, ctx, text)
        used = True
    opener = weighted(rng, OPENERS)
    tail = weighted(rng, TAILS)
    text = join(rng, opener, text)
    if tail:
        text = text + (" " if rng.random() < 0.25 else "") + tail
    text = re.sub(r"\s+", " ", text).strip()
    return text, used


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="exit non-zero on coverage problems")
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()

    rng = random.Random(SEED)
    frags = load_fragments()

    # the same core must not appear with two different label sets
    core_labels = {}
    conflicts = []
    for fname in FILES:
        for core, labels, _ in frags[fname]:
            if core in core_labels and core_labels[core] != labels:
                conflicts.append(core)
            core_labels.setdefault(core, labels)
    if conflicts:
        raise SystemExit("cores with conflicting labels: %r" % conflicts)

    context_pool = [c for c, _, sec in frags["look_alike.txt"] if sec in CONTEXT_SECTIONS]

    records = collections.OrderedDict()   # text -> (labels, kind)
    dropped_conflict = []

    def add(text, labels, kind):
        if text in records:
            if records[text][0] != labels:
                dropped_conflict.append(text)
            return False
        records[text] = (labels, kind)
        return True

    def generate(pick, target, name):
        made, attempts = 0, 0
        while made < target and attempts < target * 30:
            attempts += 1
            text, labels, kind = pick(made)
            if add(text, labels, kind):
                made += 1
        if made < target:
            print("warning: %s produced %d of %d lines" % (name, made, target), file=sys.stderr)
        return made

    # single-file buckets: round-robin over shuffled cores so every core is used
    for fname, (_default, kind, target) in FILES.items():
        cores = list(frags[fname])
        order = cores[:]
        rng.shuffle(order)

        pool = None if fname == "spam_ad.txt" else context_pool

        def pick(i, order=order, kind=kind, pool=pool):
            core, labels, _section = order[i % len(order)] if rng.random() < 0.85 else rng.choice(order)
            text, used = compose(rng, core, pool)
            if labels:
                k = "signal"
            else:  # a civil-complaint context turns a benign line into a look-alike
                k = "look_alike" if used else kind
            return text, list(labels), k

        generate(pick, target, fname)

    # composed multi-signal lines
    for fa, fb, target in COMBOS:
        A, B = frags[fa], frags[fb]

        def pick(i, A=A, B=B):
            ca, la, _ = rng.choice(A)
            cb, lb, _ = rng.choice(B)
            first, second = (ca, cb) if rng.random() < 0.5 else (cb, ca)
            core = first + rng.choice([" ", "，", "！", "。", " "]) + second
            labels = [s for s in SIGNALS if s in la or s in lb]
            return compose(rng, core, None)[0], labels, "signal"

        generate(pick, target, "%s+%s" % (fa, fb))

    for text in dropped_conflict:
        records.pop(text, None)

    rows = [{"text": t, "signals": list(l), "kind": k} for t, (l, k) in records.items()]
    rng.shuffle(rows)
    with open(args.out, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")

    # ------------------------------------------------------------ report
    per_signal = collections.Counter()
    per_kind = collections.Counter()
    multi = collections.Counter()
    for row in rows:
        per_kind[row["kind"]] += 1
        for s in row["signals"]:
            per_signal[s] += 1
        if len(row["signals"]) > 1:
            multi["+".join(row["signals"])] += 1
    core_counts = collections.Counter()
    for core, labels in core_labels.items():
        for s in labels:
            core_counts[s] += 1
        if not labels:
            core_counts["(innocent)"] += 1
    la = len(frags["look_alike.txt"])
    print("lines written:", len(rows), "->", os.path.relpath(args.out, HERE))
    print("lines per kind:", dict(sorted(per_kind.items())))
    print("lines per signal:", {s: per_signal[s] for s in SIGNALS})
    print("multi-signal lines:", dict(sorted(multi.items())))
    print("conflicting texts dropped:", len(set(dropped_conflict)))
    print("hand-written cores per file:", {f: len(frags[f]) for f in FILES})
    print("hand-written cores carrying each label:", {s: core_counts[s] for s in SIGNALS},
          "innocent:", core_counts["(innocent)"], "of which look-alike:", la)

    problems = []
    for s in SIGNALS:
        if not 1500 <= per_signal[s] <= 2500:
            problems.append("%s has %d lines" % (s, per_signal[s]))
        if core_counts[s] < 250:
            problems.append("%s has %d cores" % (s, core_counts[s]))
    innocent = per_kind["look_alike"] + per_kind["benign"]
    if innocent < 8000:
        problems.append("only %d innocent lines" % innocent)
    if core_counts["(innocent)"] < 1200 or la * 2 < core_counts["(innocent)"]:
        problems.append("innocent cores: %d, look-alike: %d" % (core_counts["(innocent)"], la))
    for p in problems:
        print("problem:", p, file=sys.stderr)
    if args.check and problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
