"""The exporter interface and its registry."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from csguard.penalties.drafting import DraftDocument
from csguard.plugins import Registry


class AppealExporter(Protocol):
    suffix: str
    media_type: str

    def export(self, title: str, documents: Sequence[DraftDocument]) -> bytes: ...


EXPORTERS: Registry[type[AppealExporter]] = Registry("appeal exporter")


def export_kit(fmt: str, title: str, documents: Sequence[DraftDocument]) -> tuple[bytes, str, str]:
    """Render ``documents`` in format ``fmt``; returns (content, media type, file suffix)."""
    exporter = EXPORTERS.get(fmt)()
    return exporter.export(title, documents), exporter.media_type, exporter.suffix
