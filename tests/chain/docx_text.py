"""Reading a .docx back the way a reviewer does: paragraphs in order, tables as rows of cell texts."""

from __future__ import annotations

import io

from docx import Document


def paragraphs(data: bytes) -> list[str]:
    """Body paragraphs (outside tables), in order."""
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def tables(data: bytes) -> list[list[list[str]]]:
    """Every table as rows of cell texts."""
    return [[[c.text for c in row.cells] for row in table.rows] for table in Document(io.BytesIO(data)).tables]


def section_of(lines: list[str], start: str, end: str | None) -> list[str]:
    """The paragraphs after the one starting with `start`, up to the one starting with `end`."""
    i = next(n for n, line in enumerate(lines) if line.startswith(start))
    j = next((n for n, line in enumerate(lines[i + 1:], i + 1) if end and line.startswith(end)), len(lines))
    return lines[i + 1:j]
