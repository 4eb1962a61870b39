"""Every sentence the engine can say exists in Vietnamese and English with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from conversations.turn import TEXTS

ROOT = Path(__file__).resolve().parents[2] / "conversations"


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_vietnamese_and_english_have_the_same_keys_and_placeholders() -> None:
    vi, en = TEXTS.by_lang["vi"], TEXTS.by_lang["en"]
    assert set(vi) == set(en)
    for key in vi:
        assert placeholders(vi[key]) == placeholders(en[key]), key


def used_keys() -> set[str]:
    keys: set[str] = set()
    for path in ROOT.rglob("*.py"):
        keys |= set(re.findall(r'"(dialogue\.[a-z_]+)"', path.read_text(encoding="utf-8")))
    return keys


@pytest.mark.parametrize("key", sorted(used_keys()))
def test_every_key_used_in_code_exists(key: str) -> None:
    assert TEXTS.has(key), f"{key} is used in code but missing from conversations/locales/vi"


def test_vietnamese_messages_address_the_person_politely() -> None:
    vi = TEXTS.by_lang["vi"]
    rude = [k for k, v in vi.items() if re.search(r"\b(bạn|mày|em)\b", v, re.IGNORECASE)]
    assert rude == []
    asking = [k for k, v in vi.items() if "Anh/Chị" in v]
    assert len(asking) > 30
