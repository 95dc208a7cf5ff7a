"""The self-contained HTML report: Jinja2 templates with autoescaping, inline CSS and SVG, no scripts, no fetches."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from storyprism.models import AnalyzedArticle, Comparison
from storyprism.report.view import build_views


@cache
def environment() -> Environment:
    # autoescape=True for every template (HTML, SVG and the included CSS alike): document text is only ever
    # inserted through {{ }} and so always escaped; nothing in the templates marks it safe.
    return Environment(
        loader=PackageLoader("storyprism.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(
    comparisons: Sequence[Comparison],
    articles: Mapping[str, AnalyzedArticle],
    *,
    title: str = "storyprism report",
) -> str:
    """One HTML page for the given stories; ``articles`` maps article id -> its analysis (for the sentences)."""
    template = environment().get_template("report.html.j2")
    return template.render(stories=build_views(comparisons, articles), page_title=title)
