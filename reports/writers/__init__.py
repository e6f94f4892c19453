"""The writers: one per file format, each taking any exporter and the
document's head (reports.writers.head.OfficialHead)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _xlsx(exporter: Any, out: Any, *, head: Any) -> int:
    from .xlsx import write_xlsx

    return write_xlsx(exporter, out, head=head)


def _pdf(exporter: Any, out: Any, *, head: Any) -> int:
    from .pdf import write_pdf

    return write_pdf(exporter, out, head=head)


def _docx(exporter: Any, out: Any, *, head: Any) -> int:
    from .docx import write_docx

    return write_docx(exporter, out, head=head)


WRITERS: dict[str, Callable[..., int]] = {"xlsx": _xlsx, "pdf": _pdf, "docx": _docx}
