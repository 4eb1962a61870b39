"""The reminder texts: the same keys and placeholders in both languages, short, polite Vietnamese."""

from __future__ import annotations

import re
import string
from pathlib import Path

import yaml

LOCALES = Path(__file__).resolve().parents[2] / "conversations" / "locales"


def load(lang: str) -> dict[str, str]:
    return yaml.safe_load((LOCALES / lang / "reminders.yaml").read_text(encoding="utf-8"))


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_both_languages_have_every_key_with_the_same_placeholders() -> None:
    vi, en = load("vi"), load("en")
    assert vi.keys() == en.keys()
    assert {k: placeholders(v) for k, v in vi.items()} == {k: placeholders(v) for k, v in en.items()}


def test_every_key_used_in_code_exists() -> None:
    code = "".join(p.read_text(encoding="utf-8") for p in (LOCALES.parent / "reminders").glob("*.py"))
    code += (LOCALES.parents[1] / "bot" / "reminder_commands.py").read_text(encoding="utf-8")
    used = set(re.findall(r't\("([a-z_]+)"', code)) | set(re.findall(r'"reminders\.([a-z_]+)"', code))
    used |= set(re.findall(r'"(btn_[a-z]+|deadline_[a-z]+|status_[a-z]+|when_[a-z]+)"', code))
    assert used and used <= load("vi").keys()


def test_vietnamese_is_polite_with_diacritics() -> None:
    vi = load("vi")
    greetings = [k for k, v in vi.items() if k.startswith(("deadline_", "provisional_body"))
                 and not k.endswith("title")]
    assert greetings and all(vi[k].startswith("Chào Anh/Chị {name}") for k in greetings)
    assert not [k for k, v in vi.items() if re.search(r"\b(bạn|mày|em)\b", v, re.IGNORECASE)]
    assert all(re.search(r"[ạảãàáâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", v)
               for k, v in vi.items() if not k.startswith("btn_") or len(v) > 3)
