"""Geometry of the per-outlet framing charts (the SVG markup itself is in ``templates/_chart.svg.j2``).

Every outlet of a story is drawn on the same scales -- shares on 0-100 %, marker counts on 0 to the story's
largest count, the same categories in the same order -- so that the charts can be compared side by side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from storyprism.models import OutletFraming

# The lexicon's own order, so the rows read the same in every report; unknown categories follow alphabetically.
CATEGORY_ORDER = (
    "designation",
    "scare_quote",
    "loaded",
    "religious_appeal",
    "moral_appeal",
    "call_to_action",
    "intensifier",
    "hedge",
    "we_advocacy",
)

LABEL_WIDTH = 130
BAR_WIDTH = 200
VALUE_WIDTH = 50
ROW_HEIGHT = 18
BAR_HEIGHT = 12
GAP = 10
"""Vertical space between the share block and the marker block."""


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str
    """The value as printed next to the bar ("62 %", "3")."""
    css: str
    """CSS class of the bar (its colour lives in the stylesheet, so print styles can change it)."""
    y: int
    width: float


@dataclass(frozen=True)
class OutletChart:
    outlet: str
    width: int
    height: int
    label_width: int
    bar_width: int
    bar_height: int
    scale_max: int
    """The marker count that fills the whole bar width (the same for every outlet of the story)."""
    bars: list[Bar]
    markers_y: int
    """Where the marker block starts (for its caption)."""
    description: str
    """The chart's content in words, for screen readers and for readers of a text-only copy."""


def categories(outlets: Sequence[OutletFraming]) -> list[str]:
    """The marker categories of any outlet of the story, in lexicon order."""
    seen = {c for o in outlets for c in o.markers}
    known = [c for c in CATEGORY_ORDER if c in seen]
    return known + sorted(seen - set(CATEGORY_ORDER))


def framing_charts(outlets: Sequence[OutletFraming]) -> list[OutletChart]:
    cats = categories(outlets)
    scale_max = max((n for o in outlets for n in o.markers.values()), default=0)
    return [_chart(o, cats, scale_max) for o in outlets]


def _share(value: float) -> float:
    # A share outside 0-1 (a rounding slip upstream) must not draw past the axis.
    return min(max(float(value), 0.0), 1.0)


def _chart(outlet: OutletFraming, cats: list[str], scale_max: int) -> OutletChart:
    bars: list[Bar] = []
    y = 0
    for label, value, css in (
        ("opinion", _share(outlet.opinion_share), "bar-opinion"),
        ("reported claims", _share(outlet.claim_share), "bar-claim"),
    ):
        bars.append(Bar(label, value, f"{round(value * 100)} %", css, y, value * BAR_WIDTH))
        y += ROW_HEIGHT
    markers_y = y + GAP + ROW_HEIGHT
    y = markers_y
    for cat in cats:
        count = outlet.markers.get(cat, 0)
        width = count / scale_max * BAR_WIDTH if scale_max else 0.0
        bars.append(Bar(cat.replace("_", " "), count, str(count), "bar-marker", y, width))
        y += ROW_HEIGHT
    parts = [f"opinion {bars[0].shown}", f"reported claims {bars[1].shown}"]
    parts += [f"{b.label}: {b.shown}" for b in bars[2:]] or ["no framing markers"]
    return OutletChart(
        outlet=outlet.outlet,
        width=LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH,
        height=max(y, markers_y),
        label_width=LABEL_WIDTH,
        bar_width=BAR_WIDTH,
        bar_height=BAR_HEIGHT,
        scale_max=scale_max,
        bars=bars,
        markers_y=markers_y,
        description=f"{outlet.outlet}: " + ", ".join(parts),
    )
