"""The model's scores: C and Python agree to the bit, and the weights file is what it claims."""

from __future__ import annotations

import ast
import json
import math
import random
import subprocess
import sys
from pathlib import Path

import pytest

from csguard.errors import ConfigError
from csguard.model import Model
from csguard.model.features import buckets
from csguard.model.loader import WEIGHTS_FILE, decode, encode, shipped
from csguard.model.scorer import NATIVE, Head, HeadTable
from csguard.text.normalize import compact_of, compact_text, fold
from csguard.vocab import OUTBOUND_CATEGORIES, TRIAGE_SIGNALS

ROOT = Path(__file__).resolve().parents[2]
MODEL_DIR = ROOT / "src" / "csguard" / "model"
CORPORA = [ROOT / "training" / "corpus" / d / "corpus.jsonl" for d in ("outbound", "inbound")]


def _random_texts(n: int, seed: int) -> list[str]:
    """Mixed scripts, emoji, astral characters, digits and noise, 0-200 characters."""
    rng = random.Random(seed)
    pools = [
        "亲加我微信好评返现最第一傻逼算命",
        "abcXYZ0123456789",
        " ，。！？~@#%_",
        "😀❤🐧𠀀𪚥",
        "ａｂｃ１２３",
    ]
    out = []
    for _ in range(n):
        length = rng.randint(0, 200)
        out.append("".join(rng.choice(rng.choice(pools)) for _ in range(length)))
    return out


def _corpus_texts(limit: int) -> list[str]:
    texts: list[str] = []
    for path in CORPORA:
        if path.exists():
            lines = path.read_text(encoding="utf-8").splitlines()
            texts += [json.loads(line)["text"] for line in lines[:limit] if line.strip()]
    return texts


@pytest.mark.skipif(NATIVE is None, reason="the C extension csguard._model is not built")
def test_c_and_python_scores_are_identical_on_thousands_of_texts() -> None:
    model = Model.shipped()
    texts = _corpus_texts(2000) + _random_texts(2000, seed=7)
    assert len(texts) >= 2000
    for table in (model.outbound, model.inbound):
        assert table.native
        for text in texts:
            compact = compact_text(text)
            assert table.raw(compact) == table.raw_python(compact), text
            values = table.values_python(compact)
            assert table.values(compact) == values, text  # exact float equality
            assert table.over_threshold(compact) == table.over_threshold_python(compact), text


def test_compact_view_is_the_same_with_and_without_the_c_folder() -> None:
    for text in _random_texts(500, seed=11):
        assert compact_text(text) == compact_of(fold(text))


def test_buckets_cover_every_ngram_once() -> None:
    # "微信" with start/end markers: 4 code points -> 4 unigrams, 3 bigrams, 2 trigrams, 1 four-gram.
    assert len(buckets("微信", 18, 1, 4)) == 10
    assert len(buckets("微信", 18, 2, 3)) == 5
    # ASCII digits and Latin letters are the recognizers' job: the model does not read them.
    assert buckets("加v123456信", 18, 1, 3) == buckets("加wx9信", 18, 1, 3) == buckets("加信", 18, 1, 3)
    assert len(buckets("abc", 18, 1, 3)) == 3  # the start and end markers alone
    assert all(0 <= b < 1 << 18 for b in buckets("加我微信", 18, 1, 4))
    assert buckets("加我微信", 18, 1, 4) != buckets("加我薇信", 18, 1, 4)


def test_shipped_weights_cover_every_category_and_signal() -> None:
    header, tables = shipped()
    assert tuple(h.name for h in tables["outbound"].heads) == OUTBOUND_CATEGORIES
    assert tuple(h.name for h in tables["inbound"].heads) == TRIAGE_SIGNALS
    for head in tables["outbound"].heads:
        assert head.block >= head.warn
    assert header["nmin"] >= 1 and header["nmax"] >= header["nmin"]


def test_weights_file_is_small() -> None:
    assert (MODEL_DIR / WEIGHTS_FILE).stat().st_size < 3_000_000


def test_notice_attributes_cold() -> None:
    notice = (MODEL_DIR / "NOTICE").read_text(encoding="utf-8")
    assert "COLD" in notice and "Apache" in notice


def test_damaged_weights_raise_config_error() -> None:
    blob = (MODEL_DIR / WEIGHTS_FILE).read_bytes()
    with pytest.raises(ConfigError):
        decode(blob[:-10])
    with pytest.raises(ConfigError):
        decode(b"not json\n" + blob.partition(b"\n")[2])
    header = json.loads(blob.partition(b"\n")[0])
    header["sha256"] = "0" * 64
    tampered = json.dumps(header).encode() + b"\n" + blob.partition(b"\n")[2]
    with pytest.raises(ConfigError):
        decode(tampered)


def test_encode_decode_round_trip_and_scores() -> None:
    heads = (Head("a", -5.0, 0.1, 3.0, 10.0), Head("b", 2.0, 0.2, 100.0, 100.0))
    weights = bytes([1, 255] * (1 << 8))  # every bucket: +1 for head a, -1 for head b
    header = {"bits": 8, "nmin": 1, "nmax": 2, "tables": {}}
    empty = HeadTable((Head("c", 0.0, 1.0, 1.0, 1.0),), bytes(1 << 8), 8, 1, 2)
    for name, table_heads in (("outbound", heads), ("inbound", empty.heads)):
        header["tables"][name] = [_head_dict(h) for h in table_heads]
    _, tables = decode(encode(header, {"outbound": weights, "inbound": bytes(1 << 8)}))
    table = tables["outbound"]
    # "你好吗": markers + 3 characters = 5 unigrams + 4 bigrams = 9 n-grams; value = sum / sqrt(9)
    assert table.raw_python("你好吗") == ([9, -9], 9)
    assert table.raw("你好吗") == ([9, -9], 9)
    assert table.values("你好吗") == [3.0, -3.0]
    assert table.over_threshold("你好") is None  # 7 n-grams: 7 / sqrt(7) = 2.65 < 3
    assert table.over_threshold("你好吗") == [3.0, -3.0]
    assert table.heads[0].probability(3.0) == pytest.approx(1 / (1 + math.exp(-(-5.0 + 0.1 * 3.0))))


def _head_dict(h: Head) -> dict[str, object]:
    return {"name": h.name, "bias": h.bias, "scale": h.scale, "warn": h.warn, "block": h.block}


def test_model_package_needs_no_numpy_or_sklearn() -> None:
    banned = {"numpy", "scipy", "sklearn"}
    for path in MODEL_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not {n.split(".")[0] for n in names} & banned, (path, names)


def test_model_loads_in_a_fraction_of_the_cold_budget() -> None:
    """Reading the weights in a fresh interpreter (decompress, checksum, both tables, the C tables)
    stays far inside the 1 s cold budget of packs + model; the packs' share is bench_check's."""
    code = (
        "import time, csguard.model.loader as loader; t = time.perf_counter(); loader.shipped(); "
        "print(time.perf_counter() - t)"
    )
    best = min(
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
        for _ in range(2)
    )
    assert best < 0.15
