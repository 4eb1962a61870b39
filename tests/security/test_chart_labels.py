"""Names in the catalog are drawn as typed on the /tonghop chart, never read as matplotlib mathtext (issue 19).

A unit named `$\\foo{$` made every /tonghop of its analysts fail (matplotlib tried to parse the name as a
formula); an indicator label with `$` signs came out as math. Both through the console and the dialogue engine.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from bot.app import App
from conversations.catalog.schema import UnitDef
from conversations.catalog.sync import sync_units
from conversations.messages import ImageOut
from tests.bot.test_console import chitieu
from tests.helpers.chat import Chat
from tests.reports.data import CL_Q3, load

MATH_NAME = r"$\foo{$"
SHIPPED = Path(__file__).resolve().parents[2] / "conversations" / "catalog" / "shipped"


def test_console_tonghop_of_a_unit_named_like_mathtext_sends_its_chart(tmp_path: Path) -> None:
    folder = tmp_path / "catalog"
    shutil.copytree(SHIPPED, folder)
    units = folder / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").rstrip("\n")
                     + f"\n  - {{code: MATHTEXT, name: '{MATH_NAME}', kind: province, parent: CBC}}\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    assert chitieu(["db", "upgrade"], db).returncode == 0
    loaded = chitieu(["catalog", "load", str(folder)], db)
    assert loaded.returncode == 0, loaded.stderr
    code = chitieu(["invite", "--unit", "MATHTEXT", "--role", "analyst"], db).stdout.split()[1]
    result = chitieu(["run"], db, f"/start {code}\n/tonghop 2026-Q4 CL\n", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"Phạm vi: {MATH_NAME}" in result.stdout
    [line] = [x for x in result.stdout.splitlines() if x.startswith("[ảnh: ")]
    png = tmp_path / line.removeprefix("[ảnh: ").split("]")[0]  # relative to the console's folder
    assert png.read_bytes().startswith(b"\x89PNG")
    assert Image.open(png).size[0] > 500


def test_chat_tonghop_with_dollar_signs_in_unit_and_indicator_names(app: App, registered: Callable[..., Chat]) -> None:
    load(app, CL_Q3)
    with app.uow() as uow:
        sync_units(uow, [UnitDef(code="QUANGTRI", name=MATH_NAME + r" \frac{1}{0} $x^2$", kind="province",
                                 parent="CBC")])
        uow.commit()
    analyst = registered("QUANGTRI", "analyst")
    analyst.send("/tonghop 2025-Q3 CL")
    images = [r for r in analyst.replies if isinstance(r, ImageOut)]
    assert len(images) == 1 and images[0].data.startswith(b"\x89PNG"), [type(r).__name__ for r in analyst.replies]
    assert "Không tạo được" not in analyst.text and "lỗi" not in analyst.text.lower()

