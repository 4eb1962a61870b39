"""Status against the year's target (principle 3 of Phụ lục I: "dynamic and timely").

The rule, per indicator, for a period of year Y:

1. No target for Y in the scope (the scope's own target — a province's or a ministry's — else the
   national one) → "no target set yet", with the latest earlier target (or the nearest later goal)
   shown for reference. No figure this period → "no data".
2. f = the part of the year the period closes: Q1 ¼, Q2 ½, Q3 ¾, Q4 1 (H1 ½, Mnn n/12, yearly 1).
3. Baseline B = the same scope's figure in the last period of year Y−1; without data, the target of
   Y−1; without that, none.
4. Projected year-end value p = B + (v − B) / f: the straight line from the start of the year through
   this period's figure v, i.e. levels (shares, counts of agencies, scores, share of agencies meeting
   a target) are judged at a linear pace from B towards the target. Growth rates against last year
   (indicators 3, 4, revenue, readers) are already this year's rate so far: p = v, compared directly.
   At f = 1, or without a baseline, p = v as well. Projected shares are kept within 0–100%.
5. Gap g = (p − T) in the indicator's direction (T − p for `direction: down`, e.g. indicator 1's
   urban share should fall). g < 0 → **at risk** of missing the target: propose remedies.
   g > margin → **far exceeding**: propose raising the target. Otherwise **on track**.
   margin = 10 percentage points for percentages (shares, growth, share of units meeting a
   target), 20% of the target (at least 1) for counts and scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from reports.forms import Indicator, TargetInfo
from storage.values import Shape

FAR_POINTS = Decimal(10)
FAR_SHARE = Decimal("0.2")
ON_TRACK, AT_RISK, FAR_EXCEEDING, NO_TARGET, NO_DATA = "on_track", "at_risk", "far_exceeding", "no_target", "no_data"


@dataclass(frozen=True)
class Status:
    """The verdict for one indicator, with the numbers behind it."""

    code: str
    target: TargetInfo | None = None
    reference: TargetInfo | None = None
    baseline: Decimal | None = None
    projected: Decimal | None = None
    gap: Decimal | None = None

    @property
    def judged(self) -> bool:
        """True when compared with a target (on track, at risk or far exceeding)."""
        return self.code in (ON_TRACK, AT_RISK, FAR_EXCEEDING)


def margin(q: Indicator, target: Decimal) -> Decimal:
    """How far beyond the target counts as "far exceeding"."""
    return FAR_POINTS if q.percent_like else max(abs(target) * FAR_SHARE, Decimal(1))


def project(q: Indicator, value: Decimal, baseline: Decimal | None, fraction: float) -> Decimal:
    """The year-end value if the year goes on at this period's pace."""
    if baseline is None or fraction >= 1 or q.shape is Shape.GROWTH:
        projected = value
    else:
        projected = baseline + (value - baseline) / Decimal(str(fraction))
    if q.percent_like and q.shape is not Shape.GROWTH:
        projected = min(max(projected, Decimal(0)), Decimal(100))
    return projected


def assess(q: Indicator, value: Decimal | None, target: TargetInfo | None, reference: TargetInfo | None,
           baseline: Decimal | None, fraction: float) -> Status:
    """Apply the rule of this module's docstring."""
    if target is None or target.number is None:
        return Status(NO_TARGET, reference=reference)
    if value is None:
        return Status(NO_DATA, target=target)
    projected = project(q, value, baseline, fraction)
    gap = (projected - target.number) * q.sign
    code = AT_RISK if gap < 0 else FAR_EXCEEDING if gap > margin(q, target.number) else ON_TRACK
    return Status(code, target=target, baseline=baseline, projected=projected, gap=gap)
