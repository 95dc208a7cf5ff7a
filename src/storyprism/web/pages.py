"""The HTML pages: stories, story, article (and its raw input), outlets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from storyprism.report.view import build_views
from storyprism.store import Store, cursor
from storyprism.web.app import get_store, render
from storyprism.web.filters import PAGE_SIZE, FilterError, story_filters
from storyprism.web.markup import build as build_markup
from storyprism.web.snippets import snippet_parts
from storyprism.web.timeline import timeline

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
StoreDep = Annotated[Store, Depends(get_store)]
ARTICLES_PER_PAGE = 50
SEARCH_HITS = 20


@router.get("/")
def stories_page(
    request: Request,
    store: StoreDep,
    q: str | None = None,
    outlet: str | None = None,
    entity: str | None = None,
    since: str | None = None,
    until: str | None = None,
    after: str | None = None,
) -> HTMLResponse:
    form = {"q": q or "", "outlet": outlet or "", "entity": entity or "", "since": since or "", "until": until or ""}
    try:
        filters = story_filters(q, outlet, entity, since, until)
    except FilterError as exc:
        return render("page_stories.html.j2", 400, form=form, error=str(exc), rows=[], total=0, next_cursor=None,
                      filters=None, after=after, hits=[], outlets=store.outlets())  # fmt: skip
    rows = store.stories(**filters.store_args(), limit=PAGE_SIZE + 1, after=after or None)
    next_cursor = cursor(rows[PAGE_SIZE - 1]) if len(rows) > PAGE_SIZE else None
    hits = []
    if filters.search and not after:
        hits = [(h, snippet_parts(h.snippet)) for h in store.search_hits(filters.search, limit=SEARCH_HITS)]
    return render(
        "page_stories.html.j2",
        form=form,
        error=None,
        rows=rows[:PAGE_SIZE],
        total=request.app.state.counts.get(store, filters),
        next_cursor=next_cursor,
        filters=filters,
        after=after,
        hits=hits,
        outlets=store.outlets(),
    )


@router.get("/story/{story_id:path}")
def story_page(story_id: str, store: StoreDep) -> HTMLResponse:
    comparison = store.story(story_id)
    if comparison is None:
        raise HTTPException(404, f"no story {story_id!r}")
    articles = store.story_articles(story_id)
    (view,) = build_views([comparison], articles)
    by_outlet: dict[str, list] = {}
    for a in comparison.articles:
        by_outlet.setdefault(a.outlet or a.id, []).append(a)
    framing = {o.outlet: o for o in comparison.outlets}
    unique_counts = {a.id: len(comparison.unique.get(a.id, [])) for a in comparison.articles}
    titles = {a.id: a.title or a.id for a in comparison.articles}
    return render(
        "page_story.html.j2",
        story=view,
        comparison=comparison,
        by_outlet=by_outlet,
        framing=framing,
        unique_counts=unique_counts,
        titles=titles,
        timeline=timeline(comparison.articles),
        analyzed=articles,
    )


@router.get("/article/{article_id:path}/raw")
def raw_page(article_id: str, store: StoreDep) -> HTMLResponse:
    raw = store.raw(article_id)
    row = store.article_row(article_id)
    if raw is None or row is None:
        raise HTTPException(404, f"no article {article_id!r}")
    return render("page_raw.html.j2", raw=raw, row=row)


@router.get("/article/{article_id:path}")
def article_page(article_id: str, store: StoreDep) -> HTMLResponse:
    item = store.article(article_id)
    links = store.article_links(article_id)
    if item is None or links is None:
        raise HTTPException(404, f"no article {article_id!r}")
    copied = store.article_row(str(links["duplicate_of"])) if links["duplicate_of"] else None
    return render(
        "page_article.html.j2",
        item=item,
        a=item.article,
        links=links,
        copied=copied,
        markup=build_markup(item),
    )


@router.get("/outlets")
def outlets_page(store: StoreDep) -> HTMLResponse:
    return render("page_outlets.html.j2", outlets=store.outlets())


@router.get("/outlet/{name:path}")
def outlet_page(name: str, store: StoreDep, offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> HTMLResponse:
    profile = store.outlet(name)
    if profile is None:
        raise HTTPException(404, f"no outlet {name!r}")
    articles = store.outlet_articles(name, limit=ARTICLES_PER_PAGE + 1, offset=offset)
    return render(
        "page_outlet.html.j2",
        profile=profile,
        articles=articles[:ARTICLES_PER_PAGE],
        offset=offset,
        more=len(articles) > ARTICLES_PER_PAGE,
        per_page=ARTICLES_PER_PAGE,
    )
