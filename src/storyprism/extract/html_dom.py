"""Parsing untrusted HTML into an lxml tree, and the DOM passes that run before body extraction:
stripping active content, taking captions out, finding the title, standfirst candidates, byline
and copyright lines.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

HtmlElement = lxml_html.HtmlElement

MAX_CHARS = 8_000_000
"""Longer inputs are cut: no news article needs more, and lxml/trafilatura time grows with size."""

_SCRIPT_URL_RE = re.compile(r"\s*(javascript|vbscript|livescript)\s*:", re.I)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WS_RE = re.compile(r"\s+")
_WORD_RE = re.compile(r"\w+")
# Elements whose content is never article text (and may be active content).
_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "canvas",
    "applet",
    "frameset",
    "frame",
    "audio",
    "video",
    "source",
    "track",
    "dialog",
)
_CAPTION_CLASS_RE = re.compile(r"(?:^|[\s_-])(?:caption|credit|photo-?credit|image-?credit|wp-caption-text)", re.I)
_STANDFIRST_RE = re.compile(
    # "dek" as a bare substring: design systems write it inside camel-case names ("HeaderDek").
    r"standfirst|sub-?head(?:line|er)?|dek|(?:^|[\s_-])deck(?:$|[\s_-])|excerpt|"
    r"strapline|sub-?title|(?:^|[\s_-])summary|(?:^|[\s_-])lede|(?:^|[\s_-])intro(?:$|[\s_-])",
    re.I,
)
_BYLINE_RE = re.compile(
    r"byline|author-?name|(?:^|[\s_-])author(?:$|[\s_-])|dateline|timestamp|pubdate|"
    r"(?:^|[\s_-])(?:article-?|post-?|publish(?:ed)?-?)?date(?:$|[\s_-])",
    re.I,
)
# Social-media embed markup (the platforms' own embed-code classes): quoted posts, not article text.
_EMBED_CLASS_RE = re.compile(
    r"twitter-tweet|twitter-video|instagram-media|tiktok-embed|reddit-embed|bluesky-embed|threads-embed|"
    r"fb-post|fb-video|embedly-card",
    re.I,
)
# Containers or labels of a bullet summary above the body ("Key Points", "Highlights", ...).
_KEY_POINTS_CLASS_RE = re.compile(r"key-?points|keypoints|highlights|takeaways|at-?a-?glance|summary-?list", re.I)
_KEY_POINTS_LABEL_RE = re.compile(
    r"^(key (points|takeaways|facts)|highlights|takeaways|at a glance|in brief|what to know|summary|"
    r"the big picture|in short)\s*:?$",
    re.I,
)
_COPYRIGHT_RE = re.compile(r"(©|\(c\)|copyright)\s*\d{0,4}", re.I)


def words(text: str) -> list[str]:
    return _WORD_RE.findall(text.lower())


def norm(text: str) -> str:
    """Lower-cased words joined by single spaces: for comparing texts regardless of markup and punctuation."""
    return " ".join(words(text))


def clean_text(text: str) -> str:
    return _WS_RE.sub(" ", text).strip()


def _looks_binary(text: str) -> bool:
    """Many control or replacement characters in the head of the input: not a text document."""
    head = text[:4096]
    if not head:
        return False
    bad = len(_CONTROL_RE.findall(head)) + head.count("\ufffd")
    return bad / len(head) > 0.1


def load_tree(html: str | bytes) -> HtmlElement:
    """Parse untrusted HTML; ``ValueError`` (one line) when there is no HTML document to speak of."""
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    if not isinstance(html, str):
        raise ValueError(f"expected HTML text, got {type(html).__name__}")
    if not html.strip():
        raise ValueError("empty document")
    if _looks_binary(html):
        raise ValueError("binary data, not HTML")
    html = _CONTROL_RE.sub(" ", html[:MAX_CHARS])
    # An XML declaration with an encoding makes lxml refuse a str input.
    html = re.sub(r"^\s*<\?xml[^>]*>", "", html)
    parser = lxml_html.HTMLParser(remove_comments=True, remove_pis=True, recover=True, huge_tree=False)
    try:
        tree = lxml_html.document_fromstring(html, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as err:
        raise ValueError(f"unparsable HTML ({err.__class__.__name__})") from None
    if tree is None:
        raise ValueError("unparsable HTML")
    return tree


def strip_active_content(tree: HtmlElement) -> None:
    """Remove scripts, styles, embeds, event handlers and ``javascript:`` links in place.

    trafilatura drops most of these itself; doing it here too means no later pass of ours can see them.
    XPath selects the offending attributes in C: walking every element from Python is slow on big pages.
    """
    for el in list(tree.iter(*_DROP_TAGS)):
        _drop_keep_tail(el)
    # The HTML parser lower-cases attribute names; only URL-bearing attributes can hold a script URL.
    bad_attrs = tree.xpath(
        "//@*[starts-with(name(), 'on')] | "
        "(//@href|//@src|//@action|//@formaction|//@data|//@srcdoc)"
        "[contains(translate(., 'SCRIPT', 'script'), 'script:')]"
    )
    for attr in bad_attrs:
        owner = attr.getparent()
        if owner is None or attr.attrname not in owner.attrib:
            continue
        if attr.attrname.startswith("on") or _SCRIPT_URL_RE.match(str(attr)):
            del owner.attrib[attr.attrname]


def _drop_keep_tail(el: HtmlElement) -> None:
    """Remove an element but keep the text that follows it (lxml's ``drop_tree`` moves the tail)."""
    if el.getparent() is not None:
        el.drop_tree()


def drop_embeds(tree: HtmlElement) -> None:
    """Remove embedded social-media posts (their text is a quoted post, not the article's)."""
    for el in tree.xpath("//blockquote[@class]|//div[@class]"):
        if el.getparent() is not None and _EMBED_CLASS_RE.search(el.get("class", "")):
            _drop_keep_tail(el)


def is_inside(el: HtmlElement, tags: tuple[str, ...]) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.getparent()
    return False


def take_captions(tree: HtmlElement) -> list[str]:
    """Remove figure captions and photo credits from the tree and return their texts (document order)."""
    found: list[HtmlElement] = list(tree.iter("figcaption"))
    for el in _by_label(tree, _CAPTION_CLASS_RE, ("class", "itemprop"), max_len=1000):
        if el.tag in ("article", "main"):
            continue
        # Only small elements: a container whose class merely mentions "caption" may hold the article.
        if len(el.text_content()) < 600 and (
            el.tag in ("span", "p", "small", "cite", "div") or is_inside(el, ("figure",))
        ):
            found.append(el)
    captions: list[str] = []
    taken: list[HtmlElement] = []
    for el in sorted(found, key=order_key):
        if _within(el, taken):
            continue  # part of a caption already taken (a credit inside a caption block)
        text = clean_text(el.text_content())
        if text and text not in captions:
            captions.append(text)
        taken.append(el)
    for el in taken:
        _drop_keep_tail(el)
    return captions


def _within(el: HtmlElement, blocks: list[HtmlElement]) -> bool:
    ancestors = set(el.iterancestors())
    return any(block in ancestors for block in blocks)


def find_headline(tree: HtmlElement, title_hint: str = "") -> HtmlElement | None:
    """The page's visible headline: the ``<h1>`` that agrees with the metadata title, else the first one.

    Pages also use ``<h1>`` for logos and login dialogs, hence the hint.
    """
    hint = norm(title_hint)
    first: HtmlElement | None = None
    for el in tree.iter("h1"):
        text = norm(el.text_content())
        if not text:
            continue
        if hint and (text in hint or hint in text):
            return el
        if first is None:
            first = el
    return None if hint and first is not None and len(norm(first.text_content()).split()) < 3 else first


def order_key(el: HtmlElement) -> tuple[int, ...]:
    """Document-order key: sibling indices from the root (an ancestor sorts before its descendants)."""
    key: list[int] = []
    parent = el.getparent()
    while parent is not None:
        key.append(parent.index(el))
        el, parent = parent, parent.getparent()
    return tuple(reversed(key))


def _by_label(
    tree: HtmlElement, regex: re.Pattern[str], attrs: tuple[str, ...] = ("class", "id"), max_len: int = 0
) -> list[HtmlElement]:
    """Elements of the body whose class/id (or other ``attrs``) match ``regex``, in document order.

    The attribute values are read as plain strings in one C pass and tested with the regex; only the
    few matching values are then looked up as elements (walking every element from Python, or an
    EXSLT regex calling back into Python per element, is the slow part on big pages).
    """
    matched: dict[str, set[str]] = {}
    for attr in attrs:
        values = set(_PLAIN_XPATH[attr](tree))
        matched[attr] = {v for v in values if regex.search(v)}
    tests = [f"@{attr}=$v{i}_{j}" for i, attr in enumerate(attrs) for j in range(len(matched[attr]))]
    if not tests:
        return []
    params = {f"v{i}_{j}": v for i, attr in enumerate(attrs) for j, v in enumerate(sorted(matched[attr]))}
    found = tree.xpath(f"//body//*[{' or '.join(tests)}]", **params)
    if max_len:
        found = [el for el in found if len(el.text_content()) <= max_len]
    return found


_PLAIN_XPATH = {attr: etree.XPath(f"//body//@{attr}", smart_strings=False) for attr in ("class", "id", "itemprop")}


_STANDFIRST_TAGS = ("p", "h2", "h3", "div", "span", "header")
_TEXT_XPATH = etree.XPath("//body//text()[contains(., $needle)]")


def _blocks_with_text(tree: HtmlElement, text: str) -> list[HtmlElement]:
    """Elements whose whole text is ``text`` (compared as words), found from a rare word of it."""
    target = norm(text)
    if len(target.split()) < 5:
        return []
    needle = max(re.findall(r"[^\W\d_]{4,}", text) or [""], key=len)
    if not needle:
        return []
    out: list[HtmlElement] = []
    for node in _TEXT_XPATH(tree, needle=needle)[:50]:
        el = node.getparent()
        for _ in range(4):
            if el is None or el.tag in ("body", "html"):
                break
            if norm(el.text_content()) == target:
                out.append(el)
                break
            el = el.getparent()
    return out


def standfirst_candidates(
    tree: HtmlElement, description: str, start: tuple[int, ...] = ()
) -> list[tuple[tuple[int, ...], str]]:
    """Blocks that may be the deck under the title, with their document-order key.

    Two generic signals: a class/id naming a deck (standfirst, dek, subheadline, excerpt, ...), or a
    visible block whose text is the page's own meta description. Only blocks after the headline count
    (menus come before it): ``start`` is the headline's order key. The caller keeps one only if it
    sits before the body and is not in it.
    """
    found = [el for el in _by_label(tree, _STANDFIRST_RE, max_len=2000) if el.tag in _STANDFIRST_TAGS]
    found += _blocks_with_text(tree, description)
    out: list[tuple[tuple[int, ...], str]] = []
    for el in found:
        if is_inside(el, ("nav", "aside", "footer", "figure", "li")):
            continue
        text = clean_text(el.text_content())
        key = order_key(el)
        if 20 <= len(text) <= 600 and key > start:
            out.append((key, text))
    return sorted(out)


def _near_label(el: HtmlElement) -> bool:
    """A "Key Points"-like label or container class just above or around the list."""
    node: HtmlElement | None = el
    for _ in range(4):
        if node is None:
            return False
        if _KEY_POINTS_CLASS_RE.search(f"{node.get('class', '')} {node.get('id', '')}"):
            return True
        prev = node.getprevious()
        if prev is not None and _KEY_POINTS_LABEL_RE.match(clean_text(prev.text_content())):
            return True
        node = node.getparent()
    return False


def key_points(tree: HtmlElement, start: tuple[int, ...] = ()) -> list[tuple[tuple[int, ...], list[str]]]:
    """Bullet summaries below ``start`` (the headline): a labelled list of full sentences, with order keys."""
    out: list[tuple[tuple[int, ...], list[str]]] = []
    for el in tree.xpath("//body//ul|//body//ol"):
        if is_inside(el, ("nav", "aside", "footer", "li")):
            continue
        items = [clean_text(li.text_content()) for li in el.iter("li")]
        if not 1 <= len(items) <= 8 or any(len(item.split()) < 6 for item in items):
            continue
        key = order_key(el)
        if key > start and _near_label(el):
            out.append((key, items))
    return sorted(out)


def position_of(tree: HtmlElement, text: str) -> tuple[int, ...] | None:
    """Order key of the first paragraph-like block starting with ``text``; None if not found."""
    target = norm(text)[:80]
    if not target:
        return None
    first = target.split()[0]
    for el in tree.iter("p", "li", "h2", "h3", "h4", "blockquote", "div"):
        if el.tag == "div" and len(el) > 3:
            continue  # a container, not a paragraph
        head = el.text_content()[: len(text) + 200]
        if first in head.lower() and norm(head).startswith(target):
            return order_key(el)
    return None


def meta_lines(tree: HtmlElement, limit: int = 4) -> list[str]:
    """Short byline/dateline lines marked as such by class/id."""
    out: list[str] = []
    for el in _by_label(tree, _BYLINE_RE, max_len=400):
        text = clean_text(el.text_content())
        if not 3 <= len(text) <= 100 or not re.search(r"[A-Z0-9]", text):
            continue
        if text not in out and not any(text in line for line in out):
            out.append(text)
            if len(out) >= limit:
                break
    return out


def copyright_line(tree: HtmlElement) -> str:
    """The page's copyright notice (often names the outlet); '' if none."""
    candidates = tree.xpath("//footer//text()") or []
    candidates += tree.xpath("//*[contains(text(), '©') or contains(text(), 'Copyright')]/text()")
    for raw in candidates:
        text = clean_text(str(raw))
        if _COPYRIGHT_RE.search(text) and len(text) <= 200:
            return text
    return ""
