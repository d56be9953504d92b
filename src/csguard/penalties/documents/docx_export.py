"""Word export: one heading per document, one paragraph per line, page break between documents."""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from csguard.penalties.documents.base import EXPORTERS
from csguard.penalties.drafting import DraftDocument

# A CJK font name in the East-Asian slot: without it Word falls back to a Latin font and
# shows boxes for Chinese text on machines lacking the default.
CJK_FONT = "宋体"


@EXPORTERS.register("docx")
class DocxExporter:
    suffix = ".docx"
    media_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    def export(self, title: str, documents: Sequence[DraftDocument]) -> bytes:
        doc = Document()
        normal = doc.styles["Normal"]
        normal.font.size = Pt(11)
        normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), CJK_FONT)
        doc.core_properties.title = title
        doc.add_heading(title, level=0)
        for i, document in enumerate(documents):
            if i:
                doc.add_page_break()
            doc.add_heading(document.title, level=1)
            for line in document.body.splitlines():
                doc.add_paragraph(line)
        buffer = io.BytesIO()
        doc.save(buffer)
        return buffer.getvalue()
