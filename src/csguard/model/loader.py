"""The shipped weights file (``weights.bin``, written by training/train_model.py).

Layout: one line of JSON (format, n-gram range, hash bits, each table's heads with their bias,
scale and thresholds, and the SHA-256 of the payload), then the zlib-compressed payload: each
table's int8 weights, ``2**bits`` rows of one weight per head, tables in header order.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from functools import lru_cache
from importlib import resources
from typing import Any

from csguard.errors import ConfigError
from csguard.model.scorer import Head, HeadTable

FORMAT = 1
WEIGHTS_FILE = "weights.bin"
TABLES = ("outbound", "inbound")


def encode(header: dict[str, Any], tables: dict[str, bytes]) -> bytes:
    """The weights file for ``header`` (without its digest) and each table's int8 weights."""
    payload = b"".join(tables[name] for name in TABLES)
    full = {**header, "format": FORMAT, "sha256": hashlib.sha256(payload).hexdigest()}
    line = json.dumps(full, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return line + b"\n" + zlib.compress(payload, 9)


def decode(blob: bytes) -> tuple[dict[str, Any], dict[str, HeadTable]]:
    """The header and the head tables of a weights file; ConfigError when it is damaged."""
    line, sep, packed = blob.partition(b"\n")
    try:
        header = json.loads(line)
        payload = zlib.decompress(packed)
    except (ValueError, zlib.error) as exc:
        raise ConfigError(f"the model weights file is damaged: {exc}") from exc
    if not sep or header.get("format") != FORMAT:
        raise ConfigError(
            "the model weights file has an unknown format", details={"format": header.get("format")}
        )
    if hashlib.sha256(payload).hexdigest() != header.get("sha256"):
        raise ConfigError("the model weights file does not match its checksum")
    bits, nmin, nmax = int(header["bits"]), int(header["nmin"]), int(header["nmax"])
    min_chars = int(header.get("min_chars", 0))
    tables: dict[str, HeadTable] = {}
    offset = 0
    for name in TABLES:
        heads = tuple(
            Head(h["name"], float(h["bias"]), float(h["scale"]), float(h["warn"]), float(h["block"]))
            for h in header["tables"][name]
        )
        size = (1 << bits) * len(heads)
        tables[name] = HeadTable(heads, payload[offset : offset + size], bits, nmin, nmax, min_chars)
        offset += size
    if offset != len(payload):
        raise ConfigError("the model weights file has trailing data")
    return header, tables


@lru_cache(maxsize=1)
def shipped() -> tuple[dict[str, Any], dict[str, HeadTable]]:
    """The weights that ship inside the package, read once per process."""
    blob = resources.files("csguard.model").joinpath(WEIGHTS_FILE).read_bytes()
    return decode(blob)
