"""A page's own metadata: JSON-LD, OpenGraph, ``<meta>`` tags, ``<html lang>``, canonical link.

Values are kept as the page writes them (dates too); the caller resolves and maps them.
htmldate is only a fallback for the publication date, and is marked as such.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from lxml import html as lxml_html

HtmlElement = lxml_html.HtmlElement

# JSON-LD types that describe the article itself (schema.org Article and its descendants).
_ARTICLE_TYPE_RE = re.compile(r"(Article|BlogPosting|Posting|Report|NewsArticle|Review|Story)$", re.I)
# Generic types: less informative as a genre than a section name like "Opinion".
_GENERIC_TYPES = {"article", "newsarticle", "blogposting", "webpage", "reportagenewsarticle"}
# Section names that state a genre (kept raw: the caller maps them).
_GENRE_SECTION_RE = re.compile(
    r"\b(opinion|opinions|comment|commentary|editorial|editorials|analysis|column|columns|"
    r"press releases?|statements?|review|reviews|letters)\b",
    re.I,
)
_URL_RE = re.compile(r"^(https?:)?//", re.I)
_WS_RE = re.compile(r"\s+")

# <meta> names/properties per key, in order of preference.
_META_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("og:title", "twitter:title", "dc.title", "dcterms.title", "title", "sailthru.title"),
    "author": (
        "author",
        "article:author",
        "dc.creator",
        "dcterms.creator",
        "byl",
        "sailthru.author",
        "parsely-author",
        "cxenseparse:author",
    ),
    "published": (
        "article:published_time",
        "og:article:published_time",
        "datepublished",
        "dc.date.issued",
        "dcterms.issued",
        "dc.date",
        "dcterms.date",
        "dcterms.created",
        "publish-date",
        "publish_date",
        "publication_date",
        "pubdate",
        "date",
        "parsely-pub-date",
        "sailthru.date",
        "article.published",
        "cxenseparse:recs:publishtime",
    ),
    "modified": (
        "article:modified_time",
        "og:updated_time",
        "og:article:modified_time",
        "datemodified",
        "dcterms.modified",
        "last-modified",
        "article.updated",
    ),
    "site_name": ("og:site_name", "application-name", "apple-mobile-web-app-title", "dc.publisher"),
    "url": ("og:url", "twitter:url"),
    "description": ("og:description", "description", "twitter:description", "dc.description"),
    "section": ("article:section", "og:article:section", "section", "parsely-section", "dc.subject"),
    "language": ("og:locale", "dc.language", "dcterms.language", "content-language", "language"),
    "publisher": ("article:publisher", "dc.publisher", "publisher"),
}


def clean_text(value: Any) -> str:
    """Collapse whitespace; non-strings become ''."""
    if not isinstance(value, str):
        return ""
    return _WS_RE.sub(" ", value).strip()


def _loads_lenient(raw: str) -> Any:
    """JSON-LD as pages write it: often wrapped in comments/CDATA, with a trailing ';' or raw newlines."""
    text = raw.strip()
    for junk in ("<!--", "-->", "<![CDATA[", "]]>", "//<![CDATA[", "//]]>"):
        text = text.replace(junk, "")
    text = text.strip().rstrip(";").strip()
    if not text:
        return None
    try:
        return json.loads(text, strict=False)
    except (ValueError, RecursionError):
        return None


def _walk(node: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every dict in a JSON-LD document (top level, lists, @graph, nested), depth-limited for safety."""
    if depth > 12:
        return
    if isinstance(node, list):
        for item in node:
            yield from _walk(item, depth + 1)
    elif isinstance(node, dict):
        yield node
        for value in node.values():
            if isinstance(value, (list, dict)):
                yield from _walk(value, depth + 1)


def _types(node: dict[str, Any]) -> list[str]:
    raw = node.get("@type")
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, list):
        return [t for t in raw if isinstance(t, str)]
    return []


def _names(value: Any) -> list[str]:
    """Person/Organization names from a JSON-LD value: a string, a dict with ``name``, or a list of those."""
    if isinstance(value, str):
        text = clean_text(value)
        return [text] if text and not _URL_RE.match(text) else []
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        out: list[str] = []
        for item in value:
            out.extend(n for n in _names(item) if n not in out)
        return out
    return []


def _first_text(value: Any) -> str:
    """A string, the first string of a list, or a dict's ``@id``/``url``/``name``."""
    if isinstance(value, list):
        for item in value:
            text = _first_text(item)
            if text:
                return text
        return ""
    if isinstance(value, dict):
        return clean_text(value.get("@id") or value.get("url") or value.get("name"))
    return clean_text(value)


def jsonld_nodes(tree: HtmlElement) -> list[dict[str, Any]]:
    """All JSON-LD objects of the page, flattened."""
    nodes: list[dict[str, Any]] = []
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        data = _loads_lenient(script.text or "")
        if data is not None:
            nodes.extend(_walk(data))
    return nodes


def _article_node(nodes: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The node describing the article: an Article-like type, preferring one with a headline and date."""
    best: dict[str, Any] | None = None
    best_score = -1
    for node in nodes:
        if not any(_ARTICLE_TYPE_RE.search(t) for t in _types(node)):
            continue
        score = sum(1 for key in ("headline", "datePublished", "articleBody", "author") if node.get(key))
        if score > best_score:
            best, best_score = node, score
    return best


def _from_jsonld(nodes: list[dict[str, Any]]) -> dict[str, str]:
    out: dict[str, str] = {}
    article = _article_node(nodes)
    if article is not None:
        types = _types(article)
        out["title"] = clean_text(article.get("headline")) or clean_text(article.get("name"))
        out["author"] = ", ".join(_names(article.get("author") or article.get("creator")))
        out["published"] = _first_text(article.get("datePublished") or article.get("dateCreated"))
        out["modified"] = _first_text(article.get("dateModified"))
        out["publisher"] = ", ".join(_names(article.get("publisher")))
        out["url"] = _first_text(article.get("url") or article.get("mainEntityOfPage"))
        out["description"] = clean_text(article.get("description"))
        section = article.get("articleSection")
        out["section"] = ", ".join(_names(section)) if isinstance(section, list) else clean_text(section)
        out["language"] = _first_text(article.get("inLanguage"))
        out["genre"] = types[0] if types else ""
        out["article_body"] = article.get("articleBody") if isinstance(article.get("articleBody"), str) else ""
    for node in nodes:  # the site's own name, when the page declares a WebSite node
        if "WebSite" in _types(node) and not out.get("site_name"):
            out["site_name"] = clean_text(node.get("name"))
    if not out.get("site_name") and out.get("publisher"):
        out["site_name"] = out["publisher"]
    return {k: v for k, v in out.items() if v}


def _meta_values(tree: HtmlElement) -> dict[str, list[str]]:
    """``<meta>`` contents by lower-cased name/property/itemprop/http-equiv (first occurrence first)."""
    values: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        content = clean_text(meta.get("content"))
        if not content:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = (meta.get(attr) or "").strip().lower()
            if key:
                values.setdefault(key, []).append(content)
    return values


def _from_meta(tree: HtmlElement) -> dict[str, str]:
    values = _meta_values(tree)
    out: dict[str, str] = {}
    for key, names in _META_KEYS.items():
        for name in names:
            found = [v for v in values.get(name, []) if key not in ("author", "publisher") or not _URL_RE.match(v)]
            if found:
                out[key] = ", ".join(dict.fromkeys(found)) if key == "author" else found[0]
                break
    # itemprop dates are often on <time datetime=...> rather than <meta>.
    if "published" not in out:
        for el in tree.xpath('//*[@itemprop="datePublished"][@datetime]'):
            out["published"] = clean_text(el.get("datetime"))
            break
    return out


def _title_tag(tree: HtmlElement) -> str:
    for el in tree.iter("title"):
        return clean_text(el.text_content())
    return ""


def _canonical(tree: HtmlElement) -> str:
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            return clean_text(link.get("href"))
    return ""


def _language(tree: HtmlElement) -> str:
    root = tree.getroottree().getroot()
    return clean_text(root.get("lang") or root.get("xml:lang") or "")


def _genre(jsonld: dict[str, str], section: str) -> str:
    """A specific JSON-LD type wins; else a section that names a genre; else the generic type."""
    ld_type = jsonld.get("genre", "")
    if ld_type and ld_type.lower() not in _GENERIC_TYPES:
        return ld_type
    if section and _GENRE_SECTION_RE.search(section):
        return section
    return ld_type


def date_from_htmldate(html: str | HtmlElement, url: str | None) -> str:
    """htmldate's best guess for the original publication date, ISO; '' if none."""
    try:
        from htmldate import find_date

        found = find_date(html, extensive_search=True, original_date=True, outputformat="%Y-%m-%dT%H:%M:%S%z", url=url)
    except Exception:  # htmldate is heuristic code over hostile input: a failure only means "no date"
        return ""
    if not found:
        return ""
    # A midnight time without zone is htmldate's padding for a date-only find: keep the date only.
    return found[:10] if found.endswith("T00:00:00") else found


def extract_metadata(tree: HtmlElement, url: str | None = None) -> tuple[dict[str, str], str]:
    """The page's metadata (keys as in ``PageParts.metadata``) and the JSON-LD ``articleBody`` ('' if none).

    Must run before scripts are stripped from the tree (JSON-LD lives in ``<script>``).
    """
    jsonld = _from_jsonld(jsonld_nodes(tree))
    article_body = jsonld.pop("article_body", "")
    meta = _from_meta(tree)
    out: dict[str, str] = {}
    for key in (
        "title",
        "author",
        "published",
        "modified",
        "site_name",
        "url",
        "description",
        "section",
        "language",
        "publisher",
    ):
        value = jsonld.get(key) or meta.get(key)
        if value:
            out[key] = value
    if "published" in out:
        out["published_source"] = "jsonld" if jsonld.get("published") else "meta"
    if "title" not in out and (title := _title_tag(tree)):
        out["title"] = title
    if canonical := _canonical(tree):
        out["url"] = canonical
    elif "url" not in out and url:
        out["url"] = url
    if lang := _language(tree):
        out["language"] = lang
    if genre := _genre(jsonld, out.get("section", "")):
        out["genre"] = genre
    return out, article_body
