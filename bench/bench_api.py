"""Load benchmark of the HTTP API: single and batch checks against a local server.

Run: ``python bench/bench_api.py [--single 20000] [--batches 100] [--workers 1] [--json out.json]``

Starts ``uvicorn`` (uvloop/httptools when installed) on 127.0.0.1 with a fresh SQLite
database, drives it with a small keep-alive HTTP/1.1 client on asyncio (a bounded number of
requests, a hard time limit), stops the server gracefully and then counts the check-log
rows: every request the server answered with 200 must have been written — nothing lost.
Loopback only; the run ends by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
CLEAN = ["亲，今天下午就发货哦", "您好，请问有什么可以帮您？", "这款枕头尺码偏小，建议拍大一码", "支付成功后48小时内发货",
         "亲，收到货有任何问题随时联系我们", "好的亲，已经帮您备注了，仓库会优先安排"]  # fmt: skip
RISKY = ["加我微信abc123详聊", "好评返现5元", "全网最好的枕头", "你是不是傻逼", "有事打我电话13800138000",
         "亲，加薇信发你优惠", "收件地址南京市玄武区中山路18号"]  # fmt: skip


def corpus(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    return [rng.choice(RISKY) if rng.random() < 0.2 else rng.choice(CLEAN) + str(rng.randint(1, 999)) for _ in range(n)]


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    ok: int = 0
    failed: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0


class Connection:
    """One keep-alive HTTP/1.1 connection; just enough protocol for JSON POSTs."""

    def __init__(self, port: int, key: str) -> None:
        self.port = port
        self.key = key
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(HOST, self.port)

    async def post(self, path: str, body: bytes) -> int:
        assert self.reader is not None and self.writer is not None
        head = (f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nAuthorization: Bearer {self.key}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")  # fmt: skip
        self.writer.write(head.encode() + body)
        status_line = await self.reader.readline()
        length = 0
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        await self.reader.readexactly(length)
        return int(status_line.split()[1])

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def drive(port: int, key: str, bodies: list[bytes], path: str, concurrency: int, time_limit: float) -> Run:
    run = Run()
    queue = list(reversed(bodies))
    deadline = time.perf_counter() + time_limit

    async def worker() -> None:
        conn = Connection(port, key)
        await conn.open()
        try:
            while queue and time.perf_counter() < deadline:
                body = queue.pop()
                start = time.perf_counter()
                try:
                    status = await conn.post(path, body)
                except (ConnectionError, asyncio.IncompleteReadError):
                    run.failed += 1
                    conn.close()
                    conn = Connection(port, key)
                    await conn.open()
                    continue
                run.latencies.append(time.perf_counter() - start)
                run.statuses[status] = run.statuses.get(status, 0) + 1
                if status == 200:
                    run.ok += 1
                else:
                    run.failed += 1
        finally:
            conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    run.seconds = time.perf_counter() - started
    return run


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def prepare(folder: Path) -> tuple[str, str]:
    from csguard.services.auth import create_api_key
    from csguard.services.shops import create_shop
    from csguard.store.db import make_engine, session_factory, upgrade

    url = f"sqlite:///{folder / 'bench.db'}"
    upgrade(url)
    engine = make_engine(url)
    with session_factory(engine)() as session:
        shop = create_shop(session, "bench-shop", "pdd")
        _key, plaintext = create_api_key(session, shop.id, "bench", "agent")
    engine.dispose()
    return url, plaintext


def start_server(url: str, port: int, workers: int, folder: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CSGUARD_DATABASE_URL": url, "CSGUARD_RATE_LIMIT_PER_SECOND": "0",
           "CSGUARD_MAX_BODY_BYTES": str(8 * 1024 * 1024)}  # fmt: skip
    command = [sys.executable, "-m", "uvicorn", "--factory", "csguard.http.app:create_app", "--host", HOST,
               "--port", str(port), "--log-level", "warning", "--no-access-log", "--workers", str(workers)]  # fmt: skip
    log = (folder / "server.log").open("wb")
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_ready(port: int, timeout: float = 30.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://{HOST}:{port}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not become ready")


def stored_logs(url: str) -> int:
    from sqlalchemy import func, select

    from csguard.store.db import make_engine
    from csguard.store.models import CheckLog

    engine = make_engine(url)
    with engine.connect() as conn:
        count = int(conn.execute(select(func.count()).select_from(CheckLog)).scalar_one())
    engine.dispose()
    return count


def summary(name: str, run: Run, messages_per_request: int) -> dict[str, Any]:
    return {
        "name": name,
        "requests_ok": run.ok,
        "requests_failed": run.failed,
        "statuses": run.statuses,
        "seconds": round(run.seconds, 2),
        "requests_per_s": round(run.ok / run.seconds, 1) if run.seconds else 0.0,
        "messages_per_s": round(run.ok * messages_per_request / run.seconds, 1) if run.seconds else 0.0,
        "p50_ms": round(percentile(run.latencies, 50) * 1000, 2),
        "p99_ms": round(percentile(run.latencies, 99) * 1000, 2),
    }


async def main_async(args: argparse.Namespace, port: int, key: str) -> list[dict[str, Any]]:
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    singles = [json.dumps({"text": t}, ensure_ascii=False).encode() for t in corpus(args.single)]
    # Every batch is different, so no cache anywhere can make later batches cheaper.
    batches = [
        json.dumps({"messages": corpus(args.batch_size, seed=1 + n)}, ensure_ascii=False).encode()
        for n in range(args.batches)
    ]
    warm = await drive(port, key, singles[:200], "/v1/check", 4, 10)
    single = await drive(port, key, singles, "/v1/check", args.concurrency, args.time_limit)
    batch = await drive(port, key, batches, "/v1/check", args.batch_concurrency, args.time_limit)
    return [
        {"warm_up_ok": warm.ok},
        summary("single", single, 1),
        summary(f"batch of {args.batch_size}", batch, args.batch_size),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--single", type=int, default=20_000, help="single-message requests")
    parser.add_argument("--concurrency", type=int, default=8, help="connections for single checks")
    parser.add_argument("--batches", type=int, default=100, help="batch requests")
    parser.add_argument("--batch-size", type=int, default=1000, help="messages per batch")
    parser.add_argument("--batch-concurrency", type=int, default=2, help="connections for batches")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per phase at most")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="csguard-bench-") as tmp:
        folder = Path(tmp)
        url, key = prepare(folder)
        port = free_port()
        server = start_server(url, port, args.workers, folder)
        try:
            wait_ready(port)
            results = asyncio.run(main_async(args, port, key))
        finally:
            server.send_signal(signal.SIGINT)  # graceful: the check-log writer flushes
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        answered = results[0]["warm_up_ok"] + results[1]["requests_ok"] + results[2]["requests_ok"] * args.batch_size
        stored = stored_logs(url)
        report = {"cpus": os.cpu_count(), "workers": args.workers, "results": results[1:],
                  "answered_messages": answered, "stored_logs": stored, "lost": answered - stored}  # fmt: skip
    for row in report["results"]:
        print(f"{row['name']:>14}: {row['requests_per_s']:>9.1f} req/s  {row['messages_per_s']:>10.1f} msg/s  "
              f"p50 {row['p50_ms']:>6.2f} ms  p99 {row['p99_ms']:>6.2f} ms  "
              f"ok {row['requests_ok']}  failed {row['requests_failed']}")  # fmt: skip
    print(f"answered messages {answered}, check logs stored {stored}, lost {report['lost']}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    if report["lost"] != 0 or any(r["requests_failed"] for r in report["results"]):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
