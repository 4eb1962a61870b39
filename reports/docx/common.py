"""What both drafts share: who writes the report and to whom, its outline, the units' own texts."""

from __future__ import annotations

from dataclasses import dataclass

from reports.forms import FormInfo
from reports.rows import section_rows
from reports.scope import Scope
from reports.texts import t
from storage.models import Period, Unit
from storage.uow import UnitOfWork

TEXTS_PER_SECTION = 500


@dataclass(frozen=True)
class Author:
    """The unit whose report it is, the unit above it (for the header), and the addressee."""

    code: str
    name: str
    parent: str
    to: str


def author_of(uow: UnitOfWork, scope: Scope, form: FormInfo) -> Author:
    """The scope's root (or the form's receiver for everything), its parent and where the report goes."""
    code = scope.roots[0].code if len(scope.roots) == 1 else (form.definition or {}).get("receiver") or "CBC"
    unit = uow.units.by_code(code)
    assert unit is not None
    parent: Unit | None = uow.units.get(unit.parent_id) if unit.parent_id else None
    to = parent.name if parent else form.report().get("forward_to") or ""
    return Author(unit.code, unit.name, parent.name if parent else "", to)


def basis(form: FormInfo, author: Author) -> str:
    """The documents the draft cites ("Căn cứ …"): the author's own in the catalog, else the form's."""
    report = form.report()
    return ((report.get("basis_by_unit") or {}).get(author.code) or report.get("basis")
            or (form.definition or {}).get("source") or form.title)


def outline(form: FormInfo) -> list[tuple[str, str]]:
    """(code, title) of the report's sections, from the catalog (`I`, `I.1`, … `V`)."""
    return [(o["code"], o["title"]) for o in form.report().get("outline") or []]


def applies(form: FormInfo, period: Period, key: str) -> bool:
    """False for a question asked only in other slots (Q2's 6-month trend, Q4's year summary)."""
    slots = (form.definition or {}).get("calendar", {}).get("periods", [])
    slot_only = {k for s in slots for k in s.get("sections") or []}
    return key not in slot_only or key in (period.sections or [])


def keys_in(form: FormInfo, period: Period, code: str) -> list[str]:
    """Keys of the free-text questions that go to outline section `code` and are asked this period."""
    return [q["key"] for q in (form.definition or {}).get("questions", [])
            if q.get("outline") == code and q.get("kind") == "section" and applies(form, period, q["key"])]


def unit_texts(uow: UnitOfWork, scope: Scope, period: Period, keys: list[str], lang: str) -> list[str]:
    """`Quảng Trị: …` for every sent answer to these free-text questions, by unit (the collector first)."""
    rows = section_rows(uow, scope, period.id, keys, TEXTS_PER_SECTION)
    return [t("draft.unit_line", lang, unit=r.unit_name, text=r.text.strip()) for r in rows]


def signer_line(lang: str) -> str:
    """The signer's title left for the clerk to adjust."""
    return t("draft.signer", lang)


def filename(form: FormInfo, period: Period, author: Author) -> str:
    """`baocao-CDS-2026-QUANGTRI.docx`: form, period and scope."""
    return f"baocao-{form.code}-{period.code}-{author.code}.docx"
