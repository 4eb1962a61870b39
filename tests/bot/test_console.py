"""The console channel end to end: `chitieu` in a subprocess with a dialogue piped into stdin."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent / "chitieu"


def chitieu(args: list[str], db: str, stdin: str = "", cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": db, "LOG_LEVEL": "WARNING", "CLOCK_NOW": "2026-11-21T09:00:00+07:00"}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    return subprocess.run([str(BIN), *args], input=stdin, capture_output=True, text=True, env=env, timeout=120,
                          cwd=cwd)


def test_piped_dialogue_submits_a_period_and_exits_cleanly(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    assert chitieu(["db", "upgrade"], db).returncode == 0
    assert chitieu(["catalog", "load"], db).returncode == 0
    code = chitieu(["invite", "--unit", "QUANGTRI"], db).stdout.split()[1]
    script = "\n".join([f"/start {code}", "/nop 2026-Q4", "65/30", "62%/38%", "/2", "120.500/150.000 tạm", "/2",
                        "Xu hướng tăng", "/2", "Không có", "Đề xuất hỗ trợ", "Tổng kết năm", "/1", ""])
    result = chitieu(["run"], db, script, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "starting the local console chat" in out
    assert "đầu mối của Quảng Trị" in out
    assert "Chưa hợp lệ" in out and "65 + 30 = 95" in out
    assert "/1 Tạm ước tính   /2 Ghi chú   /3 ⬅ Quay lại" in out
    assert "Mã biên nhận: CL-2026Q4-QUANGTRI-01" in out
    assert "Chỉ tiêu 2 vẫn là số liệu tạm ước tính" in out


def test_chat_as_a_unit_is_trainer_mode(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    chitieu(["db", "upgrade"], db)
    chitieu(["catalog", "load"], db)
    result = chitieu(["chat", "--as", "QT-BAO"], db, "/han\n", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Chuyển đổi số báo chí Năm 2026 — Báo Quảng Trị: hạn 25/11/2026" in result.stdout
    bad = chitieu(["chat", "--as", "NOPE"], db, "", cwd=tmp_path)
    assert bad.returncode == 2 and "no unit has code 'NOPE'" in bad.stderr


def test_a_whole_form_1_typed_in_words_only_on_the_console(tmp_path: Path) -> None:
    """No button pressed (no `/N`): loose words only, as on a phone; nothing overwritten by a button word."""
    import sqlite3

    path = tmp_path / "c.sqlite3"
    db = f"sqlite:///{path}"
    chitieu(["db", "upgrade"], db)
    chitieu(["catalog", "load"], db)
    code = chitieu(["invite", "--unit", "QUANGTRI"], db).stdout.split()[1]
    script = "\n".join([f"start {code}", "nop", "2", "62/38", "Thái Lan 55%/45%", "tam 120.500/150.000", "bo qua",
                        "1. Xu hướng tăng.", "quay lai", "giu nguyen", "Bo qua", "ko co", "De xuat ho tro",
                        "Tong ket nam", "gui", ""])
    result = chitieu(["run"], db, script, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Mã biên nhận: CL-2026Q4-QUANGTRI-01" in out, out
    assert "Đã lưu: quay lai" not in out and "Đã lưu: giu nguyen" not in out and "Đã lưu: bo qua" not in out.lower()
    with sqlite3.connect(path) as con:
        rows = dict(con.execute("select question_key, raw_text from answers").fetchall())
        comparisons = dict(con.execute("select question_key, comparison from answers").fetchall())
    assert rows["ct1"] == "62/38" and comparisons["ct1"] == "Thái Lan 55%/45%"
    assert rows["ct2"] == "tam 120.500/150.000" and comparisons["ct2"] is None
    assert rows["trend"] == "1. Xu hướng tăng." and rows["difficulties"] == "ko co"
    assert rows["proposals"] == "De xuat ho tro" and rows["year_summary"] == "Tong ket nam"
    assert rows.get("intl") is None  # Mục IV skipped


def test_numbered_choices_show_their_number_once_and_both_ways_of_typing_it_pick_the_same(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    chitieu(["db", "upgrade"], db)
    chitieu(["catalog", "load"], db)
    result = chitieu(["chat", "--as", "QUANGTRI"], db, "/nop\n2\n/huy\n/nop\n/2\n", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "/1 CL 2026-Q3 · hạn 05/10 · chưa bắt đầu   /2 CL 2026-Q4 · hạn 05/12, chuyển sang 07/12" in out
    assert "/1 1." not in out and "/2 2." not in out
    assert out.count("Chỉ tiêu Chiến lược báo chí Quý IV/2026 — Quảng Trị") == 2, out  # `2` and `/2` alike


def test_trainer_mode_as_an_analyst_is_not_called_a_focal_person(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    chitieu(["db", "upgrade"], db)
    chitieu(["catalog", "load"], db)
    result = chitieu(["chat", "--as", "CBC", "--role", "analyst"], db, "", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Chào Anh/Chị Cán bộ thử (Cục Báo chí). Anh/Chị đang là: cán bộ tổng hợp của Cục Báo chí." in result.stdout
    assert "Đầu mối thử" not in result.stdout
