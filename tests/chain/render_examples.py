"""Write the example drafts shown in docs/drafts: `python -m tests.chain.render_examples docs/drafts`.

Plays the rounds through the chat on a scratch database (the test catalog and clock, 21/11/2026), saves
each level's `/baocao` draft, converts it with LibreOffice and renders pages with pdftoppm.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from storage.migrate import upgrade
from tests.chain.round import AGENCIES, PROVINCE_PART, answer_all
from tests.helpers.app import invite, make_app
from tests.helpers.chat import Chat
from tests.reports.data import CL_Q3, load
from tests.reports.factories import filled

BTC_ROWS = (
    ("BTC-TBTC", {"ke_hoach": "có", "nen_tang_so": "có", "du_lieu_ai": "có", "toa_soan_hoi_tu": "có",
                  "tang_doanh_thu": "52.000/41.000", "doanh_thu_so": "15.600/52.000", "dao_tao": "118/120",
                  "attt": "có", "doanh_thu_so_tang": "15.600/11.200", "dien_tu": "có", "truong_thanh": "610",
                  "nhiem_vu": "1. Xây dựng kế hoạch CĐS: ban hành 15/01/2024. 2. Kho dữ liệu số: hoàn thành.",
                  "kho_khan": "Chi phí bản quyền phần mềm cao.", "de_xuat": "Bộ hỗ trợ nền tảng phân tích dữ liệu."}),
    ("BTC-TCTC", {"ke_hoach": "có", "nen_tang_so": "có", "du_lieu_ai": "không", "toa_soan_hoi_tu": "có",
                  "tang_doanh_thu": "9.800/9.000", "doanh_thu_so": "2.100/9.800", "dao_tao": "40/46", "attt": "có",
                  "doanh_thu_so_tang": "2.100/1.700", "dien_tu": "có", "truong_thanh": "540",
                  "nhiem_vu": "1. CMS mới vận hành từ tháng 6.", "kho_khan": "Thiếu nhân lực công nghệ.",
                  "de_xuat": "Tổ chức tập huấn AI cho biên tập viên."}),
    ("BTC-THUE", {"ke_hoach": "có", "nen_tang_so": "không", "du_lieu_ai": "không", "toa_soan_hoi_tu": "không",
                  "tang_doanh_thu": "3.100/3.000", "doanh_thu_so": "200/3.100", "dao_tao": "12/25", "attt": "không",
                  "doanh_thu_so_tang": "200/150", "dien_tu": "không", "nhiem_vu": "1. Số hóa kho tạp chí in.",
                  "kho_khan": "Tạp chí in, chưa có loại hình điện tử.", "de_xuat": "Cho phép mở tạp chí điện tử."}),
)
BTC_PART = {"nhiem_vu": "1. Cục THTK hướng dẫn, đôn đốc 6 đơn vị báo chí. 2. Tổng hợp báo cáo tháng 12.",
            "ket_qua": "3/6 đơn vị đã gửi báo cáo; 2/3 có giải pháp ATTT cấp độ 3.", "uu_diem": "Lãnh đạo Bộ quan tâm.",
            "han_che": "Doanh thu số còn thấp.", "bai_hoc": "Đầu tư tập trung.", "kho_khan": "Kinh phí hạn chế.",
            "de_xuat": "Bộ TT&TT hướng dẫn bộ chỉ số trưởng thành."}


def _save(chat: Chat, folder: Path) -> Path:
    [doc] = [r for r in chat.replies if getattr(r, "filename", "").endswith(".docx")]
    path = folder / doc.filename
    path.write_bytes(doc.data)
    return path


def _register(app, unit: str, role: str, n: int) -> Chat:  # noqa: ANN001
    chat = Chat(app.dialogue_service(), f"example-{n}")
    chat.send(f"/start {invite(app, unit, role, name=f'Cán bộ {unit}')}")
    return chat


def make_drafts(folder: Path) -> list[Path]:
    """Play the rounds and save the three levels' drafts."""
    scratch = Path(tempfile.mkdtemp())
    url = f"sqlite:///{scratch / 'examples.sqlite3'}"
    upgrade(url)
    app = make_app(url)
    load(app, CL_Q3)
    for n, code in enumerate(AGENCIES):
        answer_all(_register(app, code, "focal", n), AGENCIES[code])
    qt = _register(app, "QUANGTRI", "analyst", 10)
    qt.send("/nop CDS 2026")
    for text in PROVINCE_PART:
        qt.send(text)
    qt.press("Gửi")
    qt.send("/guilen ok CDS 2026")
    filled(app, *((code, "CDS", "2026", answers) for code, answers in BTC_ROWS), ("BTC", "CDS", "2026", BTC_PART))
    btc, cbc = _register(app, "BTC", "analyst", 11), _register(app, "CBC", "analyst", 12)
    out = []
    for chat, args in ((qt, "2026 CDS"), (btc, "2026 CDS"), (cbc, "2025-Q3 CL")):
        chat.send(f"/baocao {args}")
        out.append(_save(chat, folder))
    app.close()
    return out


def render(docx: Path, with_last: bool) -> None:
    """PDF with LibreOffice, then page 1 (and the last page, the annex) as PNG next to it."""
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(docx.parent), str(docx)],
                   check=True, capture_output=True)
    pdf = docx.with_suffix(".pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    last = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    for page in (1, last) if with_last else (1,):
        subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                        str(docx.with_name(f"{docx.stem}-trang{page}"))], check=True)
    pdf.unlink()


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/drafts")
    target.mkdir(parents=True, exist_ok=True)
    for path in make_drafts(target):
        render(path, "CDS-2026-QUANGTRI" in path.name)
        print("wrote", path)
