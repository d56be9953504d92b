"""Group-robot webhook formats: DingTalk, WeCom (企业微信) and Feishu (飞书).

Each notifier builds its platform's message body and, where the robot has a signing
secret, the signature the platform checks (DingTalk: ``timestamp``/``sign`` query
parameters; Feishu: ``timestamp``/``sign`` in the body).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import urllib.parse
from typing import TYPE_CHECKING, Any, ClassVar

from csguard.plugins import Registry

if TYPE_CHECKING:
    import httpx

    from csguard.qc.alerts import Alert

MAX_LINES = 20
_LEVEL = {"critical": "🔴 严重", "warning": "🟠 警告"}


def alert_lines(alerts: list[Alert]) -> list[str]:
    lines = [f"- {_LEVEL.get(a.level, a.level)}：{a.message}" for a in alerts[:MAX_LINES]]
    if len(alerts) > MAX_LINES:
        lines.append(f"- ……另有 {len(alerts) - MAX_LINES} 条提醒，请查看质检报告")
    return lines


class Notifier:
    kind: ClassVar[str]

    def __init__(self, url: str, secret: str | None = None) -> None:
        self.url = url
        self.secret = secret or None

    def payload(self, alerts: list[Alert], title: str) -> dict[str, Any]:
        raise NotImplementedError

    def signed_url(self) -> str:
        return self.url

    def rejection(self, response: httpx.Response) -> str | None:
        """The robot's error when it answered 2xx but refused the message, else None."""
        try:
            body = response.json()
        except ValueError:
            return None
        if not isinstance(body, dict):
            return None
        for key in ("errcode", "code", "StatusCode"):
            if key in body and body[key] not in (0, "0"):
                return (
                    f"{key}={body[key]}: {body.get('errmsg') or body.get('msg') or body.get('StatusMessage')}"
                )
        return None


notifiers: Registry[type[Notifier]] = Registry("notifier")


@notifiers.register("dingtalk")
class DingTalkNotifier(Notifier):
    kind = "dingtalk"

    def payload(self, alerts: list[Alert], title: str) -> dict[str, Any]:
        text = "\n".join([f"### {title}", "", *alert_lines(alerts)])
        return {"msgtype": "markdown", "markdown": {"title": title, "text": text}}

    def signed_url(self) -> str:
        if not self.secret:
            return self.url
        timestamp = str(int(time.time() * 1000))
        digest = hmac.new(
            self.secret.encode(), f"{timestamp}\n{self.secret}".encode(), hashlib.sha256
        ).digest()
        sign = urllib.parse.quote_plus(base64.b64encode(digest).decode())
        separator = "&" if "?" in self.url else "?"
        return f"{self.url}{separator}timestamp={timestamp}&sign={sign}"


@notifiers.register("wecom")
class WeComNotifier(Notifier):
    kind = "wecom"
    MAX_BYTES = 4096  # WeCom rejects longer markdown content

    def payload(self, alerts: list[Alert], title: str) -> dict[str, Any]:
        content = "\n".join([f"## {title}", *alert_lines(alerts)])
        encoded = content.encode()
        if len(encoded) > self.MAX_BYTES:
            content = encoded[: self.MAX_BYTES - 3].decode(errors="ignore") + "…"
        return {"msgtype": "markdown", "markdown": {"content": content}}


@notifiers.register("feishu")
class FeishuNotifier(Notifier):
    """An interactive card by default; ``style="text"`` sends plain text."""

    kind = "feishu"

    def __init__(self, url: str, secret: str | None = None, style: str = "interactive") -> None:
        super().__init__(url, secret)
        self.style = style

    def payload(self, alerts: list[Alert], title: str) -> dict[str, Any]:
        lines = alert_lines(alerts)
        body: dict[str, Any]
        if self.style == "text":
            body = {"msg_type": "text", "content": {"text": "\n".join([title, *lines])}}
        else:
            critical = any(a.level == "critical" for a in alerts)
            body = {
                "msg_type": "interactive",
                "card": {
                    "header": {
                        "title": {"tag": "plain_text", "content": title},
                        "template": "red" if critical else "orange",
                    },
                    "elements": [{"tag": "markdown", "content": "\n".join(lines)}],
                },
            }
        if self.secret:
            timestamp = str(int(time.time()))
            key = f"{timestamp}\n{self.secret}".encode()
            body["timestamp"] = timestamp
            body["sign"] = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
        return body
