"""Helpers for the QC tests: small hand-written chat logs."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import polars as pl

from csguard.qc.importers import import_records

Row = tuple[str, str, str, str | None, str]


def records(
    rows: list[Row], *, day: str = "2024-05-01", shop: str = "s", platform: str = "pdd"
) -> list[dict[str, Any]]:
    """``(conversation, "HH:MM:SS" or "YYYY-MM-DD HH:MM:SS", sender, agent, text)`` in Asia/Shanghai."""
    out = []
    for i, (conv, at, sender, agent, text) in enumerate(rows):
        stamp = at if " " in at else f"{day} {at}"
        out.append(
            {
                "shop": shop,
                "platform": platform,
                "conversation_id": conv,
                "buyer_id": conv,
                "message_id": f"m{i}",
                "ts": stamp.replace(" ", "T") + "+08:00",
                "sender": sender,
                "agent": agent,
                "type": "coupon" if text == "[优惠券]" else "text",
                "text": text,
            }
        )
    return out


def chat_log(rows: list[Row], **kwargs: Any) -> pl.DataFrame:
    result = import_records(records(rows, **kwargs))
    assert result.rejected == 0, result.errors
    return result.frame


class Hook:
    """A local webhook: answers with the queued statuses/bodies, records every request."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.replies: list[tuple[int, dict[str, Any]]] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                hook.requests.append((self.path, body))
                status, reply = hook.replies.pop(0) if hook.replies else (200, {"errcode": 0, "errmsg": "ok"})
                data = json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/robot/send?access_token=t"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
