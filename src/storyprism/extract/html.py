"""HTML pages: trafilatura for the body, plus the page's own metadata (JSON-LD, OpenGraph, <meta>).

On top of trafilatura's body: captions are taken out of the DOM first (and kept apart), the title
and generic boilerplate (link-only paragraphs, sign-up prompts, author bios, related-story rails,
cues in ``data/html_boilerplate.toml``) are pruned, the JSON-LD ``articleBody`` vetoes paragraphs
it does not contain when it agrees with the DOM text, and the standfirst under the title is put
back in front when the page marks one.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from storyprism import lexicons
from storyprism.extract import html_dom as dom
from storyprism.extract.html_metadata import date_from_htmldate, extract_metadata
from storyprism.models import PageParts

_TEASER_MAX_WORDS = 40
"""Longest paragraph the JSON-LD articleBody may veto (inserted teasers are short)."""
_LD_MIN_COVERAGE = 0.8
"""Share of the extracted prose the JSON-LD articleBody must contain to be trusted as a veto."""


@dataclass
class Entry:
    """One body block as trafilatura delivers it."""

    text: str
    kind: str
    """p | head | item | quote"""
    link_only: bool = False


@dataclass(frozen=True)
class BoilerplateCues:
    drop: tuple[re.Pattern[str], ...]
    cut: tuple[re.Pattern[str], ...]
    cut_max_words: int
    tail: tuple[re.Pattern[str], ...]
    tail_paragraphs: int


def load_cues(path: str | Path | None = None) -> BoilerplateCues:
    """Boilerplate cues from a TOML file (default: the packaged ``data/html_boilerplate.toml``)."""
    data = lexicons.load("html_boilerplate") if path is None else tomllib.loads(Path(path).read_text(encoding="utf-8"))

    def compile_all(section: str, flags: int) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p, flags) for p in data.get(section, {}).get("patterns", []))

    return BoilerplateCues(
        drop=compile_all("drop", re.I),
        cut=compile_all("cut", re.I),
        cut_max_words=int(data.get("cut", {}).get("max_words", 8)),
        tail=compile_all("tail", 0),  # case matters: a bio starts with a capitalised name
        tail_paragraphs=int(data.get("tail", {}).get("last_paragraphs", 3)),
    )


@lexicons.per_data
def default_cues() -> BoilerplateCues:
    return load_cues()


# ---------------------------------------------------------------------------------------------
# body from trafilatura


def _flat(el: etree._Element) -> str:
    for lb in el.iter("lb"):
        lb.text = " "  # a line break inside a paragraph separates words
    return dom.clean_text("".join(el.itertext()))


def _is_link_only(el: etree._Element, text: str) -> bool:
    """The whole block is one or more links: a teaser, tag or "related" line, not article prose."""
    linked = sum(len(dom.clean_text("".join(ref.itertext()))) for ref in el.iter("ref"))
    return linked > 0 and linked >= 0.9 * len(text)


def _entries_from_xml(body: etree._Element) -> list[Entry]:
    entries: list[Entry] = []
    for child in body:
        tag = child.tag
        if tag in ("list",):
            for item in child.iter("item"):
                if item.find(".//item") is not None:
                    continue  # nested list: its items come on their own
                text = _flat(item)
                if text:
                    entries.append(Entry(text, "item", _is_link_only(item, text)))
        elif tag == "quote" and child.find("p") is not None:
            for para in child.iter("p"):
                text = _flat(para)
                if text:
                    entries.append(Entry(text, "quote", _is_link_only(para, text)))
        elif tag in ("p", "head", "quote", "code"):
            text = _flat(child)
            if text:
                kind = "head" if tag == "head" else ("quote" if tag == "quote" else "p")
                entries.append(Entry(text, kind, _is_link_only(child, text)))
    return entries


def _trafilatura_entries(tree: dom.HtmlElement, url: str | None) -> list[Entry]:
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            tree,
            url=url,
            include_comments=False,
            include_tables=False,  # tables on news pages are mostly data widgets or listings
            include_images=False,
            include_links=True,  # to recognise link-only teaser paragraphs
            include_formatting=False,
            with_metadata=False,
        )
    except Exception:  # trafilatura over hostile input: treat any failure as "found nothing"
        return []
    body = getattr(doc, "body", None) if doc is not None else None
    return _entries_from_xml(body) if body is not None else []


def _fallback_entries(tree: dom.HtmlElement) -> list[Entry]:
    """Plain paragraphs and sub-headings of the page, for pages too small for trafilatura's thresholds."""
    root = next((r for r in (tree.find(".//article"), tree.find(".//main"), tree.find("body")) if r is not None), None)
    if root is None:
        return []
    entries: list[Entry] = []
    for el in root.iter("p", "h2", "h3", "h4", "li", "blockquote"):
        if el.tag in ("p", "li") and dom.is_inside(el, ("nav", "header", "footer", "aside", "form", "blockquote")):
            continue
        text = dom.clean_text(el.text_content())
        if not text:
            continue
        if el.tag == "li" and len(text.split()) < 6:
            continue  # menu entries
        links = sum(len(dom.clean_text(a.text_content())) for a in el.iter("a"))
        kind = "head" if el.tag.startswith("h") else ("item" if el.tag == "li" else "p")
        entries.append(Entry(text, kind, links > 0 and links >= 0.9 * len(text)))
    return entries


# ---------------------------------------------------------------------------------------------
# pruning


def _same_text(a: str, b: str) -> bool:
    na, nb = dom.norm(a), dom.norm(b)
    return bool(na) and na == nb


def _drop_title(entries: list[Entry], titles: list[str]) -> list[Entry]:
    """trafilatura often starts with the headline; the body does not include it."""
    while entries and any(_same_text(entries[0].text, t) for t in titles if t):
        entries = entries[1:]
    return [e for e in entries if not (e.kind == "head" and any(_same_text(e.text, t) for t in titles if t))]


def _is_author_bio(text: str, authors: list[str], cues: BoilerplateCues) -> bool:
    """A bio of the page's own author ("<author> is a senior editor ..."), wherever the layout put it."""
    return any(text.startswith(a) for a in authors) and any(p.search(text) for p in cues.tail)


def _prune_boilerplate(entries: list[Entry], cues: BoilerplateCues, authors: list[str]) -> list[Entry]:
    kept = [
        e
        for e in entries
        if not e.link_only
        and not any(p.search(e.text) for p in cues.drop)
        and not _is_author_bio(e.text, authors, cues)
    ]
    # Cut at a "related / more from / comments" marker in the last part of the body.
    total = sum(len(e.text) for e in kept) or 1
    seen = 0
    for i, entry in enumerate(kept):
        if (
            seen > 0.5 * total
            and len(entry.text.split()) <= cues.cut_max_words
            and any(p.search(entry.text) for p in cues.cut)
        ):
            kept = kept[:i]
            break
        seen += len(entry.text)
    # Author bios among the last paragraphs.
    start = max(0, len(kept) - cues.tail_paragraphs)
    return kept[:start] + [e for e in kept[start:] if not any(p.search(e.text) for p in cues.tail)]


def _drop_repeats(entries: list[Entry]) -> list[Entry]:
    """Teaser cards repeat their headline ("Headline Headline") or repeat a block seen earlier."""
    out: list[Entry] = []
    seen: set[str] = set()
    for entry in entries:
        key = dom.norm(entry.text)
        toks = key.split()
        half = len(toks) // 2
        doubled = len(toks) >= 4 and len(toks) % 2 == 0 and toks[:half] == toks[half:]
        if doubled or (len(toks) >= 8 and key in seen):
            continue
        seen.add(key)
        out.append(entry)
    return out


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    toks = dom.words(text)
    if len(toks) < n:
        return Counter([tuple(toks)]) if toks else Counter()
    return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


def _agree_with_ld_body(entries: list[Entry], ld_body: str) -> list[Entry]:
    """Use the JSON-LD ``articleBody`` as a veto when it is a faithful copy of the DOM body.

    Publishers fill it from their CMS, without the teasers and widgets the page layout inserts in
    the body. It is trusted only when it covers most of the extracted prose (otherwise it is a
    summary, a truncated teaser, or another article's); then prose paragraphs it lacks are dropped.
    Sub-headings and long paragraphs are kept either way: CMS bodies often omit headings, and
    what the layout inserts is short (teasers, promos), while a CMS body may skip a long passage.
    """
    if len(dom.words(ld_body)) < 80 or not entries:
        return entries
    ld = _shingles(ld_body)
    ld_text = dom.norm(ld_body)
    covered = [_covered(entry.text, ld, ld_text) for entry in entries]
    prose = [(e, c) for e, c in zip(entries, covered, strict=True) if e.kind != "head"]
    prose_words = sum(len(e.text.split()) for e, _ in prose) or 1
    covered_words = sum(len(e.text.split()) for e, c in prose if c)
    if covered_words < _LD_MIN_COVERAGE * prose_words:
        return entries
    # Only inside the span the articleBody covers: CMS bodies are often cut at either end.
    first = covered.index(True)
    last = len(covered) - 1 - covered[::-1].index(True)
    return [
        e
        for i, (e, c) in enumerate(zip(entries, covered, strict=True))
        if c or e.kind == "head" or i < first or i > last or len(e.text.split()) > _TEASER_MAX_WORDS
    ]


def _covered(text: str, ld: Counter[tuple[str, ...]], ld_text: str) -> bool:
    """Most of the paragraph's 4-grams are in the articleBody (short lines: it contains them)."""
    toks = dom.words(text)
    if len(toks) < 4:
        return bool(toks) and " ".join(toks) in ld_text
    sh = _shingles(text)
    return sum(1 for s in sh if s in ld) >= 0.5 * len(sh)


def _drop_trailing_heads(entries: list[Entry]) -> list[Entry]:
    """A heading with nothing after it is a rail title left behind by the pruning."""
    while entries and entries[-1].kind == "head":
        entries = entries[:-1]
    return entries


def _near(heading: dom.HtmlElement, para: dom.HtmlElement) -> bool:
    """The paragraph sits in the heading's own block (its parent or grandparent), not in a later one."""
    block = heading.getparent()
    for _ in range(2):
        if block is None:
            return False
        if any(el is para for el in block.iter("p")):
            return True
        block = block.getparent()
    return False


def _recover_headings(tree: dom.HtmlElement, entries: list[Entry]) -> list[Entry]:
    """Put back sub-headings trafilatura dropped: a DOM heading whose next paragraph is in the body."""
    starts = {dom.norm(e.text)[:60]: i for i, e in enumerate(entries) if e.kind != "head"}
    have = {dom.norm(e.text) for e in entries}
    inserts: dict[int, str] = {}
    for heading in tree.xpath("//body//*[self::h2 or self::h3 or self::h4]"):
        text = dom.clean_text(heading.text_content())
        key = dom.norm(text)
        if not 1 <= len(key.split()) <= 20 or key in have:
            continue
        if dom.is_inside(heading, ("nav", "aside", "footer", "figure")):
            continue
        if heading.xpath(".//a") and dom.norm(" ".join(a.text_content() for a in heading.iter("a"))) == key:
            continue  # a linked headline is a teaser card's title
        following = heading.xpath("following::p[1]")
        if not following or not _near(heading, following[0]):
            continue
        index = starts.get(dom.norm(following[0].text_content())[:60])
        if index is not None and index not in inserts and (index == 0 or entries[index - 1].kind != "head"):
            inserts[index] = text
    if not inserts:
        return entries
    out: list[Entry] = []
    for i, entry in enumerate(entries):
        if i in inserts and i > 0:  # never before the first paragraph: that is the title's place
            out.append(Entry(inserts[i], "head"))
        out.append(entry)
    return out


# ---------------------------------------------------------------------------------------------
# standfirst


def _pick_standfirst(
    candidates: list[tuple[tuple[int, ...], str]],
    body_start: tuple[int, ...] | None,
    entries: list[Entry],
    titles: list[str],
) -> str | None:
    """The first deck candidate above the body that the body does not already contain."""
    body_text = " ".join(dom.norm(e.text) for e in entries[:4])
    for pos, text in candidates:
        if body_start is not None and pos >= body_start:
            break
        key = dom.norm(text)
        if not key or any(_same_text(text, t) for t in titles if t):
            continue
        if key in body_text or (entries and dom.norm(entries[0].text) in key):
            continue
        if len(key.split()) < 5:
            continue
        return text
    return None


def _pick_key_points(
    found: list[tuple[tuple[int, ...], list[str]]], body_start: tuple[int, ...] | None, entries: list[Entry]
) -> list[str]:
    """A labelled bullet summary above the body, unless the body already has it."""
    have = {dom.norm(e.text) for e in entries}
    for pos, items in found:
        if body_start is not None and pos >= body_start:
            break
        if not any(dom.norm(item) in have for item in items):
            return items
    return []


# ---------------------------------------------------------------------------------------------
# entry point


def _title(h1: str, metadata: dict[str, str]) -> str | None:
    """The visible headline when there is one, else the metadata title."""
    return h1 or metadata.get("title") or None


def parse_html(html: str, url: str | None = None, *, cues: BoilerplateCues | None = None) -> PageParts:
    """Split an HTML news page into body, standfirst, sub-headings, captions, title and metadata.

    Raises ``ValueError`` (one-line reason) only when there is nothing usable: not HTML, or a page
    with neither text nor metadata.
    """
    cues = cues or default_cues()
    tree = dom.load_tree(html)
    metadata, ld_body = extract_metadata(tree, url)
    dom.strip_active_content(tree)
    captions = dom.take_captions(tree)
    dom.drop_embeds(tree)
    headline = dom.find_headline(tree, metadata.get("title", ""))
    h1 = dom.clean_text(headline.text_content()) if headline is not None else ""
    start = dom.order_key(headline) if headline is not None else ()
    titles = [h1, metadata.get("title", "")]

    entries = _trafilatura_entries(tree, url) or _fallback_entries(tree)
    entries = _recover_headings(tree, entries)
    entries = _drop_title(entries, titles)
    authors = [a.strip() for a in re.split(r",|\band\b", metadata.get("author", "")) if len(a.strip()) > 3]
    entries = _prune_boilerplate(entries, cues, authors)
    entries = _drop_repeats(entries)
    entries = _agree_with_ld_body(entries, ld_body)
    entries = _drop_trailing_heads(entries)
    caption_keys = {dom.norm(c) for c in captions}
    entries = [e for e in entries if dom.norm(e.text) not in caption_keys]

    standfirst = None
    points: list[str] = []
    if entries:
        body_start = dom.position_of(tree, entries[0].text)
        candidates = dom.standfirst_candidates(tree, metadata.get("description", ""), start)
        standfirst = _pick_standfirst(candidates, body_start, entries, titles)
        points = _pick_key_points(dom.key_points(tree, start), body_start, entries)
    body = ([standfirst] if standfirst else []) + points + [e.text for e in entries]

    copyright_line = dom.copyright_line(tree)
    lines = dom.meta_lines(tree)
    # Last: htmldate may clean the tree it is given.
    if "published" not in metadata and (found := date_from_htmldate(tree, url)):
        metadata["published"] = found
        metadata["published_source"] = "htmldate"
    title = _title(h1, metadata)
    if not body and not title and not metadata:
        raise ValueError("no article text or metadata found")
    return PageParts(
        title=title,
        body=body,
        subheadings=[e.text for e in entries if e.kind == "head"],
        captions=captions,
        standfirst=standfirst,
        meta_lines=lines,
        header=[],
        footer=[copyright_line] if copyright_line else [],
        metadata=metadata,
    )
