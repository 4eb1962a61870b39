"""The summary as a picture: each indicator against its target, and who has submitted.

Drawn with matplotlib's object API on the Agg canvas (no pyplot state, safe in threads) in
DejaVu Sans, which has every Vietnamese glyph. Every piece of text is drawn as typed (`parse_math=False`): a
unit or indicator name holding `$` signs is not a formula (`$\\foo{$` made /tonghop fail).
"""

from __future__ import annotations

import io
import textwrap
from decimal import Decimal
from typing import TYPE_CHECKING

from reports.aggregate import show
from reports.summary import Line, Summary
from reports.text import shown_lines, title
from reports.texts import t
from storage.values import fmt_percent

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn (~50 MB, 0.3 s at start-up)
    from matplotlib.figure import Figure

FONT = "DejaVu Sans"
PLAIN = {"fontfamily": FONT, "parse_math": False}  # every Text the chart draws: literal, never mathtext
COLOURS = {"on_track": "#2e7d32", "at_risk": "#c62828", "far_exceeding": "#1565c0", "no_target": "#9e9e9e",
           "no_data": "#bdbdbd"}
PROGRESS = (("on_time", "#2e7d32"), ("late", "#f9a825"), ("drafts", "#90caf9"), ("not_started", "#e0e0e0"))
CAP = 150.0  # bars stop at 150% of the target; the label keeps the real figure


def achievement(line: Line) -> tuple[float | None, bool]:
    """Figure as % of the target (or of the reference target when none is set yet), and whether it is a reference."""
    target = line.status.target or line.status.reference
    value = line.agg.value if line.agg else None
    if target is None or target.number in (None, 0) or value is None:
        return None, False
    ratio = value / target.number if line.q.sign > 0 else (target.number / value if value else Decimal(0))
    return float(max(Decimal(0), ratio * 100)), line.status.target is None


def _label(line: Line, lang: str) -> str:
    target = line.status.target or line.status.reference
    figure = show(line.q, line.agg, lang)
    if target is None:
        return figure if line.agg is None else figure + t("chart.no_target", lang)
    key = "chart.vs_target" if line.status.target else "chart.vs_reference"
    return t(key, lang, value=figure, target=target.text, year=target.year)


LABEL_X = CAP + 6  # value labels sit in their own column right of the bars, clear of the target line
TICK_WIDTH = 40  # characters per line of an indicator's name (wrapped, never cut)
LABEL_WIDTH = 52  # characters per line of a value label


def _plain(legend):  # noqa: ANN001, ANN202 - matplotlib Legend
    """The legend's labels drawn as typed (a legend takes no Text properties for them)."""
    for text in legend.get_texts():
        text.set_parse_math(False)
    return legend


def _indicators(fig: Figure, ax, s: Summary, lang: str) -> None:  # noqa: ANN001 - matplotlib Axes
    lines = shown_lines(s)
    ys = list(range(len(lines)))[::-1]
    for y, line in zip(ys, lines, strict=True):
        pct, reference = achievement(line)
        colour = COLOURS.get(line.status.code, "#9e9e9e")
        if pct is not None:
            ax.barh(y, min(pct, CAP), color=colour, hatch="//" if reference else None,
                    alpha=0.55 if reference else 0.9, edgecolor="white", height=0.6)
        ax.text(LABEL_X, y, textwrap.fill(_label(line, lang), LABEL_WIDTH), va="center", fontsize=7.5,
                **PLAIN, linespacing=1.1)
    ax.plot([100, 100], [-0.5, len(lines) - 0.5], color="#424242", linestyle="--", linewidth=1)  # bars only
    ax.text(100, len(lines) - 0.45, t("chart.target_line", lang), ha="center", va="bottom", fontsize=8,
            **PLAIN)
    names = [textwrap.fill(f"{ln.q.number}. {ln.q.short_label}", TICK_WIDTH) for ln in lines]
    ax.set_yticks(ys, names, fontsize=8, **PLAIN, linespacing=1.1)
    ax.set_xlim(0, CAP + 110)
    ax.set_ylim(-0.7, len(lines) - 0.05)
    ax.set_xticks([0, 25, 50, 75, 100, 125, 150], ["0", "25", "50", "75", "100", "125", "≥150"], parse_math=False)
    ax.set_xlabel(t("chart.x_label", lang), fontsize=8, **PLAIN)
    ax.set_title(t("chart.indicators_title", lang), fontsize=10, **PLAIN, loc="left")
    handles = [ax.bar(0, 0, color=c, label=t(f"status.short_{k}", lang)) for k, c in COLOURS.items() if k != "no_data"]
    _plain(ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=4, frameon=False,
                     prop={"family": FONT, "size": 7}))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _progress(ax, s: Summary, lang: str) -> None:  # noqa: ANN001 - matplotlib Axes
    """One bar per unit kind, as shares of its expected units: on time, late, in progress, not started."""
    kinds = list(s.completeness.by_kind.items())
    for y, (_kind, counts) in enumerate(kinds):
        left = 0.0
        for attr, colour in PROGRESS:
            share = getattr(counts, attr) * 100 / counts.expected if counts.expected else 0
            ax.barh(y, share, left=left, color=colour, height=0.6, label=t(f"chart.{attr}", lang) if y == 0 else None)
            left += share
        ax.text(101, y, f"{counts.submitted}/{counts.expected}", va="center", fontsize=8, **PLAIN)
    ax.set_yticks(range(len(kinds)), [t(f"common.kind_{k}", lang) for k, _ in kinds], fontsize=8, **PLAIN)
    c = s.completeness
    ax.set_title(t("chart.progress_title", lang, done=c.submitted, expected=c.expected,
                   rate=fmt_percent(c.rate, lang, 1), on_time=fmt_percent(c.rate_on_time, lang, 1)),
                 fontsize=10, **PLAIN, loc="left")
    ax.set_xlim(0, 110)
    ax.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"], parse_math=False)
    _plain(ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=4, prop={"family": FONT, "size": 7},
                     frameon=False))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def summary_chart(s: Summary, lang: str = "vi") -> bytes:
    """A PNG: indicators against targets on top, submission progress by unit kind below."""
    out = io.BytesIO()
    summary_figure(s, lang).savefig(out, format="png")
    return out.getvalue()


def summary_figure(s: Summary, lang: str = "vi") -> Figure:
    """The chart's figure (drawn on an Agg canvas); rows grow with indicator names wrapped on two lines."""
    rows = shown_lines(s)
    n, kinds = len(rows), max(1, len(s.completeness.by_kind))
    tall = sum(1 for ln in rows if len(f"{ln.q.number}. {ln.q.short_label}") > TICK_WIDTH
               or len(_label(ln, lang)) > LABEL_WIDTH)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    height = 0.42 * n + 0.2 * tall
    fig = Figure(figsize=(12, 1.6 + height + 0.5 * kinds + 1.2), dpi=110)
    FigureCanvasAgg(fig)
    grid = fig.add_gridspec(2, 1, height_ratios=[max(height, 0.42) + 0.6, kinds * 0.5 + 0.6], hspace=0.45)
    fig.suptitle(title(s, lang) + " — " + s.scope.label(lang), fontsize=12, **PLAIN, x=0.01, ha="left")
    _indicators(fig, fig.add_subplot(grid[0]), s, lang)
    _progress(fig.add_subplot(grid[1]), s, lang)
    fig.subplots_adjust(left=0.25, right=0.99, top=0.93, bottom=0.08)
    return fig
