"""The deployment files ship and say what the code does: .env.example names every setting, the systemd
unit passes `systemd-analyze verify`, the licence is the one pyproject declares."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SETTING = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=", re.MULTILINE)


def test_env_example_names_exactly_the_settings_fields_once() -> None:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    named = SETTING.findall(text)
    fields = {name.upper() for name in Settings.model_fields}
    assert sorted(set(named) - fields) == [], "names in .env.example that are no setting"
    assert sorted(fields - set(named)) == [], "settings missing from .env.example"
    assert len(named) == len(set(named)), "a setting is listed twice"


def test_env_example_as_env_file_gives_the_defaults() -> None:
    """What is not commented out is valid and equal to the default: copying the file changes nothing."""
    loaded = Settings(_env_file=ROOT / ".env.example")  # type: ignore[call-arg]
    defaults = Settings(_env_file=None)  # type: ignore[call-arg]
    assert loaded.model_dump() == defaults.model_dump()


def test_systemd_unit_verifies(tmp_path: Path) -> None:
    tool = shutil.which("systemd-analyze")
    if tool is None:
        pytest.skip("systemd-analyze is not installed on this machine")
    unit = (ROOT / "deploy" / "chitieu.service").read_text(encoding="utf-8")
    for needed in ("LimitNOFILE=65536", "TimeoutStopSec=", "Restart=on-failure", "KillSignal=SIGTERM"):
        assert needed in unit
    # verify checks that ExecStart's program exists: point it at this environment's chitieu
    here = Path(sys.executable).parent / "chitieu"
    copy = tmp_path / "chitieu.service"
    copy.write_text(unit.replace("/opt/chitieu/venv/bin/chitieu", str(here)), encoding="utf-8")
    result = subprocess.run([tool, "verify", str(copy)], capture_output=True, text=True, timeout=60)
    # unknown keys and bad values are only warnings (exit 0): any output is a failure
    assert result.returncode == 0 and not (result.stdout + result.stderr).strip(), result.stdout + result.stderr


def test_stop_timeout_fits_inside_systemds_timeout() -> None:
    unit = (ROOT / "deploy" / "chitieu.service").read_text(encoding="utf-8")
    stop_sec = int(re.search(r"^TimeoutStopSec=(\d+)$", unit, re.MULTILINE).group(1))
    from bot.lifecycle import HARD_STOP_GRACE

    assert Settings(_env_file=None).stop_timeout_seconds + HARD_STOP_GRACE < stop_sec  # type: ignore[call-arg]


def test_license_is_mit_as_pyproject_says() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == {"text": "MIT"}
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "Permission is hereby granted, free of charge" in text
