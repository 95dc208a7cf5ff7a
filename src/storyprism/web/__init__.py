"""The local web UI (``storyprism serve``): server-rendered pages and a JSON API over a storyprism database."""

from __future__ import annotations

from storyprism.web.app import create_app

__all__ = ["create_app"]
