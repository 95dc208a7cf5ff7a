"""Geometry of a story's timeline: one lane per outlet, its articles placed on a shared time axis.

Only positions and labels are computed here; ``page_story.html.j2`` draws them as inline SVG. Articles with no
parseable publication time are not placed (the ordered list under the chart names them as undated).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from storyprism.models import StoryArticle
from storyprism.times import parse_time

WIDTH = 760
LABEL_WIDTH = 170
RIGHT_PAD = 24
LANE_HEIGHT = 26
AXIS_HEIGHT = 34


@dataclass(frozen=True)
class Dot:
    article: str
    title: str
    outlet: str
    published: str
    x: float
    y: float
    copy: bool
    """A wire copy or re-publication of an earlier article (drawn hollow)."""


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    anchor: str
    """SVG text-anchor: the first and last labels lean inwards so that they stay inside the chart."""


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    lanes: list[tuple[str, float]]
    """(outlet, y of its lane)."""
    dots: list[Dot]
    ticks: list[Tick]
    axis_y: float
    left: int
    right: int
    undated: list[StoryArticle]
    ordered: list[tuple[str, StoryArticle]]
    """(publication time, article) of the dated articles, earliest first."""


def _label(moment: datetime, span_seconds: float) -> str:
    # A span of a day or less reads best in hours; longer ones in days.
    return moment.strftime("%d %b %H:%M" if span_seconds <= 2 * 86400 else "%d %b %Y")


def timeline(articles: Sequence[StoryArticle]) -> Timeline:
    dated = [(parse_time(a.published), a) for a in articles]
    placed = sorted(((t, a) for t, a in dated if t is not None), key=lambda pair: (pair[0], pair[1].id))
    undated = [a for t, a in dated if t is None]
    outlets = list(dict.fromkeys(a.outlet or a.id for _, a in placed))
    lanes = [(o, AXIS_HEIGHT + LANE_HEIGHT * i + LANE_HEIGHT / 2) for i, o in enumerate(outlets)]
    lane_y = dict(lanes)
    left, right = LABEL_WIDTH, WIDTH - RIGHT_PAD
    ticks: list[Tick] = []
    dots: list[Dot] = []
    if placed:
        first, last = placed[0][0], placed[-1][0]
        span = (last - first).total_seconds()

        def x_of(moment: datetime) -> float:
            if span <= 0:
                return (left + right) / 2
            return left + (moment - first).total_seconds() / span * (right - left)

        moments = [first] if span <= 0 else [first + (last - first) * k / 3 for k in range(4)]
        anchors = ["middle"] if len(moments) == 1 else ["start", *["middle"] * (len(moments) - 2), "end"]
        ticks = [Tick(round(x_of(m), 1), _label(m, span), a) for m, a in zip(moments, anchors, strict=True)]
        for moment, a in placed:
            dots.append(
                Dot(a.id, a.title or a.id, a.outlet or a.id, a.published or "", round(x_of(moment), 1),
                    lane_y[a.outlet or a.id], bool(a.duplicate_of))
            )  # fmt: skip
    height = AXIS_HEIGHT + LANE_HEIGHT * max(len(outlets), 1) + 8
    return Timeline(
        width=WIDTH,
        height=height,
        lanes=lanes,
        dots=dots,
        ticks=ticks,
        axis_y=AXIS_HEIGHT - 12,
        left=left,
        right=right,
        undated=undated,
        ordered=[(a.published or "", a) for _, a in placed],
    )
