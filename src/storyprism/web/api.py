"""The JSON API under ``/api/``: the same data as the pages, described by ``/openapi.json`` (and ``/docs``)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from storyprism.store import Store, cursor
from storyprism.web.app import get_store
from storyprism.web.filters import MAX_PAGE_SIZE, PAGE_SIZE, FilterError, page_size, story_filters
from storyprism.web.snippets import snippet_text

router = APIRouter(prefix="/api", tags=["api"])
StoreDep = Annotated[Store, Depends(get_store)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Rows per page.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]


@router.get("/stories")
def list_stories(
    request: Request,
    store: StoreDep,
    q: Annotated[str | None, Query(description="Words that an article of the story must contain (FTS5).")] = None,
    outlet: Annotated[str | None, Query(description="Only stories this outlet covered.")] = None,
    entity: Annotated[str | None, Query(description="Only stories naming this canonical entity.")] = None,
    since: Annotated[str | None, Query(description="Stories still running on or after this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, Query(description="Stories begun on or before this date (YYYY-MM-DD).")] = None,
    after: Annotated[str | None, Query(description="The `next` value of the previous page.")] = None,
    limit: Limit = PAGE_SIZE,
) -> dict[str, Any]:
    """Stories newest first (by their latest article), filtered; page on with `after` = the previous `next`."""
    try:
        filters = story_filters(q, outlet, entity, since, until)
    except FilterError as exc:
        raise HTTPException(422, str(exc)) from None
    size = page_size(limit)
    rows = store.stories(**filters.store_args(), limit=size + 1, after=after or None)
    return {
        "total": request.app.state.counts.get(store, filters),
        "stories": [asdict(r) for r in rows[:size]],
        "next": cursor(rows[size - 1]) if len(rows) > size else None,
    }


@router.get("/story/{story_id:path}")
def get_story(story_id: str, store: StoreDep) -> dict[str, Any]:
    """One story's comparison: articles, shared claims with origins and support, unique claims, conflicts,
    framing per outlet and labels (the shape of `storyprism compare --format json`)."""
    comparison = store.story(story_id)
    if comparison is None:
        raise HTTPException(404, f"no story {story_id!r}")
    return comparison.to_dict()


@router.get("/article/{article_id:path}/raw")
def get_raw(article_id: str, store: StoreDep) -> dict[str, Any]:
    """The article's original input as read (content as a string: never rendered by the pages)."""
    raw = store.raw(article_id)
    if raw is None:
        raise HTTPException(404, f"no article {article_id!r}")
    return asdict(raw)


@router.get("/article/{article_id:path}")
def get_article(article_id: str, store: StoreDep) -> dict[str, Any]:
    """One analyzed article (sentences, entities, attributions, framing markers with their character spans)
    and where it stands: its story, and the article it copies, if any."""
    item = store.article(article_id)
    links = store.article_links(article_id)
    if item is None or links is None:
        raise HTTPException(404, f"no article {article_id!r}")
    return {"article": item.to_dict(), "links": links}


@router.get("/outlets")
def list_outlets(store: StoreDep) -> list[dict[str, Any]]:
    """Every outlet with its number of articles, largest first."""
    return [{"name": name, "articles": n} for name, n in store.outlets()]


@router.get("/outlet/{name:path}")
def get_outlet(name: str, store: StoreDep, limit: Limit = PAGE_SIZE, offset: Offset = 0) -> dict[str, Any]:
    """An outlet's framing profile across all its stories, and a page of its articles (newest first)."""
    profile = store.outlet(name)
    if profile is None:
        raise HTTPException(404, f"no outlet {name!r}")
    articles = store.outlet_articles(name, limit=limit, offset=offset)
    return {"profile": asdict(profile), "articles": [asdict(a) for a in articles]}


@router.get("/search")
def search(
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, description="Words to find (all must match; the last as a prefix).")],
    limit: Limit = PAGE_SIZE,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Articles matching the words, best first, each with a snippet whose matches are marked `[` `]`."""
    hits = store.search_hits(q, limit=limit, offset=offset)
    return {"articles": [{**asdict(h), "snippet": snippet_text(h.snippet)} for h in hits]}
