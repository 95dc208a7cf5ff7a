"""Data files (lexicons, alias tables, agency lists, cue words) loaded once and shared.

Every list that carries knowledge about the world lives in ``storyprism/data/<name>.toml``. Users
extend them without editing the package: ``STORYPRISM_DATA`` names one or more folders (separated
by ``os.pathsep``) whose ``<name>.toml`` files are merged over the bundled ones -- lists are
extended, tables merged key by key, single values replaced.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from functools import cache, wraps
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

DATA_ENV = "STORYPRISM_DATA"


def load(name: str) -> dict[str, Any]:
    """The bundled ``data/<name>.toml`` merged with the user's files of that name (see module doc)."""
    return _load(name, os.environ.get(DATA_ENV, ""))


@cache
def _load(name: str, user_dirs: str) -> dict[str, Any]:
    text = resources.files("storyprism.data").joinpath(f"{name}.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    for folder in filter(None, user_dirs.split(os.pathsep)):
        path = Path(folder) / f"{name}.toml"
        if path.is_file():
            data = merge(data, tomllib.loads(path.read_text(encoding="utf-8")))
    return data


def merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        old = out.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            out[key] = merge(old, value)
        elif isinstance(old, list) and isinstance(value, list):
            out[key] = old + [v for v in value if v not in old]
        else:
            out[key] = value
    return out


def per_data(build: Callable[[], T]) -> Callable[[], T]:
    """Cache what ``build`` makes from the data files (compiled patterns, lookup tables) once per set
    of user data folders, so a run started with other ``--data`` folders never sees a stale table."""

    @cache
    def cached(user_dirs: str) -> T:
        return build()

    @wraps(build)
    def current() -> T:
        return cached(os.environ.get(DATA_ENV, ""))

    current.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return current
