"""Which wire agencies an article credits as the source of its text, with the words that say so."""

from __future__ import annotations

import re
from dataclasses import dataclass

from storyprism import lexicons
from storyprism.models import AgencyCredit

_WORD = re.compile(r"[\w'’-]+|/")


@dataclass(frozen=True)
class AgencyTable:
    pattern: re.Pattern[str]
    canonical: dict[str, str]
    self_evident: frozenset[str]
    before: tuple[tuple[str, ...], ...]
    after: tuple[tuple[str, ...], ...]
    not_after: frozenset[str]


@lexicons.per_data
def agency_table() -> AgencyTable:
    data = lexicons.load("agencies")
    canonical: dict[str, str] = {}
    for entry in data["agency"]:
        for form in [*entry.get("names", []), *entry.get("acronyms", [])]:
            canonical[form] = entry["name"]
    # A full name of two words or more ("Agence France-Presse", "Meridian Press Agency") names the
    # agency unmistakably; an acronym or one-word name ("AP", "Reuters", "Petra") needs a credit cue.
    self_evident = frozenset(f for e in data["agency"] for f in e.get("names", []) if len(f.split()) >= 2)
    forms = sorted(canonical, key=len, reverse=True)
    # Case-sensitive on purpose: "AP", "Petra", "Sputnik" are credits only as written by newsrooms.
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\w-])")
    cues = data["cues"]
    return AgencyTable(
        pattern=pattern,
        canonical=canonical,
        self_evident=self_evident,
        before=tuple(sorted((tuple(c.split()) for c in cues["before"]), key=len, reverse=True)),
        after=tuple(sorted((tuple(c.split()) for c in cues["after"]), key=len, reverse=True)),
        not_after=frozenset(w.lower() for w in cues["not_after"]),
    )


def find_agencies(
    text: str, *, meta_lines: list[str] = (), byline: str | None = None, table: AgencyTable | None = None
) -> list[AgencyCredit]:
    """One credit per agency: the first place the article credits it (body spans index ``text``).

    In the body a name counts only where the text credits it (a cue such as "according to", "told",
    "reported", or a dateline "(AFP) -"), so "a Reuters photographer" or "AP Stylebook" do not. On the
    byline and the short source/date lines under the title any mention counts ("Source: AFP").
    Captions are never passed in: a photo credit is not a text source.
    """
    table = table or agency_table()
    found: dict[str, AgencyCredit] = {}
    if byline:
        for match in table.pattern.finditer(byline):
            if not _is_photo_credit(byline, match.end(), table):
                name = table.canonical[match.group()]
                found.setdefault(name, AgencyCredit(name, byline, "byline"))
    for line in meta_lines:
        for match in table.pattern.finditer(line):
            if not _is_photo_credit(line, match.end(), table):
                name = table.canonical[match.group()]
                found.setdefault(name, AgencyCredit(name, line.strip(), "meta_line"))
    for match in table.pattern.finditer(text):
        name = table.canonical[match.group()]
        if name in found and found[name].where == "body":
            continue
        span = _credit_span(text, match.start(), match.end(), table)
        if span is None:
            continue
        credit = AgencyCredit(name, text[span[0] : span[1]], "body", span[0], span[1])
        if name not in found:
            found[name] = credit
    return sorted(found.values(), key=lambda c: (c.where != "byline", c.where != "meta_line", c.start))


def _is_photo_credit(text: str, end: int, table: AgencyTable) -> bool:
    following = _WORD.findall(text[end : end + 24])
    return bool(following) and following[0].lower() in table.not_after


def _credit_span(text: str, start: int, end: int, table: AgencyTable) -> tuple[int, int] | None:
    """The span of cue + name when this mention credits the agency, else None."""
    if _is_photo_credit(text, end, table):
        return None
    if text[start:end] in table.self_evident:
        return start, end
    if text[start - 1 : start] == "(" and text[end : end + 1] == ")":
        return start - 1, end + 1  # dateline "(AFP) -" or "Agence France-Presse (AFP)"
    window = max(0, start - 40)
    before_words = list(re.finditer(r"[\w'’-]+", text[window:start]))
    before_tokens = [m.group().lower() for m in before_words]
    skip = 1 if before_tokens[-1:] == ["the"] else 0  # "told the Meridian Press Agency"
    tokens = tuple(before_tokens[: len(before_tokens) - skip])
    for cue in table.before:
        if len(tokens) >= len(cue) and tokens[-len(cue) :] == cue:
            return window + before_words[len(tokens) - len(cue)].start(), end
    after_words = list(re.finditer(r"[\w'’-]+", text[end : end + 40]))
    after_tokens = tuple(m.group().lower() for m in after_words)
    for cue in table.after:
        if after_tokens[: len(cue)] == cue and _adjacent(text, end, after_words):
            return start, end + after_words[len(cue) - 1].end()
    return None


def _adjacent(text: str, end: int, after_words: list[re.Match[str]]) -> bool:
    """The cue word follows the name with nothing but spaces or a comma between (no new sentence)."""
    return bool(after_words) and re.fullmatch(r"[\s,’']*", text[end : end + after_words[0].start()]) is not None
