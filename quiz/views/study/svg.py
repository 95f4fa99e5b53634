"""Geometry of the progress chart, drawn server-side as inline SVG.

No JavaScript chart library: the view computes bar rectangles here and the
template writes them out as ``<rect>`` elements. One bar per day: its full
height is the questions answered that day, its solid part those answered right.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

WIDTH = 720
HEIGHT = 220
# Room for the axis labels (left for counts, bottom for dates), enough for the
# larger labels the stylesheet uses when the chart shrinks on a phone.
MARGIN_LEFT = 44
MARGIN_RIGHT = 8
MARGIN_TOP = 16
MARGIN_BOTTOM = 40
BAR_GAP_RATIO = 0.25
# A date label every this many days keeps them from overlapping.
DATE_LABEL_EVERY = 7


@dataclass(frozen=True)
class Bar:
    """One day's bar: the answered part and, inside it, the correct part."""

    day: date
    answered: int
    correct: int
    x: float
    width: float
    answered_y: float
    answered_height: float
    correct_y: float
    correct_height: float
    show_label: bool
    # Where the date label is anchored: labels near an edge grow inwards.
    label_x: float
    label_anchor: str


@dataclass(frozen=True)
class Tick:
    """A horizontal grid line with its count."""

    value: int
    y: float


@dataclass(frozen=True)
class Chart:
    """Everything the template needs to draw the chart."""

    width: int
    height: int
    plot_left: int
    plot_right: int
    baseline: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]

    @property
    def empty(self) -> bool:
        """Whether no day has any answer (the template then says so instead)."""
        return not any(bar.answered for bar in self.bars)


def nice_maximum(value: int) -> int:
    """The smallest round number (1, 2, 5 × 10ⁿ; even under 10) at least ``value``."""
    if value <= 2:
        return 2
    if value <= 10:
        return value + value % 2
    magnitude = int(10 ** int(math.log10(value)))
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude  # unreachable: 10 × magnitude is always enough


def build_chart(days: Sequence[tuple[date, int, int]]) -> Chart:
    """Lay out ``(day, answered, correct)`` rows, oldest first, as bars."""
    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    baseline = HEIGHT - MARGIN_BOTTOM
    top = nice_maximum(max((answered for _, answered, _ in days), default=0))
    slot = plot_width / max(len(days), 1)
    bar_width = slot * (1 - BAR_GAP_RATIO)

    def height_of(count: int) -> float:
        return plot_height * count / top

    bars = []
    for index, (day, answered, correct) in enumerate(days):
        answered_height = height_of(answered)
        correct_height = height_of(min(correct, answered))
        x = MARGIN_LEFT + index * slot + (slot - bar_width) / 2
        label_x, label_anchor = _label_position(x, bar_width, index, len(days))
        bars.append(
            Bar(
                day=day,
                answered=answered,
                correct=correct,
                x=round(x, 2),
                width=round(bar_width, 2),
                answered_y=round(baseline - answered_height, 2),
                answered_height=round(answered_height, 2),
                correct_y=round(baseline - correct_height, 2),
                correct_height=round(correct_height, 2),
                # Label from the newest day backwards, so today always has one.
                show_label=(len(days) - 1 - index) % DATE_LABEL_EVERY == 0,
                label_x=round(label_x, 2),
                label_anchor=label_anchor,
            )
        )
    ticks = tuple(
        Tick(value=value, y=round(baseline - height_of(value), 2)) for value in (0, top // 2, top)
    )
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=MARGIN_LEFT,
        plot_right=WIDTH - MARGIN_RIGHT,
        baseline=baseline,
        bars=tuple(bars),
        ticks=ticks,
    )


def _label_position(x: float, width: float, index: int, count: int) -> tuple[float, str]:
    """``(x, text-anchor)`` of a bar's date label, kept inside the chart near its edges."""
    edge = max(count // 10, 1)
    if index < edge:
        return x, "start"
    if index >= count - edge:
        return x + width, "end"
    return x + width / 2, "middle"
