"""The one error reports raise for bad requests: it names a catalog message, so chat and CLI word it alike."""

from __future__ import annotations

from reports.texts import t


class ReportError(ValueError):
    """A request that cannot be answered (unknown period, form or unit); `str()` is the English text."""

    def __init__(self, key: str, **params: object) -> None:
        self.key, self.params = key, params
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        """The message in `lang` (a callable parameter is worded in `lang` too: a list of period names)."""
        params = {k: v(lang) if callable(v) else v for k, v in self.params.items()}
        return t(f"errors.{self.key}", lang, **params)
