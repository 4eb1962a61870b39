"""A wheel built from the repository installs into a fresh virtualenv outside it and works from any
directory: migrations, the shipped catalog and the message catalogs are package data.

The new virtualenv gets only the wheel (`--no-deps`: no network); its dependencies come from this test
environment's site-packages on PYTHONPATH. That directory holds no copy of chitieu-bot itself (the
development install is editable, through a .pth file, which PYTHONPATH entries do not run), so what
is imported is what the wheel installed — the test checks that too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow  # builds a wheel and a virtualenv: about half a minute


def _run(args: list[str], cwd: Path, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=cwd, env=env, input=stdin, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{args} failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    return result


def test_wheel_in_a_fresh_venv_upgrades_loads_the_catalog_and_chats(tmp_path: Path) -> None:
    # built from a copy of the working tree: setuptools writes build/ and *.egg-info next to the sources
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv", "build", "dist", "data", "*.egg-info",
                                                                "__pycache__", ".pytest_cache", ".ruff_cache", "bench"))
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(source)], tmp_path,
         dict(os.environ))
    [wheel] = dist.glob("chitieu_bot-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for shipped in ("conversations/catalog/shipped/units.yaml", "conversations/catalog/shipped/forms/chien_luoc.yaml",
                    "conversations/locales/vi/dialogue.yaml", "reports/locales/vi/summary.yaml",
                    "bot/web/templates/base.html", "storage/migrations/env.py", "bot/__main__.py"):
        assert shipped in names, f"{shipped} is not in the wheel"

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], tmp_path, dict(os.environ))
    vpython, vbin = venv / "bin" / "python", venv / "bin"
    _run([str(vpython), "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", str(wheel)], tmp_path,
         dict(os.environ))

    work = tmp_path / "elsewhere"  # no catalog/, no .env, nothing of the repository
    work.mkdir()
    deps = sysconfig.get_paths()["purelib"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ZALO_", "WEBHOOK_", "CATALOG"))}
    env |= {"PYTHONPATH": deps, "DATABASE_URL": f"sqlite:///{work / 'chitieu.sqlite3'}", "LOG_LEVEL": "WARNING",
            "CLOCK_NOW": "2026-11-21T09:00:00+07:00", "LISTEN_PORT": "0"}

    where = _run([str(vpython), "-c", "import bot, conversations.catalog.loader as c; print(bot.__file__); "
                                      "print(c.SHIPPED)"], work, env).stdout.split()
    assert all(p.startswith(str(venv)) for p in where), f"imported from outside the new venv: {where}"

    _run([str(vbin / "chitieu"), "db", "upgrade"], work, env)
    loaded = _run([str(vbin / "chitieu"), "catalog", "load"], work, env).stdout
    assert "units: 74 added" in loaded and "CL: new version 1" in loaded
    code = _run([str(vpython), "-m", "bot", "invite", "--unit", "QUANGTRI"], work, env).stdout.split()[1]
    chat = _run([str(vbin / "chitieu"), "chat"], work, env, stdin=f"/start {code}\n/han\n").stdout
    assert "đầu mối của Quảng Trị" in chat  # the Vietnamese message catalogs came with the wheel
    assert "Quý IV/2026" in chat  # /han names the period as people do
