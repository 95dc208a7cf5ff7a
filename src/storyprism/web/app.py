"""The web UI's application: ``create_app(db)`` builds a FastAPI app over one storyprism database.

Pages are rendered on the server with Jinja2 (autoescape on: document text only ever enters through ``{{ }}``),
styled by one stylesheet served by the app, and use no script at all, so every feature works without
JavaScript and a Content-Security-Policy can forbid scripts outright: if markup from a document ever slipped
through unescaped, the browser would still refuse to run it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined
from starlette.exceptions import HTTPException as StarletteHTTPException

from storyprism import __version__
from storyprism.store import Store
from storyprism.web.counts import StoryCounts
from storyprism.web.stores import StorePool

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


@cache
def environment() -> Environment:
    # The report's templates come second so that the story page can include the report's own story section
    # (matrix, origins, labels, charts) instead of a copy of it.
    env = Environment(
        loader=ChoiceLoader(
            [PackageLoader("storyprism.web", "templates"), PackageLoader("storyprism.report", "templates")]
        ),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["qs"] = lambda params: urlencode({k: v for k, v in params.items() if v not in (None, "")})
    env.globals["version"] = __version__
    return env


@cache
def stylesheet() -> str:
    report = resources.files("storyprism.report").joinpath("templates/report.css").read_text(encoding="utf-8")
    web = resources.files("storyprism.web").joinpath("templates/web.css").read_text(encoding="utf-8")
    return report + "\n" + web


def render(name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(environment().get_template(name).render(**context), status_code=status_code)


def get_store(request: Request) -> Iterator[Store]:
    with request.app.state.stores.borrow() as store:
        yield store


def create_app(db: str | Path | None = None) -> FastAPI:
    """The web UI over the database ``db`` (else $STORYPRISM_DB, else storyprism.db), opened read-only.

    Raises ``StoreError`` at once when the database is missing or unusable."""
    from storyprism.web import api, docs, pages

    stores = StorePool(db)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        stores.close()

    # FastAPI's own /docs page loads Swagger UI from a CDN; an offline page (docs.py) replaces it.
    app = FastAPI(
        title="storyprism",
        version=__version__,
        description="Stories, articles and outlets of a storyprism database (read-only).",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.stores = stores
    app.state.counts = StoryCounts()
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(docs.router)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    @app.get("/static/style.css", include_in_schema=False)
    def style() -> Response:
        return Response(stylesheet(), media_type="text/css", headers={"Cache-Control": "max-age=3600"})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return render("page_error.html.j2", exc.status_code, status=exc.status_code, message=str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": jsonable_errors(exc)}, status_code=422)
        message = "; ".join(f"{'.'.join(map(str, e['loc'][1:]))}: {e['msg']}" for e in exc.errors())
        return render("page_error.html.j2", 400, status=400, message=message)

    return app


def jsonable_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
