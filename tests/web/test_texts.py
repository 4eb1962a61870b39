"""Every sentence of the web view exists in Vietnamese and English with the same placeholders, and every
key the templates and views use is in the catalog."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from bot.web.render import TEXTS

WEB = Path(__file__).resolve().parents[2] / "bot" / "web"


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_vietnamese_and_english_have_the_same_keys_and_placeholders() -> None:
    vi, en = TEXTS.by_lang["vi"], TEXTS.by_lang["en"]
    assert set(vi) == set(en)
    for key in vi:
        assert placeholders(vi[key]) == placeholders(en[key]), key
    assert not [k for k, v in vi.items() if re.search(r"\b(bạn|mày)\b", v, re.IGNORECASE)]


def used_keys() -> set[str]:
    keys: set[str] = set()
    for path in [*WEB.glob("templates/*.html"), *WEB.glob("*.py")]:
        source = path.read_text(encoding="utf-8")
        keys |= set(re.findall(r"""\b(?:t|text)\(\s*["']([a-z_]+)["']""", source))
    return {k for k in keys if not k.endswith("_")}  # prefixes of a family: see the test below


@pytest.mark.parametrize("key", sorted(used_keys()))
def test_every_key_used_exists(key: str) -> None:
    assert TEXTS.has(f"web.{key}"), f"web.{key} is used but missing from bot/web/locales/vi/web.yaml"


def test_every_member_of_a_family_of_words_exists() -> None:
    from bot.web.listing import FILTERS, SORTS
    from bot.web.overview import STATUSES
    from bot.web.unitpage import FIELDS

    families = {"status": STATUSES, "filter": FILTERS, "sort": SORTS, "field": FIELDS,
                "reminder": ("sent", "pending", "undeliverable", "unreachable"),
                "action": ("answer", "official", "skip", "provisional", "note", "comparison")}
    missing = [f"web.{p}_{m}" for p, members in families.items() for m in members if not TEXTS.has(f"web.{p}_{m}")]
    assert missing == []
