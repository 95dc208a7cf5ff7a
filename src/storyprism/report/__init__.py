"""Report stage: comparisons rendered for people -- one self-contained HTML page, or Markdown."""

from __future__ import annotations

from storyprism.report.html import render_html
from storyprism.report.markdown import render_markdown

__all__ = ["render_html", "render_markdown"]
