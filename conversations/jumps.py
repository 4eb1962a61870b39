"""How a change against the previous period is worded: shares in percentage points, amounts in percent."""

from __future__ import annotations

from decimal import Decimal

from conversations.parsing.problems import catalog
from storage.values import Shape, Value, fmt_number, fmt_percent

# Shapes whose headline number is a share or a rate: a change between two of them is in percentage points.
POINT_SHAPES = frozenset({Shape.PERCENT, Shape.RATIO, Shape.SHARE_PAIR, Shape.GROWTH})


def jump_words(new: Value, old: Value, lang: str) -> str:
    """`tăng 51,7 điểm phần trăm` (35% -> 86,7%), `giảm 40%` (1.000 -> 600 agencies), `không đổi`."""
    a, b = new.number, old.number
    if a is None or b is None or a == b:
        return catalog().text("dialogue.jump_same", lang)
    up = "up" if a > b else "down"
    if new.shape in POINT_SHAPES:
        points = fmt_number(abs(a - b).quantize(Decimal("0.1")), lang)
        return catalog().text(f"dialogue.jump_points_{up}", lang, points=points)
    relative = abs(a - b) * 100 / abs(b) if b else Decimal(0)
    return catalog().text(f"dialogue.jump_percent_{up}", lang, percent=fmt_percent(relative, lang, 0))
