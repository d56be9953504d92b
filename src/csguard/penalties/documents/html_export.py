"""Printable HTML export: self-contained (inline CSS, no scripts), one page per document when printed."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from csguard.penalties.documents.base import EXPORTERS
from csguard.penalties.drafting import DraftDocument

_CSS = """
body{font-family:"SimSun","Songti SC","Noto Serif CJK SC",serif;max-width:46em;margin:2em auto;line-height:1.8;color:#111}
h1{font-size:1.5em;text-align:center}h2{font-size:1.2em;border-bottom:1px solid #999;padding-bottom:.2em}
section{margin-bottom:2em}p{margin:.2em 0;white-space:pre-wrap}
@media print{section{page-break-after:always}section:last-child{page-break-after:auto}}
"""


@EXPORTERS.register("html")
class HtmlExporter:
    suffix = ".html"
    media_type = "text/html; charset=utf-8"

    def export(self, title: str, documents: Sequence[DraftDocument]) -> bytes:
        parts = [
            "<!doctype html>",
            '<html lang="zh-CN"><head><meta charset="utf-8">',
            f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
            f"<h1>{escape(title)}</h1>",
        ]
        for document in documents:
            paragraphs = "".join(f"<p>{escape(line)}</p>" for line in document.body.splitlines())
            parts.append(
                f'<section id="{escape(document.key)}"><h2>{escape(document.title)}</h2>{paragraphs}</section>'
            )
        parts.append("</body></html>")
        return "\n".join(parts).encode("utf-8")
