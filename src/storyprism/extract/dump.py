"""Plain-text page dumps: find the article among menus, tickers, related lists and footers.

The page is split into units (logical lines, wrapped lines re-joined; see ``dump_text``), each unit
gets a kind (prose, short line, caption, button/menu, "Related ..." cue, footer line), and the
article is the contiguous stretch of units with the highest prose-minus-furniture score. Inside it,
link blocks, captions and buttons are removed and short lines are kept only where they sit between
paragraphs (sub-headings). The headline is the heading-like line just before the article that has
the byline/date lines next to it; a deck between the headline and the article is its standfirst.

Nothing here knows an outlet: the only vocabulary is the user-extendable ``data/boilerplate.toml``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from storyprism.extract.dump_cues import Cues, default_cues, norm, starts
from storyprism.extract.dump_text import STOP_WORDS, Unit, build_units
from storyprism.models import PageParts

# The two weights of the region search (set by hand, checked leave-one-outlet-out on the dev set):
# what a short non-prose line costs, and what the first paragraph under an article head earns extra.
SHORT_COST = 0.9
HEAD_BONUS = 3.0
# What a link under a "Related"/"Read more" cue costs: it is known furniture (the cue itself costs
# the full 1.0), so the article may go on after a list set in its middle.
ITEM_COST = 0.3
# The longest deck of a teaser after the article (words), and the most words a picture credit may
# have after it ("/File Photo", "opens new tab"); both checked leave-one-outlet-out on four renderers.
TEASER_WORDS = 45
CREDIT_TAIL = 12

# Unit kinds.
PROSE, SHORT, CAPTION, UI = "prose", "short", "caption", "ui"
RELATED, FOOTER, MARK = "related", "footer", "mark"

_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_HIJRI = r"muharram|safar|rabi|jumada|rajab|sha.?ban|ramadan|shawwal|dhu"
# Arabic month names (Gregorian, Levantine and Hijri): "14 آذار/مارس 2031".
_AR_MONTHS = (
    "يناير|فبراير|مارس|أبريل|ابريل|مايو|يونيو|يوليو|أغسطس|اغسطس|سبتمبر|أكتوبر|اكتوبر|نوفمبر|ديسمبر|"
    "كانون|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين|محرم|صفر|ربيع|جمادى|رجب|شعبان|رمضان|شوال|ذو"
)
_DATE = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\.?\s+(?:{_MONTHS}|{_HIJRI}|{_AR_MONTHS})\b|(?:{_MONTHS})\.?\s+\d{{1,2}}\b|"
    r"\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b|\d{1,2}:\d{2}\b|"
    r"\b\d+\s*(?:min|mins|minutes|hours?|h|hrs?|days?)\s+ago\b|"
    r"\b1[34]\d\d\s*(?:AH|H)\b|\b(?:19|20)\d\d\s*(?:CE|AD)\b)",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_REFERENCE = re.compile(r"^(?:no|ref|reference|issue|nr|n°|№)\.?\s*:?\s*\d", re.IGNORECASE)
_BYLINE = re.compile(r"(?:^|\s)(?:[Bb]y|BY)\s+[A-Z][\w.'’-]+")
_READ_TIME = re.compile(r"^\d+\s*(?:min|mins|minutes?)\.?\s+(?:read|listen)\b", re.I)
_FILE_PREFIX = re.compile(r"^(?:FILE(?: PHOTO)?\s*[-–—:]|PHOTO\s*[-–—:])")
# "(AP Photo/Jane Doe)", "(Getty Images)", "(AP)", "(Photo: X)" closing a line with no full stop after.
_PAREN_END = re.compile(r"\(([^()]{1,90})\)\s*$")
_LETTER = re.compile(r"[^\W\d_]")
# A wire photo credit: an agency in capitals, a slash and the photographer ("REUTERS/Jane Doe",
# "AP Photo/John Roe", "EPA-EFE/JANE DOE").
_SLASH_CREDIT = re.compile(r"\b[A-Z]{2,}(?:[ -][A-Z][A-Za-z]+)?/[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+)*(?:/[\w ]+)?")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9.&\- ]{1,12}$")
# Words that join the names of a byline without "By": "Jane Doe in Lorvik and John Roe".
_NAME_LINKS = frozenset("and in & with de van von der den al el bin ibn da di du la le y et und".split())  # noqa: SIM905
_NAME_PUNCT = ",;/|·•-–—()+"
# A news dateline opening a paragraph: "VELMORA, 21 October (VTA) - ", "LONDON (Reuters) -- ".
_DATELINE = re.compile(
    r"^(?:[A-ZÀ-Þ][A-ZÀ-Þ .'’-]{2,40}(?:,[^()\-–—]{1,40})?\s*(?:\([^()]{1,40}\))?|"
    r"[^\W\d_]{2,}(?: [^\W\d_]{2,}){0,3} \([^()]{1,40}\))\s*(?:-{1,2}|[–—])\s"
)
# A full stop between two sentences (not after "Mr" or an initial): a word of two lower-case letters.
_SENTENCE_BREAK = re.compile(r"(?:[^\W\dA-ZÀ-Þ_]{2})[.!?؟][\"'”’]?\s+\S")
_OPENING_QUOTES = "\"'“‘«„"
# A line ending in a question or exclamation mark reads as a heading; one ending in a comma goes on.
_ASK = ("?", "!", "؟")
_GOES_ON = (",", ";", "،", "؛")


@dataclass
class _Page:
    units: list[Unit]
    kinds: list[str]
    cues: Cues


# ---------------------------------------------------------------- classification


def _credit_re(cues: Cues) -> re.Pattern[str]:
    words = sorted((re.escape(w) for w in cues.credit_words), key=len, reverse=True)
    # A credit label and a short credit after it, at the end of the line: "Photograph: Jane Doe/AP".
    return re.compile(rf"(?:^|[\s.!?|,;)])(?:{'|'.join(words)})s?(?:\s+by)?\s*:\s*[^.!?:]{{1,80}}$", re.I)


_CREDIT_CACHE: dict[int, re.Pattern[str]] = {}


def _is_caption(u: Unit, cues: Cues) -> bool:
    return u.dup or _captioned(u, cues)


def _captioned(u: Unit, cues: Cues) -> bool:
    """A caption by its own wording: a file name, a caption label, a photo credit."""
    text = u.text
    if _FILE_PREFIX.match(text) or starts(u.normed, cues.caption_prefix):
        return True
    m = _PAREN_END.search(text) if text.endswith(")") else None
    if m and u.words >= 3:
        inner = m.group(1).strip()
        if "/" in inner or _ACRONYM.match(inner):
            return True
        inner_words = norm(inner).split()
        if inner_words and len(inner_words) <= 8 and any(w in cues.credit_words for w in inner_words):
            return True
    if _wire_credit(text, cues):
        return True
    if ":" not in text:
        return False
    pat = _CREDIT_CACHE.get(id(cues))
    if pat is None:
        pat = _CREDIT_CACHE[id(cues)] = _credit_re(cues)
    return bool(pat.search(text)) and not text.rstrip().endswith((".", "!", "?"))


def _wire_credit(text: str, cues: Cues) -> bool:
    """A picture credit closing a caption without brackets: "... REUTERS/Jane Doe/File Photo",
    "Jane Doe | Agency | Getty Images"."""
    tail = text[-110:]
    if "/" in tail:
        # Only what closes the line: a few words ("File Photo", "opens new tab") may follow the credit.
        ends = [m.end() for m in _SLASH_CREDIT.finditer(tail)]
        if ends and len(tail[ends[-1] :].split()) <= CREDIT_TAIL:
            return True
    bar = tail.rfind("|")
    if bar < 0:
        return False
    last = norm(tail[bar + 1 :]).split()
    return 0 < len(last) <= 4 and any(w in cues.credit_words for w in last)


def _link_blocks(page: _Page) -> None:
    """Mark the links that go with a "Related"/"Read more"/"Breaking" cue as part of its block.

    After the cue: the lines of its own block (when blank lines delimit blocks) and then, or on
    pages without blank lines, the following headline-like lines -- anything but a finished
    paragraph -- up to a sub-heading, a change of list shape, or an article head (a line followed
    by a byline or date). Before it: the one or two lines of a "Headline / Read more" pair.
    """
    units, kinds, cues = page.units, page.kinds, page.cues
    n = len(units)
    group_size = Counter(u.group for u in units)
    for i in [i for i, k in enumerate(kinds) if k == RELATED]:
        cue = units[i]
        g = cue.group
        blocky = group_size[g] <= 25  # blank lines delimit blocks on this part of the page
        closes_group = i + 1 >= n or units[i + 1].group != g
        j = i - 1
        while blocky and closes_group and j >= max(0, i - 2) and units[j].group == g and kinds[j] in (SHORT, CAPTION):
            kinds[j] = RELATED
            j -= 1
        j = i + 1
        if blocky and not closes_group:
            while j < n and units[j].group == g:
                if kinds[j] not in (UI, FOOTER, CAPTION):
                    kinds[j] = RELATED
                j += 1
            continue
        shape = units[j].bullet if j < n else False
        items: list[int] = []
        while j < n:
            u, k = units[j], kinds[j]
            if k == PROSE and u.ends_sentence and not u.linked:
                break
            if _subheading_after_list(units, kinds, j, items):
                break
            if u.heading or u.bullet != shape or k == FOOTER:
                break
            if (j + 1 < n and _is_meta(units[j + 1], cues)) or (_is_meta(u, cues) and k != RELATED):
                break
            if k in (SHORT, PROSE):
                kinds[j] = RELATED
                items.append(u.words)
            j += 1


def _subheading_after_list(units: list[Unit], kinds: list[str], j: int, items: list[int]) -> bool:
    """On a page without blank lines, a link list can run straight into the article's next
    sub-heading: a line much shorter than the headlines before it, followed by a paragraph."""
    u = units[j]
    if len(items) < 2 or kinds[j] != SHORT or u.words > 6 or u.bullet or j + 1 >= len(units):
        return False
    nxt = units[j + 1]
    if kinds[j + 1] != PROSE or not nxt.ends_sentence or nxt.bullet:
        return False
    typical = sorted(items)[len(items) // 2]
    return 2 * u.words <= typical


def _content_words(u: Unit) -> set[str]:
    return {t for t in u.normed.split(" ") if t not in STOP_WORDS and len(t) > 1}


def _caption_pairs(page: _Page) -> None:
    """Extend captions to their neighbours: an image's alt text next to its caption says nearly the
    same thing, and a credit on a line of its own ("(Jane Doe / Agency)") closes the caption above."""
    units, kinds = page.units, page.kinds
    for i, k in enumerate(kinds):
        if k == PROSE:
            break
        if k == CAPTION and units[i].dup and not units[i].ends_sentence and not _captioned(units[i], page.cues):
            kinds[i] = SHORT  # a headline printed twice above the article (the page title, then its h1)
    found = [i for i, k in enumerate(kinds) if k == CAPTION]
    for i in found:
        u = units[i]
        prev = i - 1
        if (
            prev >= 0
            and u.words <= 8
            and u.text.startswith("(")
            and kinds[prev] in (PROSE, SHORT)
            and units[prev].words <= 60
        ):
            kinds[prev] = CAPTION
            continue
        mine = _content_words(u)
        if not mine:
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(units) and kinds[j] in (PROSE, SHORT) and 4 <= units[j].words <= 30:
                theirs = _content_words(units[j])
                if theirs and len(mine & theirs) >= 0.45 * min(len(mine), len(theirs)):
                    kinds[j] = CAPTION


def _promo(u: Unit, cues: Cues) -> bool:
    """Sign-up boxes: consent small print of any length, or a short line naming a newsletter."""
    short = cues.ui_short_re
    if short is not None and u.words <= 8 and short.search(u.normed) is not None:
        return True
    pat = cues.ui_contains_re
    return pat is not None and u.words <= 120 and pat.search(u.normed) is not None


def _is_prose(u: Unit) -> bool:
    w = u.words
    if w < 5 or (u.caps and w > 3) or u.linked > 0.7:
        return False
    if u.ends_sentence and u.title_ratio < 0.8 and (w >= 8 or u.stop_ratio >= 0.15):
        return True
    return w >= 14 and u.stop_ratio >= 0.2 and u.title_ratio < 0.5


def _doubled(normed: str) -> bool:
    """A line saying the same thing twice ("Headline Headline"): a link around an image and a title."""
    half = len(normed) // 2
    return len(normed) > 20 and normed[:half].strip() == normed[half:].strip()


def _classify(u: Unit, cues: Cues) -> str:
    if not u.normed or (not u.title_ratio and not _LETTER.search(u.text)):
        # A date on its own ("21.10.2031 14:55") is a meta line, not a bare number.
        return SHORT if u.normed and u.words <= 8 and _has_date(u) else MARK
    n = u.normed
    if u.markers and u.words <= 2:
        return MARK
    if u.repeat or _READ_TIME.match(u.text) or _doubled(n):
        return UI
    if n in cues.related_exact or (u.words <= 6 and starts(n, cues.related_prefix)):
        return RELATED
    colon = u.text.find(":", 1, 40)
    if (
        colon > 0
        and u.words <= 30
        and u.text.count(" ", 0, colon) <= 3
        and u.text[0] not in _OPENING_QUOTES
        and norm(u.text[:colon]) in cues.related_exact
    ):
        # "Tags: A, B, C", "Read more: <headline>": a list or link under a cue label.
        return RELATED
    if n in cues.ui_exact or (u.words <= 30 and starts(n, cues.ui_prefix)) or _promo(u, cues):
        return UI
    if u.words <= 40:
        if starts(n, cues.footer_prefix):
            return FOOTER
        pat = cues.footer_contains_re
        if pat is not None and pat.search(u.text.lower()):
            return FOOTER
    if _is_caption(u, cues):
        return CAPTION
    if _is_prose(u):
        return PROSE
    return SHORT


def _score(u: Unit, kind: str, repeated: bool) -> float:
    """What a unit adds to a candidate article region: prose earns by length, furniture costs.

    ``repeated``: the line occurs more than once on the page (a section label in a teaser list).
    """
    if kind == PROSE:
        # One-sentence teasers in link lists earn little; real paragraphs are longer.
        s = max(0.25, (min(u.words, 80) - 6) / 8.0)
        if u.bullet:
            s *= 0.5
        if u.stop_ratio < 0.1:
            s *= 0.5
        return s
    if kind == CAPTION:
        return -0.3
    if kind == SHORT:
        if repeated:
            return -1.2
        if u.words <= 8 and _has_date(u):
            # A date on its own line inside a run of prose: a teaser list's timestamps.
            return -1.5
        return -1.0 if u.bullet else -SHORT_COST
    if kind == FOOTER:
        return -3.0
    return -1.0


def _head_bonus(page: _Page, scores: list[float]) -> None:
    """Favour text that follows an article head (a headline, then byline/date lines): on pages with
    several prose blocks (promos, "about us" blurbs), the one under a headline is the article."""
    units, kinds, cues = page.units, page.kinds, page.cues
    n = len(units)
    i = 0
    while i < n:
        u = units[i]
        if kinds[i] == SHORT and not u.bullet and _is_meta(u, cues):
            has_headline = any(_headline_score(units[j], kinds[j]) > 0 for j in range(max(0, i - 5), i))
            if has_headline:
                for j in range(i + 1, min(n, i + 14)):
                    if kinds[j] == PROSE and not units[j].bullet:
                        # Only the first head: later ones are teasers in "Read next" lists.
                        scores[j] += HEAD_BONUS
                        return
        i += 1


def _best_region(scores: list[float]) -> tuple[int, int]:
    """Maximum-sum contiguous run of units (Kadane); (-1, -1) when nothing scores above zero."""
    best, best_s, best_e = 0.0, -1, -1
    run, run_s = 0.0, 0
    for i, s in enumerate(scores):
        if run <= 0:
            run, run_s = s, i
        else:
            run += s
        if run > best:
            best, best_s, best_e = run, run_s, i
    return best_s, best_e


# ---------------------------------------------------------------- the article region


def _clean_region(page: _Page, s: int, e: int) -> list[int]:
    """Indices of the units that are body paragraphs or sub-headings inside [s, e]."""
    units, kinds = page.units, page.kinds
    kept: list[int] = []
    for i in range(s, e + 1):
        u, k = units[i], kinds[i]
        if k in (PROSE, SHORT) and not (k == SHORT and u.caps and u.words > 4):
            kept.append(i)
    # Short lines stay only as sub-headings: between paragraphs, followed by one.
    out: list[int] = []
    for pos, j in enumerate(kept):
        if kinds[j] == PROSE:
            out.append(j)
            continue
        u = units[j]
        nxt = kept[pos + 1] if pos + 1 < len(kept) else None
        if (
            nxt is not None
            and kinds[nxt] == PROSE
            and out
            and u.words <= 20
            and not u.text.endswith(_GOES_ON)
            and not (u.bullet and not units[nxt].bullet)
        ):
            out.append(j)
    # An author's note closes the article; anything after it is promotion.
    for pos in range(max(3, (2 * len(out)) // 3), len(out)):
        if _is_bio(units[out[pos]], page.cues):
            del out[pos:]
            break
    return _cut_teaser_tail(page, out)


def _cut_teaser_tail(page: _Page, out: list[int]) -> list[int]:
    """Cut a list of teasers that the region ran into after the article.

    After a "More from ..." cue, a footer line or an author's note, what follows is no longer the
    article when it is made of one-paragraph items: short decks, each on its own between headlines,
    bylines and pictures. The article's own paragraphs come in runs, and they are longer.
    """
    units, kinds, cues = page.units, page.kinds, page.cues
    for pos in range(3, len(out)):
        bio = _is_bio(units[out[pos]], cues)
        if not bio and not any(kinds[j] in (RELATED, FOOTER) for j in range(out[pos - 1] + 1, out[pos])):
            continue
        rest = out[pos + 1 :] if bio else out[pos:]
        prose = [j for j in rest if kinds[j] == PROSE]
        isolated = all(j + 1 == len(kinds) or kinds[j + 1] != PROSE for j in prose)
        if len(prose) >= 2 and isolated and all(units[j].words <= TEASER_WORDS for j in prose):
            return out[:pos]
    return out


def _is_stamp(u: Unit, kind: str) -> bool:
    """A live blog entry's time stamp: a short line with a date or time ("Jane Doe 2 March 2031 21:16")."""
    return kind == SHORT and u.words <= 12 and _has_date(u)


def _cut_live_feed(page: _Page, out: list[int]) -> tuple[list[int], bool]:
    """A live blog: keep its introduction, up to the line that opens the feed of updates ("Show latest
    update", "Key events") when three or more entry time stamps follow that line. Each entry is a
    news item of its own, written later than the introduction and not part of its text."""
    units, kinds, cues = page.units, page.kinds, page.cues
    if len(out) < 3:
        return out, False
    for j in range(out[1] + 1, len(units)):
        if units[j].normed in cues.live_exact and kinds[j] in (SHORT, UI, RELATED):
            stamps = sum(1 for k in range(j + 1, len(units)) if _is_stamp(units[k], kinds[k]))
            if stamps >= 3:
                return [k for k in out if k < j], True
            return out, False
    return out, False


def _cue_line(u: Unit, kind: str, cues: Cues) -> bool:
    """A line that says what it is: a link-list or footer cue, a button, a promotion."""
    if kind in (RELATED, FOOTER) or u.normed in cues.live_exact:
        return True
    return kind == UI and (u.normed in cues.ui_exact or starts(u.normed, cues.ui_prefix) or _promo(u, cues))


def _extend_list(page: _Page, out: list[int]) -> list[int]:
    """A paragraph closing the region with a colon announces a list ("The nominations in full:"):
    its items and the headings between them are the article's text, up to the next cue line or
    paragraph. Without this, a list of one-line items costs more than it earns and is left out."""
    units, kinds, cues = page.units, page.kinds, page.cues
    last = out[-1]
    lead: list[int] = []
    # The announcing paragraph may sit just past the region, after the article's last picture.
    for j in range(last + 1, min(len(units), last + 4)):
        if units[j].text.endswith(":") and kinds[j] in (PROSE, SHORT):
            lead = [j]
            last = j
            break
        if kinds[j] not in (UI, CAPTION) and not (kinds[j] == SHORT and units[j].words <= 3):
            break
    if not units[last].text.endswith(":"):
        return out
    items: list[int] = []
    for j in range(last + 1, min(len(units), last + 400)):
        u, k = units[j], kinds[j]
        if _cue_line(u, k, cues) or (k == PROSE and u.words > 20):
            break
        if k in (SHORT, PROSE) and not u.repeat:
            items.append(j)
    return out + lead + items if len(items) >= 3 else out


def _end_credit(page: _Page, out: list[int]) -> list[int]:
    """The credit line closing a report ("Reporting by A; Editing by B"), a line or two after the
    last paragraph with only buttons or pictures between: it belongs to the text."""
    units, kinds, cues = page.units, page.kinds, page.cues
    for j in range(out[-1] + 1, min(len(units), out[-1] + 4)):
        u, k = units[j], kinds[j]
        if k in (SHORT, PROSE) and u.words <= 40 and starts(u.normed, cues.end_credit_prefix):
            return [*out, j]
        if k not in (UI, CAPTION):
            break
    return out


def _is_bio(u: Unit, cues: Cues) -> bool:
    if u.words < 5 or not u.text[:1].isupper():
        return False
    # Cheap test first: a bio verb among the first words (most paragraphs have none).
    if cues.bio_first.isdisjoint(u.normed.split(" ", 6)[:6]):
        return False
    words = u.text.split()
    lowered = [norm(w) for w in words[:16]]
    # "<Name Name> is a ... writer": up to four capitalised name words, then a verb.
    for k in range(1, min(5, len(words))):
        if not words[k - 1][:1].isupper() or words[k - 1].endswith((",", ":", ";")):
            return False
        rest = " ".join(lowered[k : k + 2])
        for verb in cues.bio_verbs:
            if rest == verb or rest.startswith(verb + " "):
                return verb not in ("is", "has been") or any(w in cues.bio_roles for w in lowered[k:])
    return False


# ---------------------------------------------------------------- headline, byline, deck


def _has_date(u: Unit) -> bool:
    # Every date form matched below has a digit; most lines have none.
    return _DIGIT.search(u.text) is not None and _DATE.search(u.text) is not None


def _is_meta(u: Unit, cues: Cues) -> bool:
    return 0 < u.words <= 16 and (u.normed in cues.meta_exact or _is_dateline(u, cues))


def _is_dateline(u: Unit, cues: Cues) -> bool:
    """A byline, date, source or reference line: what marks an article head (a bare genre label
    such as "Opinion" does not: it is as often a menu item)."""
    if u.words == 0 or u.words > 16:
        return False
    if u.dated is None:
        u.dated = _dateline(u, cues)
    return u.dated


def _dateline(u: Unit, cues: Cues) -> bool:
    if starts(u.normed, cues.meta_prefix):
        return True
    text = u.text
    byline = u.words <= 10 and ("y " in text or "Y " in text) and _BYLINE.search(text) is not None
    if _DIGIT.search(text) is None:
        # References and dates all have a digit; most lines have none.
        return byline
    return byline or _REFERENCE.match(text) is not None or (u.words <= 12 and _DATE.search(text) is not None)


def _is_name_line(u: Unit) -> bool:
    """Names only ("Jane Doe in Lorvik and John Roe", "Outlet / Agency"): a byline without "By"."""
    if not 2 <= u.words <= 12 or u.ends_sentence or _DIGIT.search(u.text):
        return False
    caps = 0
    for w in u.text.split():
        w = w.strip(_NAME_PUNCT)
        if not w:
            continue
        if w[:1].isupper():
            caps += 1
        elif w.lower() not in _NAME_LINKS:
            return False
    return caps >= 2


def _menu_label(page: _Page, j: int) -> bool:
    """A genre word ("Opinion", "Analysis") among menu items: a short line next to it in the same
    block that is neither a label nor a byline/date."""
    units, kinds, cues = page.units, page.kinds, page.cues
    u = units[j]
    if _is_dateline(u, cues):
        return False
    for k in (j - 1, j + 1):
        if 0 <= k < len(units) and units[k].group == u.group:
            v = units[k]
            if kinds[k] in (SHORT, UI) and v.words <= 4 and not _is_meta(v, cues):
                return True
    return False


def _mark_heads(page: _Page) -> None:
    """A headline classed as prose (a long one, on a page without blank lines or indentation) is
    still a headline when byline/date lines follow it: it must not open the article region."""
    units, kinds, cues = page.units, page.kinds, page.cues
    for i, u in enumerate(units):
        if kinds[i] != SHORT or not _is_dateline(u, cues):
            continue
        j, steps = i - 1, 0
        while j >= 0 and steps < 3 and (kinds[j] == UI or _is_dateline(units[j], cues) or _is_name_line(units[j])):
            j -= 1
            steps += 1
        if j < 0 or kinds[j] != PROSE:
            continue
        h = units[j]
        if not h.bullet and h.words <= 35 and (not h.ends_sentence or h.text.endswith(_ASK)):
            kinds[j] = SHORT


def _headline_score(u: Unit, kind: str) -> float:
    # A headline may be printed twice (the page title and the heading): that is no reason to skip it.
    if kind == UI and u.repeat:
        kind = SHORT
    if kind not in (SHORT, PROSE) or u.words < 3 or u.words > 35 or u.bullet or (u.dup and kind != SHORT):
        return -99.0
    s = 0.0
    if u.heading:
        s += 1.0 + (0.5 if u.heading == 1 else 0.0)
    if not u.ends_sentence or u.text.endswith(_ASK):
        s += 1.0
    if 5 <= u.words <= 22:
        s += 0.5
    if u.stop_ratio > 0.4:
        s -= 0.5
    return s


def _find_title(page: _Page, first: int) -> tuple[int, list[int]]:
    """The headline's unit index (or -1) and the meta lines around it, looking back from ``first``."""
    units, kinds, cues = page.units, page.kinds, page.cues
    lo = max(0, first - 40)
    meta = [j for j in range(lo, first) if _is_meta(units[j], cues) and not _menu_label(page, j)]
    dated = {j for j in range(lo, first) if _is_dateline(units[j], cues)}
    # A line of names next to a date line, under a headline-long line, is a byline without "By".
    for j in range(lo + 1, first):
        if (
            j not in dated
            and kinds[j] == SHORT
            and (j + 1 in dated or j - 1 in dated)
            and _is_name_line(units[j])
            and any(units[k].words >= 6 and k not in dated for k in range(max(lo, j - 3), j))
        ):
            meta.append(j)
    meta.sort()
    meta_set = set(meta)
    indents = sorted(units[j].indent for j in range(lo, first)) or [0]
    base_indent = indents[len(indents) // 2]
    best, best_j = -50.0, -1
    for j in range(lo, first):
        if j in meta_set:
            continue
        u = units[j]
        s = _headline_score(u, kinds[j])
        if s < -50:
            continue
        if any(m in meta_set for m in range(j + 1, min(first, j + 5))):
            s += 2.0
        elif any(m in meta_set for m in range(max(lo, j - 3), j)):
            s += 1.0
        if u.indent < base_indent:
            s += 0.5
        nxt = j + 1
        if nxt < first and nxt not in meta_set and units[nxt].words > u.words and _deck_like(units[nxt], kinds[nxt]):
            # A headline with its deck under it: the deck is no headline, although nearer the text.
            s += 1.0
        s -= 0.06 * (first - j)
        if s > best:
            best, best_j = s, j
    if best_j < 0:
        return -1, []
    # Meta lines: those between the headline and the article, and those right above the headline
    # (reference number, date, "Press Release"), up to the first line that is neither.
    near = [j for j in meta if best_j < j < first]
    j = best_j - 1
    above: list[int] = []
    while j >= lo and (j in meta_set or kinds[j] == UI) and best_j - j <= 6:
        if j in meta_set and not units[j].bullet:
            above.append(j)
        j -= 1
    return best_j, sorted(above) + near


def _heading_like(u: Unit) -> bool:
    """A short line that reads as a heading: a question or a phrase, not a finished sentence."""
    if u.heading:
        return True
    text = u.text.rstrip()
    if u.words > 12 or text.endswith(_GOES_ON):
        return False
    return not u.ends_sentence or text.endswith(_ASK)


def _deck_like(u: Unit, kind: str) -> bool:
    return (
        kind in (PROSE, SHORT)
        and u.words >= 8
        and not u.bullet
        and not u.dup
        and (kind == PROSE or u.stop_ratio >= 0.15)
    )


def _timed(u: Unit, cues: Cues) -> bool:
    """Whether the start of a paragraph places the news in time ("on Tuesday", "yesterday")."""
    toks = u.normed.split(" ", 40)[:40]
    if any(t in cues.time_words for t in toks):
        return True
    return any(" ".join(toks[k : k + 2]) in cues.time_words for k in range(len(toks) - 1))


def _deck_before_lede(page: _Page, title_j: int, body_idx: list[int], meta_idx: list[int]) -> bool:
    """A deck printed as the first paragraph under the byline, with nothing to set it apart (a
    copy-paste dump): it is followed by the real lede, which opens with a dateline, or which places
    the news in time when the deck does not."""
    units, kinds, cues = page.units, page.kinds, page.cues
    first = body_idx[0]
    if len(body_idx) < 3 or first - title_j > 6:
        return False
    if any(j not in meta_idx and kinds[j] not in (UI, CAPTION) for j in range(title_j + 1, first)):
        return False
    deck, lede = units[first], units[body_idx[1]]
    if kinds[first] != PROSE or kinds[body_idx[1]] != PROSE or not 8 <= deck.words <= 60:
        return False
    if deck.text[:1] in _OPENING_QUOTES or _heading_like(lede):
        return False
    if _DATELINE.match(lede.text) and not _DATELINE.match(deck.text):
        return True
    # A one-sentence opener is the usual news lede; a deck that does not place the news in time and
    # says two things before a lede that does is a summary.
    return _SENTENCE_BREAK.search(deck.text) is not None and not _timed(deck, cues) and _timed(lede, cues)


# ---------------------------------------------------------------- header and footer


def _header(page: _Page, end: int) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for j in range(end):
        u = page.units[j]
        if u.bullet or page.kinds[j] in (MARK, UI) or u.words > 14 or u.normed in seen:
            continue
        seen.add(u.normed)
        out.append(u.text)
    return out[:40]


def _footer(page: _Page, last: int) -> list[str]:
    units, kinds = page.units, page.kinds
    picked: list[int] = []
    # A signature right after the last paragraph ("Media Office of ...", "Press office").
    j = last + 1
    while j < len(units) and len(picked) < 3 and kinds[j] == SHORT and not units[j].bullet:
        picked.append(j)
        j += 1
    picked += [j for j in range(last + 1, len(units)) if kinds[j] == FOOTER]
    tail = [j for j in range(last + 1, len(units)) if not units[j].bullet and kinds[j] not in (MARK, UI)]
    picked += tail[-6:]
    seen: set[str] = set()
    out = []
    for j in sorted(set(picked)):
        if units[j].normed not in seen:
            seen.add(units[j].normed)
            out.append(units[j].text)
    return out


# ---------------------------------------------------------------- entry point


def _prepare(text: str) -> tuple[_Page | None, list[float]]:
    """Units of the page with their kinds, and each unit's score towards the article region."""
    cues = default_cues()
    units = build_units(text)
    kinds = [_classify(u, cues) for u in units]
    # Content-less lines (empty bullets, button and image placeholders, bare numbers) say nothing
    # about where the article is; dropping them keeps distances comparable across renderers.
    keep = [i for i, k in enumerate(kinds) if k != MARK]
    if not keep:
        return None, []
    page = _Page([units[i] for i in keep], [kinds[i] for i in keep], cues)
    _caption_pairs(page)
    _mark_heads(page)
    cue_kinds = list(page.kinds)
    _link_blocks(page)
    counts = Counter(u.normed for u in page.units)
    scores = [_score(u, k, counts[u.normed] > 1) for u, k in zip(page.units, page.kinds, strict=True)]
    for i, k in enumerate(page.kinds):
        if k == RELATED and cue_kinds[i] != RELATED and counts[page.units[i].normed] == 1:
            scores[i] = -ITEM_COST
    _head_bonus(page, scores)
    return page, scores


def parse_dump(text: str) -> PageParts:
    """Split a plain-text rendering of a web page into headline, body, captions, meta lines, header and
    footer."""
    page, scores = _prepare(text)
    if page is None:
        return PageParts()
    units, kinds, cues = page.units, page.kinds, page.cues
    s, e = _best_region(scores)
    if s < 0:
        return PageParts(header=_header(page, len(units)))
    body_idx = _clean_region(page, s, e)
    if not body_idx:
        return PageParts(header=_header(page, len(units)))
    body_idx, live = _cut_live_feed(page, body_idx)
    if not live:
        body_idx = _extend_list(page, body_idx)
    body_idx = _end_credit(page, body_idx)
    first = body_idx[0]
    title_j, meta_idx = _find_title(page, first)
    standfirst: str | None = None
    if title_j >= 0:
        between = [j for j in range(title_j + 1, first) if j not in meta_idx]
        deck = next((j for j in between if _deck_like(units[j], kinds[j])), None)
        if deck is not None:
            body_idx.insert(0, deck)
            standfirst = units[deck].text
        elif len(body_idx) > 1 and first - title_j <= 8:
            gap = range(first + 1, body_idx[1])
            if any(kinds[j] in (CAPTION, UI, MARK) or j in meta_idx or _is_meta(units[j], cues) for j in gap):
                standfirst = units[first].text
        if standfirst is None and _deck_before_lede(page, title_j, body_idx, meta_idx):
            standfirst = units[first].text
    body = [units[j].text for j in body_idx]
    subheadings = [
        units[j].text
        for pos, j in enumerate(body_idx[:-1])
        if (kinds[j] == SHORT or _heading_like(units[j])) and not (pos == 0 and standfirst) and not units[j].bullet
    ]
    head_end = title_j if title_j >= 0 else first
    # Captions: those of the article's pictures, from the headline to the last paragraph.
    last = max(body_idx)
    captions = [units[j].text for j in range(head_end, last + 1) if kinds[j] == CAPTION]
    return PageParts(
        title=units[title_j].text if title_j >= 0 else None,
        body=body,
        subheadings=subheadings,
        captions=captions,
        standfirst=standfirst,
        meta_lines=[units[j].text for j in meta_idx],
        header=_header(page, head_end),
        footer=_footer(page, last),
    )
