"""Bad files are safe: each is refused with a reason that says what to send instead, or read without harm."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import openpyxl
import pytest

from bot.app import App
from conversations.catalog.loader import load_catalog
from conversations.catalog.schema import FormDef
from conversations.catalog.sync import sync_catalog
from conversations.forms import FormCache
from conversations.intake import Draft, Reading
from conversations.workbook import MAX_BYTES, Rejected, read_workbook
from tests.workbook.books import (
    cfb_container,
    filled,
    own_workbook,
    plain_workbook,
    rezip,
    with_cached_formula,
    with_rows_below,
)


def rejected(data: bytes, d: Draft, name: str = "bao_cao.xlsx") -> Rejected:
    result = read_workbook(data, name, d)
    assert isinstance(result, Rejected), result
    return result


@pytest.fixture
def own(app: App) -> tuple[bytes, Draft]:
    return own_workbook(app)


def test_not_a_workbook(own: tuple[bytes, Draft]) -> None:
    _, d = own
    assert rejected(b"%PDF-1.7\n...", d, "bao_cao.pdf").render("vi") == (
        "Tệp «bao_cao.pdf» không phải tệp Excel (.xlsx). Anh/Chị gửi lại tệp Excel bot đã gửi, sau khi điền.")
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    assert rejected(docx.getvalue(), d, "bao_cao.docx").problem == "workbook.file_not_workbook"
    assert rejected(b"", d).problem == "workbook.file_empty"


def test_password_protected_and_old_excel_files(own: tuple[bytes, Draft]) -> None:
    _, d = own
    protected = rejected(cfb_container(), d)
    assert protected.problem == "workbook.file_encrypted" and "bỏ mật khẩu" in protected.render("vi")
    assert rejected(cfb_container(("Workbook",)), d, "cu.xls").problem == "workbook.file_old_excel"


def test_corrupt_files(own: tuple[bytes, Draft]) -> None:
    data, d = own
    assert rejected(data[: len(data) // 2], d).render("vi").startswith("Tệp «bao_cao.xlsx» bị hỏng")
    stored = io.BytesIO()  # a member whose bytes were damaged in transit: the CRC check catches it
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
    damaged = bytearray(stored.getvalue())
    at = damaged.find(b"<sheetData>")
    damaged[at + 20: at + 40] = b"X" * 20
    assert rejected(bytes(damaged), d).problem == "workbook.file_corrupt"


def test_a_20_mb_file_is_refused_before_it_is_opened(own: tuple[bytes, Draft]) -> None:
    _, d = own
    big = b"PK\x03\x04" + b"\0" * (20 * 1024 * 1024)
    result = rejected(big, d)
    assert result.render("vi") == ("Tệp «bao_cao.xlsx» nặng 20 MB, vượt giới hạn 5 MB. Tệp bot gửi chỉ khoảng vài "
                                   "chục KB: Anh/Chị gửi lại đúng tệp đó sau khi điền.")
    assert MAX_BYTES == 5 * 1024 * 1024


def test_a_zip_bomb_is_refused_from_its_directory(own: tuple[bytes, Draft]) -> None:
    data, d = own
    bomb = rezip(data, lambda name, content: content, {"xl/media/zeros.bin": b"\0" * (26 * 1024 * 1024)})
    assert len(bomb) < MAX_BYTES
    assert rejected(bomb, d).problem == "workbook.file_unpacked_too_large"
    many = rezip(data, lambda name, content: content, {f"xl/media/{i}.bin": b"" for i in range(600)})
    assert rejected(many, d).problem == "workbook.file_unpacked_too_large"


def test_100_000_rows_below_the_table_are_never_read(own: tuple[bytes, Draft]) -> None:
    data, d = own
    reading = read_workbook(with_rows_below(filled(data, {"C6": "65/35"}), 20, 100_000), "x.xlsx", d)
    assert isinstance(reading, Reading)
    assert [a.key for a in reading.accepted] == ["ct1"] and reading.refused == ()


def test_100_000_rows_of_another_workbook_say_which_workbook_is_expected(own: tuple[bytes, Draft]) -> None:
    _, d = own
    result = rejected(plain_workbook(rows=100_000), d)
    assert result.render("vi").startswith(
        "Bot chưa nhận ra bảng trong tệp «bao_cao.xlsx». Bot đọc được: tệp Excel bot gửi cho Quảng Trị kỳ 2026-Q4 "
        "(Chỉ tiêu Chiến lược báo chí), hoặc bảng Phụ lục I chính thức")


def test_formulas_are_never_evaluated(own: tuple[bytes, Draft]) -> None:
    data, d = own
    with_formula = filled(data, {"C6": '=CONCATENATE("65","/","35")', "C7": "=1/0"})
    reading = read_workbook(with_formula, "x.xlsx", d)
    assert isinstance(reading, Reading) and reading.accepted == ()
    lines = reading.review_lines(d)
    assert any(x.startswith("Ô C6 (chỉ tiêu 1): (để trống) — ô có công thức chưa có kết quả tính sẵn") for x in lines)
    cached = with_cached_formula(data, "C7", "WEBSERVICE(&quot;http://x&quot;)", "120.500/150.000")
    reading = read_workbook(cached, "x.xlsx", d)
    assert [(a.key, a.raw) for a in reading.accepted] == [("ct2", "120.500/150.000")]
    assert "Ô C7 có công thức: bot lấy kết quả đã tính sẵn trong tệp, không tính lại." in reading.review_lines(d)
    error = with_cached_formula(data, "C7", "1/0", "#DIV/0!")
    assert "ô báo lỗi #DIV/0!" in read_workbook(error, "x.xlsx", d).review_lines(d)[1]


def test_macro_enabled_workbooks_are_refused(own: tuple[bytes, Draft]) -> None:
    data, d = own
    assert rejected(data, d, "ChiTieu.xlsm").render("vi").startswith("Tệp «ChiTieu.xlsm» có macro (.xlsm)")
    with_vba = rezip(data, lambda name, content: content, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"})
    assert rejected(with_vba, d).problem == "workbook.file_macros"


def test_another_units_or_periods_workbook_is_refused_naming_both(app: App) -> None:
    hanoi, _ = own_workbook(app, unit="HANOI")
    q3, _ = own_workbook(app, period="2026-Q3")
    _, d = own_workbook(app)
    assert rejected(hanoi, d).render("vi").startswith(
        "Tệp «bao_cao.xlsx» là của đơn vị Hà Nội, còn Anh/Chị đang nộp cho Quảng Trị.")
    assert rejected(q3, d).render("vi").startswith(
        "Tệp «bao_cao.xlsx» là của kỳ 2026-Q3, còn Anh/Chị đang nộp kỳ 2026-Q4.")
    cds, _ = own_workbook(app, unit="QT-BAO", form="CDS", period="2026")
    assert rejected(cds, d).problem == "workbook.file_wrong_form"


def _new_version(app: App, change: Callable[[dict], dict]) -> Draft:
    """The catalog loaded again with Form 1 changed by `change`: the draft on the new version."""
    units, forms = load_catalog(app.settings.catalog_dir)
    cl = next(f for f in forms if f.definition.code == "CL")
    changed = FormDef.model_validate(change(cl.definition.model_dump(mode="json")))
    forms = [f if f is not cl else type(cl)(changed, cl.path, cl.content_hash + "-v2") for f in forms]
    with app.uow() as uow:
        sync_catalog(uow, units, forms, app.clock.today())
        form = uow.forms.latest("CL")
        spec = FormCache().get(uow, form.id)
        uow.commit()
    unit_kind, slot = "province", "Q4"
    return Draft(spec, tuple(spec.asked(unit_kind, slot)), "QUANGTRI", "Quảng Trị", "2026-Q4", 2026, "Q4")


def test_an_older_form_version_is_mapped_by_question_key(app: App) -> None:
    data, _ = own_workbook(app)

    def change(definition: dict) -> dict:  # ct2 becomes a plain percentage, IV is gone
        questions = [{**q, "shape": "percent", "counts_required": False, "example": "80%"} if q["key"] == "ct2" else q
                     for q in definition["questions"] if q["key"] != "intl"]
        return {**definition, "questions": questions}

    d = _new_version(app, change)
    assert d.spec.version == 2
    reading = read_workbook(filled(data, {"C6": "65/35", "C7": "120.500/150.000", "C9": "ITU"}), "x.xlsx", d)
    assert isinstance(reading, Reading) and [a.key for a in reading.accepted] == ["ct1"]
    lines = reading.review_lines(d)
    assert "Tệp làm theo biểu mẫu phiên bản 1; bot đã chuyển câu trả lời sang phiên bản 2 theo mã câu hỏi." in lines
    assert "Không còn trong biểu mẫu hiện tại nên bỏ qua: intl." in lines
    assert any(x.startswith("Ô C7 (chỉ tiêu 2): (để trống) — câu hỏi này đã đổi cách trả lời ở biểu mẫu phiên "
                            "bản 2. Anh/Chị nhập lại theo mẫu: 80%") for x in lines)


def test_an_older_form_version_with_nothing_in_common_is_refused(app: App) -> None:
    data, _ = own_workbook(app)

    def change(definition: dict) -> dict:  # every key renamed
        questions = [{**q, "key": q["key"] + "_moi"} for q in definition["questions"]]
        periods = [{**p, "sections": [s + "_moi" for s in p["sections"]]} for p in definition["calendar"]["periods"]]
        return {**definition, "questions": questions, "calendar": {**definition["calendar"], "periods": periods}}

    result = rejected(data, _new_version(app, change))
    assert result.render("vi").startswith("Tệp «bao_cao.xlsx» làm theo biểu mẫu phiên bản 1; phiên bản hiện tại (2) "
                                          "không còn câu nào như trong tệp")


def test_a_stamp_kept_only_as_the_document_property_still_finds_the_rows(own: tuple[bytes, Draft]) -> None:
    data, d = own

    def drop_stamp_sheet(wb: openpyxl.Workbook) -> None:
        del wb["_chitieu"]

    reading = read_workbook(filled(data, {"C7": "120.500/150.000"}, edit=drop_stamp_sheet), "x.xlsx", d)
    assert isinstance(reading, Reading) and [a.key for a in reading.accepted] == ["ct2"]
