"""Page-dump lines -> units: renderer markup stripped, wrapped lines re-joined, features computed.

A *unit* is one logical line of the page: a paragraph, a heading, a menu item. Renderers differ
(lynx indents and wraps at 1024 columns, w3m and html2text wrap at a fixed width, a browser's "save
as text" never wraps, markdown-ish renderers add ``#``, ``**`` and ``[text](url)``), so everything
here relies only on what they share: blank lines between blocks, bullets before list items, and a
maximum line width that wrapped lines come close to.
"""

from __future__ import annotations

import re

from storyprism.extract.dump_cues import norm

# A list bullet at the start of a line. "o" (lynx's third level) only counts when indented.
_BULLET = re.compile(r"^(?:[•·▪◦‣■□●○►▸]\s*|[*+o-](?:\s+|$))")
_MD_HEADING = re.compile(r"^(#{1,6})\s+")
_MD_QUOTE = re.compile(r"^(?:>\s?)+")
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)")
_MD_EMPH = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
# Markup that text renderers print instead of widgets: buttons, frames, image placeholders, inputs.
_MARKERS = re.compile(
    r"\((?:BUTTON|IMAGE|IMG|VIDEO|EMBED)\)|IFRAME:\s*\S*|\[\?url=[^\]]*\]|\[(?:IMG|INS::INS|image|img|"
    r"embed|video|iframe|button|Image|Video|[ xX*]|\d+)\]|_{4,}|\[\]|\{\{[^}]*\}\}|"
    r"(?<!\w)https?://\S+|\bwww\.\S+"
)
# Cheap test before running _MARKERS: every marker contains one of these.
_MARKER_HINTS = re.compile(r"[(\[_]|\{\{|IFRAME|://|www\.")
# Opening quotes and brackets to skip when looking at a word's first letter.
_OPENERS = "\"'“‘«([¿¡"
_UPPER = re.compile(r"[A-ZÀ-ÖØ-Þ]")
_UPPER_RUN = re.compile(r"[A-ZÀ-ÖØ-Þ]{3}")
_LOWER = re.compile(r"[a-zß-öø-ÿ]")
_LOWER_START = re.compile(r"[\"'“‘(]?[a-zß-öø-ÿ]")
# Ends like a sentence: terminal punctuation, then optional closing quotes/brackets/citations.
_SENT_END = re.compile(r"""(?:[.!?…:;؟۔。！？]|\.\.\.)["'”’»)\]]*(?:\s*\[[^\]]{1,40}\])?\s*$""")

STOP_WORDS = frozenset(
    """
    a an the and or but if of to in on at by for with from as is are was were be been being has have
    had do does did not no it its this that these those he she they we you i his her their our your
    my him them us me who whom which what when where why how than then so such there here will would
    can could should may might must shall also after before about into over under between during
    while since until because against among through per said says told according just more most very
    all any some each other only out up down off again further once both few own same too s t
    في من على إلى الى عن مع أن ان إن أنه أنها التي الذي الذين هذا هذه ذلك تلك كان كانت قد لم لن لا ما
    أو او ثم حيث بين عند منذ خلال بعد قبل كما وقد وفي ومن وأن وهو وهي هو هي كل غير عبر حتى إذا لكن
    """.split()  # noqa: SIM905 - a word list reads better as text
)


class Unit:
    """One logical line: its text without renderer markup, where it sits, and cheap features."""

    __slots__ = (
        "blank_before",
        "bullet",
        "caps",
        "dated",
        "dup",
        "end",
        "ends_sentence",
        "group",
        "heading",
        "indent",
        "linked",
        "markers",
        "normed",
        "quote",
        "repeat",
        "start",
        "stop_ratio",
        "text",
        "title_ratio",
        "words",
    )

    def __init__(
        self,
        text: str,
        start: int,
        end: int,
        indent: int,
        bullet: bool,
        heading: int,
        quote: bool,
        markers: int,
        group: int,
        blank_before: bool,
    ) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.indent = indent
        self.bullet = bullet
        self.heading = heading
        self.quote = quote
        self.markers = markers
        self.group = group
        self.blank_before = blank_before
        self.dup = False
        self.repeat = False
        self.dated: bool | None = None  # a byline/date line? (computed by the extractor when needed)
        self.normed = normed = norm(text)
        if not normed:
            self.words, self.stop_ratio, self.title_ratio = 0, 0.0, 0.0
            self.ends_sentence = self.caps = False
            return
        toks = normed.split(" ")
        self.words = n = len(toks)
        self.ends_sentence = bool(_SENT_END.search(text[-24:]))
        self.stop_ratio = sum(map(STOP_WORDS.__contains__, toks)) / n
        if n <= 4:
            # Menu items, buttons, labels: the case features below only matter for longer lines.
            self.title_ratio = 1.0 if text[:1].isupper() else 0.0
            self.caps = False
            return
        # The first 40 words tell a headline from a sentence as well as all of them would.
        initials = [c for c in (w.lstrip(_OPENERS)[:1] for w in text.split(None, 40)[:40]) if c.isalpha()]
        self.title_ratio = sum(map(str.isupper, initials)) / len(initials) if initials else 0.0
        if _UPPER_RUN.search(text):
            letters_up = len(_UPPER.findall(text))
            self.caps = letters_up >= 8 and len(_LOWER.findall(text)) <= letters_up * 0.1
        else:
            self.caps = False

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Unit({self.start}:{self.end} g{self.group} {self.text[:50]!r})"


def _clean(text: str) -> tuple[str, int, bool, int, float]:
    """Strip markdown and renderer markers.

    Returns the text, its markdown heading level, whether it was a block quote, how many renderer
    markers it had, and the share of it that was link text (markdown renderers show what a menu is).
    """
    heading = 0
    m = _MD_HEADING.match(text)
    if m:
        heading = len(m.group(1))
        text = text[m.end() :]
    quote = False
    m = _MD_QUOTE.match(text)
    if m:
        quote = True
        text = text[m.end() :]
    linked = 0
    if "](" in text:
        text = _MD_IMAGE.sub(" ", text)
        linked = sum(len(mm.group(1).strip()) for mm in _MD_LINK.finditer(text))
        text = _MD_LINK.sub(lambda mm: mm.group(1), text)
    if "**" in text or "__" in text:
        text = _MD_EMPH.sub(lambda mm: mm.group(2), text)
    markers = 0
    if _MARKER_HINTS.search(text):
        text, markers = _MARKERS.subn(" ", text)
    if markers or "  " in text:
        text = " ".join(text.split())
    text = text.strip()
    return text, heading, quote, markers, (min(1.0, linked / len(text)) if linked and text else 0.0)


def _wrap_width(lines: list[str]) -> int:
    """The width the renderer wrapped at, or 0 when nothing looks wrapped.

    Wrapped lines end within a word's length of the wrap width, so they pile up just under it, and
    each goes on, mid-sentence, on the next line at the same indentation. The 12-column window
    holding the most such lines (at least three, 50 columns or wider, and most of the lines ending
    in that window) gives the width. Lines with link targets are left out: html2text never breaks
    a URL, so those lines overrun the width.
    """
    n = len(lines)
    going_on: list[int] = []
    ending: list[int] = []
    for i, x in enumerate(lines):
        if len(x) < 50 or "](" in x or "://" in x:
            continue
        ending.append(len(x))
        nxt = lines[i + 1] if i + 1 < n else ""
        if nxt.strip() and _indent(nxt) == _indent(x) and not _SENT_END.search(x[-6:]):
            going_on.append(len(x))
    if len(going_on) < 3:
        return 0
    going_on.sort()
    best, best_top = 0, 0
    lo = 0
    for hi, top in enumerate(going_on):
        while going_on[lo] < top - 12:
            lo += 1
        if hi - lo + 1 >= best:
            best, best_top = hi - lo + 1, top
    # Chance piles (a few similar-length headlines) are a small share of the long lines.
    if best < 3 or best < 0.2 * len(ending):
        return 0
    in_window = sum(1 for length in ending if best_top - 12 <= length <= best_top)
    if best < 0.6 * in_window:
        return 0
    # A renderer that wraps never prints a line it could have broken well before the width: lines
    # running far past it (a copy-paste dump's one-line paragraphs) mean the pile is chance.
    overrun = sum(1 for length in ending if length > best_top + 12)
    return 0 if overrun > max(2, best // 2) else best_top


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _first_word_len(text: str) -> int:
    sp = text.find(" ")
    return len(text) if sp < 0 else sp


def build_units(text: str) -> list[Unit]:
    """Split a dump into units, joining lines the renderer wrapped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ").replace("\xa0", " ")
    text = text.replace("\u200b", "").replace("\ufeff", "")
    lines = [line.rstrip() for line in text.split("\n")]
    width = _wrap_width(lines)
    units: list[Unit] = []
    group = 0
    blank = True
    # The unit being built: its pieces and where the text of its first line starts.
    cur: list[str] = []
    cur_meta: tuple[int, int, bool, int, bool] | None = None  # start, indent, bullet, text column, blank
    cur_last_len = 0

    def flush(end: int) -> None:
        nonlocal cur, cur_meta
        if cur_meta is None:
            return
        start, indent, bullet, _col, blank_before = cur_meta
        cleaned, heading, quote, markers, linked = _clean(" ".join(cur))
        unit = Unit(cleaned, start, end, indent, bullet, heading, quote, markers, group, blank_before)
        unit.linked = linked
        units.append(unit)
        cur = []
        cur_meta = None

    for i, raw in enumerate(lines):
        stripped = raw.strip()
        if not stripped:
            flush(i)
            if not blank:
                group += 1
            blank = True
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        body = stripped
        bullet = False
        m = _BULLET.match(body)
        if m and (body[0] != "o" or indent >= 2):
            bullet = True
            body = body[m.end() :]
        col = indent + (len(stripped) - len(body))
        # Continuation of a wrapped line: same text column, no bullet, and the previous line was
        # filled so far that this line's first word would not have fitted on it.
        if (
            cur_meta is not None
            and width
            and not bullet
            and indent == cur_meta[3]
            and body != cur[-1]
            and (
                cur_last_len + 1 + _first_word_len(body) > width - 1
                # Hand-wrapped text breaks a little early: a line in the wrap window that stops
                # mid-sentence goes on when the next one starts in lower case.
                or (cur_last_len >= width - 16 and _LOWER_START.match(body) and not _SENT_END.search(cur[-1][-6:]))
            )
        ):
            cur.append(body)
            cur_last_len = len(raw.rstrip())
            continue
        # w3m prints an empty bullet and the item's text on the next, further indented line.
        if cur_meta is not None and not "".join(cur) and cur_meta[2] and not bullet and indent > cur_meta[1]:
            cur.append(body)
            cur_meta = (cur_meta[0], cur_meta[1], True, indent, cur_meta[4])
            cur_last_len = len(raw.rstrip())
            continue
        flush(i)
        cur = [body] if body else [""]
        cur_meta = (i, indent, bullet, col, blank)
        cur_last_len = len(raw.rstrip())
        blank = False
    flush(len(lines))
    _mark_duplicates(units)
    return [u for u in units if u.text or u.bullet or u.markers]


def _mark_duplicates(units: list[Unit]) -> None:
    """Flag lines printed twice: close together they are an image's alt text and its caption; far
    apart (a blurb in the menu and again in the footer) they are site furniture."""
    seen: dict[str, int] = {}
    for k, u in enumerate(units):
        if u.words < 5:
            continue
        j = seen.get(u.normed)
        if j is not None:
            if k - j <= 4:
                u.dup = units[j].dup = True
            elif u.words >= 8:
                u.repeat = units[j].repeat = True
        seen[u.normed] = k
    # Near-duplicates: the same caption with a comma or a quote changed, or cut short.
    for k in range(1, len(units)):
        a, b = units[k - 1], units[k]
        if a.words < 6 or b.words < 6 or (a.dup and b.dup):
            continue
        if a.normed.startswith(b.normed) or b.normed.startswith(a.normed):
            a.dup = b.dup = True
        elif abs(a.words - b.words) <= 3:
            sa, sb = set(a.normed.split()), set(b.normed.split())
            if len(sa & sb) >= 0.85 * max(len(sa), len(sb)):
                a.dup = b.dup = True
