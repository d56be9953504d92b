"""Exporting a drafted appeal kit: .docx (python-docx) and printable HTML.

Exporters register in ``EXPORTERS`` (one interface: ``suffix``, ``media_type``,
``export(title, documents) -> bytes``) so a plugin can add PDF or another format.
"""

from csguard.penalties.documents.base import EXPORTERS, AppealExporter, export_kit
from csguard.penalties.documents.docx_export import DocxExporter
from csguard.penalties.documents.html_export import HtmlExporter

__all__ = ["EXPORTERS", "AppealExporter", "DocxExporter", "HtmlExporter", "export_kit"]
