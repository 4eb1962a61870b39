"""From SQL sums to one figure per indicator, and how it was formed.

- `sum`: counts are added (`7 (2,6%)` answers: counts added; the share is Σcount / Σ(count ÷ share),
  i.e. weighted by the total each unit's share is of).
- `weighted` (ratios, growth) and `pair_from_counts` (share pairs): numerators and denominators are
  summed, never percentages averaged: Σa/Σb; growth (Σthis year − Σlast year)/Σlast year; a pair's
  first share Σa/(Σa+Σb). Units that gave only percentages cannot be weighted: when some units gave
  counts, the figure is weighted over those and the others are named in the method with their plain
  mean; when no unit gave counts, the figure is the unweighted mean of the percentages, flagged so.
- `mean`: plain mean of the values; `single`: the one provider's value (a mean, flagged, if several).
- `share_meeting`: units whose answer meets the rule (`equals: true`, `min: 20`) / units that answered.
Provisional values are included and counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from reports.forms import Indicator
from reports.queries import GroupRow
from reports.texts import t
from storage.values import Shape, fmt_number, fmt_percent

HUNDRED = Decimal(100)


def dec(x: float | int | None) -> Decimal | None:
    """A SQL float as a Decimal (None stays None)."""
    return None if x is None else Decimal(repr(float(x)))


@dataclass(frozen=True)
class Aggregate:
    """One indicator's figure for one period in one scope."""

    key: str
    value: Decimal | None
    method: str
    units: int = 0
    answered: int = 0
    provisional: int = 0
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    second: Decimal | None = None
    left_out: int = 0
    left_out_mean: Decimal | None = None
    left_out_names: tuple[str, ...] = ()  # the units left out (gave only percentages), named in the method


def _sum(rows: list[GroupRow], attr: str) -> Decimal | None:
    values = [getattr(r, attr) for r in rows if getattr(r, attr) is not None]
    return dec(sum(values)) if values else None


def _mean(rows: list[GroupRow]) -> Decimal | None:
    n = sum(r.n_number for r in rows)
    total = _sum(rows, "sum_number")
    return total / n if n and total is not None else None


def _weighted(q: Indicator, rows: list[GroupRow], base: dict[str, object]) -> Aggregate:
    """Ratios, growth and pairs: Σa/Σb over units with counts; percentages only when none gave counts."""
    counted = [r for r in rows if r.basis == "counts"]
    plain = [r for r in rows if r.basis != "counts"]
    kind = {Shape.GROWTH: "growth", Shape.SHARE_PAIR: "pair"}.get(q.shape, "ratio")
    if not counted:
        return Aggregate(value=_mean(plain), method=f"{kind}_mean", units=sum(r.n for r in plain), **base)
    a, b = _sum(counted, "sum_a") or Decimal(0), _sum(counted, "sum_b") or Decimal(0)
    if kind == "pair":
        value = a * HUNDRED / (a + b) if a + b else None
    elif kind == "growth":
        value = (a - b) * HUNDRED / b if b else None
    else:
        value = a * HUNDRED / b if b else None
    left = sum(r.n for r in plain)
    return Aggregate(value=value, method=f"{kind}_counts" + ("_partial" if left else ""), numerator=a, denominator=b,
                     units=sum(r.n for r in counted), left_out=left, left_out_mean=_mean(plain) if left else None,
                     **base)


def _summed(q: Indicator, rows: list[GroupRow], base: dict[str, object]) -> Aggregate:
    total = _sum(rows, "sum_a")
    share = None
    implied = _sum(rows, "implied_total")
    if q.shape is Shape.COUNT_SHARE and implied:
        share = (_sum(rows, "implied_count") or Decimal(0)) * HUNDRED / implied
    return Aggregate(value=total, method="sum", units=sum(r.n for r in rows), second=share, **base)


def combine(q: Indicator, rows: list[GroupRow]) -> Aggregate | None:
    """The aggregate of one indicator from its group rows (one per basis), None when unanswered."""
    if not rows or q.aggregation == "none":
        return None
    n = sum(r.n for r in rows)
    base: dict[str, object] = {"key": q.key, "answered": n, "provisional": sum(r.provisional for r in rows)}
    agg = q.aggregation
    if agg == "share_meeting":
        meets = sum(r.meets or 0 for r in rows)
        return Aggregate(value=Decimal(meets) * HUNDRED / n, method="share_meeting", units=n,
                         numerator=Decimal(meets), denominator=Decimal(n), **base)
    if agg in ("weighted", "pair_from_counts") and q.shape in (Shape.RATIO, Shape.GROWTH, Shape.SHARE_PAIR):
        return _weighted(q, rows, base)
    if agg in ("mean", "weighted") and q.shape not in (Shape.COUNT, Shape.COUNT_SHARE):
        return Aggregate(value=_mean(rows), method="mean_plain" if agg == "weighted" else "mean", units=n, **base)
    if agg == "single":
        return Aggregate(value=_mean(rows), method="single" if n == 1 else "single_many", units=n, **base)
    return _summed(q, rows, base)


def by_period(indicators: tuple[Indicator, ...], rows: list[GroupRow]) -> dict[int, dict[str, Aggregate]]:
    """Aggregates of every answered indicator, by period id then key."""
    groups: dict[tuple[int, str], list[GroupRow]] = {}
    for r in rows:
        groups.setdefault((r.period_id, r.key), []).append(r)
    out: dict[int, dict[str, Aggregate]] = {}
    for q in indicators:
        for (pid, key), grp in groups.items():
            if key == q.key and (agg := combine(q, grp)) is not None:
                out.setdefault(pid, {})[key] = agg
    return out


def show(q: Indicator, agg: Aggregate | None, lang: str) -> str:
    """The figure as the official table writes it: `61,2%/38,8%`, `80,3% (120.500/150.000)`, `12 (3,1%)`."""
    if agg is None or agg.value is None:
        return "—"
    v = agg.value
    if agg.method in ("share_meeting", "share_meeting_among"):
        return f"{fmt_percent(v, lang, 1)} ({fmt_number(agg.numerator or 0, lang, 0)}/{fmt_number(agg.denominator or 0, lang, 0)})"
    if q.shape is Shape.SHARE_PAIR and q.percent_like:
        return f"{fmt_percent(v, lang, 1)}/{fmt_percent(HUNDRED - v, lang, 1)}"
    if q.percent_like:
        head = fmt_percent(v, lang, 1, signed=q.shape is Shape.GROWTH)
        if agg.numerator is not None and agg.denominator is not None:
            return f"{head} ({fmt_number(agg.numerator, lang, 2)}/{fmt_number(agg.denominator, lang, 2)})"
        return head
    head = fmt_number(v, lang, 1 if agg.method.startswith(("mean", "single")) else 2)
    return f"{head} ({fmt_percent(agg.second, lang, 1)})" if agg.second is not None else head


def method_text(q: Indicator, agg: Aggregate, lang: str) -> str:
    """How the figure was formed, in a few words."""
    params: dict[str, object] = {"n": agg.units, "left": agg.left_out, "names": left_out_names(agg, lang),
                                 "left_mean": left_out_mean(agg, lang), "rule": rule_text(q, lang)}
    text = t(f"method.{agg.method}", lang, **params)
    if agg.method == "sum" and agg.second is not None:
        text += t("method.sum_share", lang)
    return text


NAMED = 4  # units named in a method before "và N đơn vị khác"


def left_out_names(agg: Aggregate, lang: str) -> str:
    """`Đà Nẵng`, `Đà Nẵng, Huế`, `Đà Nẵng, Huế, … và 3 đơn vị khác`; a count when names are unknown."""
    names = list(agg.left_out_names)
    if not names:
        return t("method.some_units", lang, count=agg.left_out)
    if len(names) > NAMED:
        return t("method.names_more", lang, names=", ".join(names[:NAMED]), count=len(names) - NAMED)
    return ", ".join(names)


def left_out_mean(agg: Aggregate, lang: str) -> str:
    """`58%` for one unit left out, `trung bình 58%` for several."""
    mean = fmt_percent(agg.left_out_mean, lang, 1)
    return mean if agg.left_out == 1 else t("method.mean_of_left", lang, mean=mean)


def rule_text(q: Indicator, lang: str) -> str:
    """`trả lời Có` / `≥ 20%` for a share_meeting indicator."""
    rule = q.meets or {}
    if rule.get("equals") is not None:
        return t("method.rule_yes" if rule["equals"] else "method.rule_no", lang)
    if rule.get("min") is not None:
        unit = "%" if q.shape in (Shape.GROWTH, Shape.RATIO, Shape.PERCENT, Shape.SHARE_PAIR) else ""
        return f"≥ {fmt_number(Decimal(str(rule['min'])), lang)}{unit}"
    return ""
