"""`/baocao`: the report a level owes as an editable Word document, read back with python-docx."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document

from bot.app import App
from conversations.messages import DocumentOut
from tests.chain.docx_text import paragraphs, section_of, tables
from tests.chain.round import AGENCIES, PROVINCE_PART, agencies, answer_all
from tests.helpers.chat import Chat
from tests.reports.data import CL_Q3, load


def draft(chat: Chat) -> DocumentOut:
    [doc] = [r for r in chat.replies if isinstance(r, DocumentOut)]
    return doc


def province_round(registered: Callable[..., Chat]) -> Chat:
    focal = agencies(registered)
    for code, chat in focal.items():
        answer_all(chat, AGENCIES[code])
    analyst = registered("QUANGTRI", "analyst")
    analyst.send("/nop CDS 2026")
    for text in PROVINCE_PART:
        analyst.send(text)
    analyst.press("Gửi")
    return analyst


def test_form2_draft_for_the_province_follows_the_5422_outline(app: App, registered: Callable[..., Chat]) -> None:
    analyst = province_round(registered)
    analyst.send("bao cao 2026 CDS")  # typed without slash and diacritics
    doc = draft(analyst)
    assert doc.filename == "baocao-CDS-2026-QUANGTRI.docx"
    lines = paragraphs(doc.data)
    head = tables(doc.data)[0]
    assert head[0][0].split("\n") == ["QUẢNG TRỊ", "———"]
    assert head[0][1].split("\n")[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert head[1] == ["Số:        /BC-……", "……, ngày …… tháng …… năm ……"]  # left for the clerk
    assert "BÁO CÁO" in lines and "Kính gửi: Cục Báo chí." in lines
    revenue = section_of(lines, "I.6. ", "I.7. ")
    assert "- Tổng doanh thu (năm nay/năm trước): 1/3 cơ quan đạt (≥ 20%), tức 33,3%; tổng cộng: +16,7% " \
           "(24.500/21.000)" in revenue[0]
    assert any(line.startswith("- Doanh thu báo chí số (năm nay/năm trước): +34,1% (4.800/3.580)") for line in revenue)
    difficulties = section_of(lines, "IV. ", "V. ")
    assert difficulties[0] == "- Quảng Trị: Thiếu kinh phí cho chuyển đổi số (tỉnh)"  # the province's own part first
    assert "- Báo Quảng Trị: Thiếu kinh phí hạ tầng (Báo)" in difficulties
    assert "- Tạp chí Cửa Việt: Kinh phí hạn hẹp (Cửa Việt)" in difficulties
    assert "- Quảng Trị: Đề nghị Bộ hỗ trợ nền tảng dùng chung (tỉnh)" in section_of(lines, "V. ", None)
    annex = tables(doc.data)[-1]
    assert annex[0][:3] == ["STT", "Cơ quan báo chí / đơn vị thu thập", "Tình trạng gửi"]
    assert [row[1] for row in annex[1:] if row[0].isdigit()] == [  # by unit code
        "Báo Quảng Trị", "Tạp chí Cửa Việt", "Đài Phát thanh - Truyền hình tỉnh Quảng Trị"]
    document = Document(io.BytesIO(doc.data))
    assert document.sections[-1].page_width > document.sections[-1].page_height, "the annex is landscape"
    assert document.styles["Normal"].font.name == "Times New Roman"


def test_the_ministry_level_draft_names_each_collecting_unit(app: App, registered: Callable[..., Chat]) -> None:
    province_round(registered)
    cbc = registered("CBC", "analyst")
    cbc.send("/baocao 2026 CDS")
    doc = draft(cbc)
    assert doc.filename == "baocao-CDS-2026-CBC.docx"
    lines = paragraphs(doc.data)
    assert "Kính gửi: Thủ tướng Chính phủ." in lines
    assert "- Quảng Trị: Tổng doanh thu (năm nay/năm trước): 1/3 cơ quan đạt (≥ 20%), tức 33,3%; tổng cộng: " \
           "+16,7% (24.500/21.000)" in section_of(lines, "I.6. ", "I.7. ")[0]
    assert "- Quảng Trị: Đề nghị Bộ hỗ trợ nền tảng dùng chung (tỉnh)" in section_of(lines, "V. ", None)


def test_form1_quarterly_draft_for_the_press_department(app: App, registered: Callable[..., Chat]) -> None:
    load(app, CL_Q3)
    cbc = registered("CBC", "analyst")
    cbc.send("/baocao 2025-Q3 CL")
    doc = draft(cbc)
    assert doc.filename == "baocao-CL-2025-Q3-CBC.docx"
    lines = paragraphs(doc.data)
    assert lines[lines.index("BÁO CÁO") + 1] == "Kết quả thực hiện Bộ chỉ tiêu Chiến lược phát triển báo chí giai đoạn 2021-2025"
    assert "Kính gửi: Viện Chiến lược Thông tin và Truyền thông." in lines
    figures = tables(doc.data)[1]
    assert figures[0] == ["STT", "Chỉ tiêu", "Đơn vị cung cấp", "Kỳ 2025-Q3", "Chỉ tiêu năm 2025", "Mục tiêu 2025",
                          "Đánh giá"]
    ct2 = next(row for row in figures if row[0] == "2")
    assert ct2[3] == "82% (229.500/280.000)" and ct2[4] == "100%"
    flags = section_of(lines, "Đánh giá theo nguyên tắc", "III. ")
    assert any(f.startswith("- Chỉ tiêu 2 (Người dân vùng sâu, xa tiếp cận báo chí thiết yếu): 82% (229.500/280.000)")
               and f.endswith("có nguy cơ không đạt: đề xuất giải pháp thúc đẩy kịp thời.") for f in flags)
    assert section_of(lines, "III. ", "IV. ") == ["- Cục Báo chí: 1. Tăng đều."]
    assert "- Chỉ tiêu 1 — Quảng Trị: Thái Lan 55%/45%" in section_of(lines, "IV. ", "V. ")
    assert section_of(lines, "VI. ", None)[0] == "- Cục Báo chí: 1. Hỗ trợ công cụ đo."
    assert not any(line.startswith("VII. ") for line in lines), "the year's summary is Q4's"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_the_drafts_convert_to_pdf(app: App, registered: Callable[..., Chat], tmp_path: Path) -> None:
    analyst = province_round(registered)
    analyst.send("/baocao 2026 CDS")
    source = tmp_path / draft(analyst).filename
    source.write_bytes(draft(analyst).data)
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
                           "pdf", "--outdir", str(tmp_path), str(source)], capture_output=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / source.with_suffix(".pdf").name).read_bytes().startswith(b"%PDF")
