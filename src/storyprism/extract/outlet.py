"""Who published a document, read from the document itself.

Evidence, strongest first: the input's own field, the page's metadata (og:site_name, JSON-LD
publisher), a press release's signature (the issuing office), the site's name as the page repeats
it in its header, footer and byline, its copyright line, and last the web address. Never a list of
known pages: ``data/outlets.toml`` only maps spellings and domains of one outlet to one name.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

from storyprism import lexicons
from storyprism.models import PageParts, RawDoc

_COPYRIGHT = re.compile(r"(?:©|\(c\)|\bcopyright\b)", re.IGNORECASE)
_HOLDER_END = re.compile(r"\s*(?:\||\.\s|\.$|,\s|\s[-–—]\s|\ball rights reserved\b|\s(?:or|and) its\b)", re.I)
_YEARS = re.compile(r"^[\s,.©]*(?:\d{4}(?:\s*[-–]\s*\d{2,4})?[\s,.]*)?|[\s,.]*\d{4}[\s,.]*$")
_NAMEISH = re.compile(r"^[\w][\w&'’.\- ]{1,58}[\w.]$")
_LEGAL_SUFFIX = re.compile(r"[\s,]+(?:inc|llc|ltd|limited|plc|corp|corporation|gmbh|s\.?a|co)\.?\s*$", re.I)
_BULLETED = re.compile(r"^\s*(?:[*+•·o-]|\d+\.)\s")
_MENU_WORDS = {"home", "menu", "news", "search", "login", "log in", "sign in", "subscribe", "skip to content"}


@lexicons.per_data
def _aliases() -> dict[str, str]:
    return {k.lower(): v for k, v in lexicons.load("outlets")["aliases"].items()}


@lexicons.per_data
def _signature_words() -> re.Pattern[str]:
    words = lexicons.load("outlets")["signature"]["words"]
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


@lexicons.per_data
def _not_names() -> frozenset[str]:
    """Words a page prints at its top that are never its name: menu words and genre labels."""
    labels = lexicons.load("genres")["labels"]
    return frozenset(_MENU_WORDS | {w for words in labels.values() for w in words})


def canonical_outlet(name: str) -> str:
    """The name ``data/outlets.toml`` gives this spelling or domain, else the name as written."""
    cleaned = re.sub(r"\s+", " ", name).strip(" .,|-–—:")
    return _aliases().get(cleaned.lower(), cleaned)


def find_outlet(raw: RawDoc, parts: PageParts, *, press_release: bool = False) -> tuple[str | None, str]:
    """(outlet, method) where method names the evidence used."""
    if raw.outlet:
        return canonical_outlet(raw.outlet), "input"
    for key in ("site_name", "publisher"):
        value = parts.metadata.get(key)
        if value and not _is_domainish(value):
            return canonical_outlet(value), f"metadata:{key}"
    if press_release:
        signature = _signature(parts)
        if signature:
            return canonical_outlet(signature), "signature"
    # A dump's footer may be cut short; its copyright line can be anywhere below (HTML: see parts.footer).
    page_lines = [] if raw.format != "text" else [ln for ln in raw.content.splitlines() if _COPYRIGHT.search(ln)]
    holder = _copyright_holder([*reversed(parts.footer), *parts.header, *reversed(page_lines)])
    site = _site_name(parts, holder)
    if site:
        return canonical_outlet(site), "site_name_lines"
    if holder:
        return canonical_outlet(holder), "copyright"
    domain = _domain(raw.url or parts.metadata.get("url"))
    if domain:
        for candidate in _domain_suffixes(domain):
            if candidate in _aliases():
                return _aliases()[candidate], "domain_alias"
        return domain, "domain"
    if not press_release:
        signature = _signature(parts)
        if signature:
            return canonical_outlet(signature), "signature"
    return None, "none"


def _signature(parts: PageParts) -> str | None:
    """The issuing body named on the last short line of a statement ("Media Office of ...")."""
    for line in [*reversed(parts.footer), *(parts.body[-1:] if parts.body else [])][:4]:
        text = line.strip()
        words = text.split()
        if (
            2 <= len(words) <= 14
            and not text.endswith((".", "?", "!", '"', "”", ":"))
            and _signature_words().search(text)
            and _mostly_capitalised(words)
        ):
            return text
    return None


def _mostly_capitalised(words: list[str]) -> bool:
    """Name-like: most longer words capitalised. Scripts without case (Arabic, Chinese) always pass."""
    content = [w for w in words if len(w) > 3 or not w[0].islower()]
    if not content:
        return False
    return sum(w[0].isupper() or not w[0].islower() for w in content) / len(content) >= 0.6


def _site_name(parts: PageParts, holder: str | None) -> str | None:
    """The site's name as the page prints it: a short name-like line at the very top (the logo or
    masthead, never a bulleted menu item) that the page names again. A bare repeat is enough only
    when it agrees with the copyright holder; a footer line that starts with the name ("Valdoria
    Today - State Broadcasting ...") or a byline naming it is enough on its own."""
    header = [ln.strip() for ln in parts.header[:80] if not _BULLETED.match(ln)]
    footer = [ln.strip() for ln in parts.footer[-80:] if not _BULLETED.match(ln)]
    bylines = [re.sub(r"^(?:by|from)\s+", "", m.strip(), flags=re.I) for m in parts.meta_lines]
    holder_words = set(_words(holder or ""))
    for name in header[:3]:
        if not _plausible_name(name):
            continue
        later = [*header[header.index(name) + 1 :], *footer]
        starts = any(ln.startswith((f"{name} ", f"{name}.", f"{name},")) for ln in later)
        repeated = name in later
        if starts or name in bylines or (repeated and (not holder or holder_words & set(_words(name)))):
            return name
    return None


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"\w+", text.lower()) if len(w) > 2 and w != "the"]


def _copyright_holder(lines: list[str]) -> str | None:
    """The name after a copyright sign: "© 2024, Los Angeles Times | Terms" -> "Los Angeles Times"."""
    for line in lines:
        match = _COPYRIGHT.search(line)
        if not match:
            continue
        rest = _COPYRIGHT.sub("", line[match.start() :], count=1)
        rest = _YEARS.sub("", rest.strip())
        name = _HOLDER_END.split(rest, maxsplit=1)[0]
        name = _LEGAL_SUFFIX.sub("", _YEARS.sub("", name.strip(" .,"))).strip(" .,")
        if _plausible_name(name):
            return name
    return None


def _plausible_name(text: str) -> bool:
    text = text.strip()
    words = text.split()
    if not (1 <= len(words) <= 6) or not _NAMEISH.match(text) or text.lower() in _not_names():
        return False
    if re.search(r"\d", text) or "all rights reserved" in text.lower():
        return False
    return _mostly_capitalised(words) or (len(words) == 1 and text[:1].isupper())


def _is_domainish(value: str) -> bool:
    return bool(re.fullmatch(r"(?:https?://)?[\w.-]+\.[a-z]{2,}/?", value.strip(), re.IGNORECASE))


def _domain(url: str | None) -> str | None:
    if not url:
        return None
    host = urlparse(url if "//" in url else f"//{url}").hostname or ""
    host = host.lower().removeprefix("www.")
    return host or None


def _domain_suffixes(domain: str) -> list[str]:
    parts = domain.split(".")
    return [".".join(parts[i:]) for i in range(len(parts) - 1)]
