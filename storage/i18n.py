"""Message catalogs: every user-facing sentence lives in a YAML file per language, not in code."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from storage.period_names import period_name  # the name people use: «Quý IV/2026», «Năm 2026»

DEFAULT_LANG = "vi"
LANGS = ("vi", "en")


def _flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        full = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, full + "."))
        else:
            flat[full] = str(value)
    return flat


class Catalog:
    """The sentences of one package in every language, looked up by dotted key."""

    def __init__(self, by_lang: dict[str, dict[str, str]]) -> None:
        self.by_lang = by_lang

    @classmethod
    @cache
    def load(cls, folder: Path) -> Catalog:
        """Merge every `<lang>/*.yaml` file of a package's `locales` folder (cached per folder)."""
        by_lang: dict[str, dict[str, str]] = {}
        for lang in LANGS:
            table: dict[str, str] = {}
            for path in sorted((folder / lang).glob("*.yaml")):
                tree = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
                table.update(_flatten(tree, f"{path.stem}."))
            if table:
                by_lang[lang] = table
        return cls(by_lang)

    def has(self, key: str) -> bool:
        """True when the Vietnamese catalog defines `key`."""
        return key in self.by_lang.get(DEFAULT_LANG, {})

    def text(self, key: str, lang: str = DEFAULT_LANG, **params: object) -> str:
        """The sentence `key` in `lang` (falling back to Vietnamese) with `{params}` filled in."""
        table = self.by_lang.get(lang) or self.by_lang[DEFAULT_LANG]
        template = table.get(key) or self.by_lang[DEFAULT_LANG].get(key)
        if template is None:
            raise KeyError(f"missing message {key!r}")
        if "{period_name}" in template and "period_name" not in params and "period" in params:
            params["period_name"] = period_name(str(params["period"]), lang)
        return template.format(**params) if params else template


def locales_of(package_file: str) -> Path:
    """The `locales` folder next to a package's `__init__.py`."""
    return Path(package_file).resolve().parent / "locales"
