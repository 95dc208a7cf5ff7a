"""Conflicting details: the same count or day reported differently, with each side's sentences.

Counts: a number next to a word of a counted category from ``data/compare.toml`` ("7 killed", "the death
toll rose to 11", "wounding 22") is one statement of that category, split by who is counted ("four
children" is not a count of everyone). Two articles of a story stating one category with different numbers
are a conflict, story-wide, since outlets rarely put a disputed toll in sentences that align. Days: two
aligned sentences that name different weekdays or dates for what they both report.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass

from storyprism import lexicons
from storyprism.cluster.features import STOPWORDS, normalise_number
from storyprism.compare.origins import SentenceOrigin
from storyprism.compare.units import NUMBER_WORDS, Unit
from storyprism.models import Conflict
from storyprism.times import MONTHS, WEEKDAYS

DAY_SIMILARITY = 0.25
"""Aligned sentences must be at least this similar for their days to disagree (a loosely aligned pair often
tells two events of one story: the sinking on Tuesday, the mourning from Wednesday)."""
WINDOW_BEFORE = 4
WINDOW_AFTER = 5
"""How far (in words) a category word may stand from its number: "killing seven people" (1 before), "the
death toll rose to 11" (3 before), "four children were among the dead" (4 after)."""

_TOKEN = re.compile(r"\d[\d,.]*\d|\d|[^\W\d_][\w'’\-]*|[,;:.()]")
_DATE = re.compile(
    rf"\b(\d{{1,2}})\s+({'|'.join(m.capitalize() for m in MONTHS)})\b|\b({'|'.join(m.capitalize() for m in MONTHS)})"
    r"\s+(\d{1,2})\b(?!,?\s*\d{3})"
)


@dataclass(frozen=True)
class CountTable:
    categories: dict[str, tuple[str, ...]]
    subgroups: frozenset[str]
    people: frozenset[str]
    not_counts: frozenset[str]


@lexicons.per_data
def count_table() -> CountTable:
    data = lexicons.load("compare")["conflicts"]
    return CountTable(
        {k: tuple(v) for k, v in data["counts"].items()},
        frozenset(data["subgroups"]["words"]),
        frozenset(data["people"]),
        frozenset(data["not_counts"]),
    )


@dataclass(frozen=True)
class Count:
    category: str
    subgroup: str
    value: str
    unit: Unit


def counts(unit: Unit, table: CountTable | None = None) -> list[Count]:
    """The counted statements of one sentence."""
    table = table or count_table()
    tokens = _TOKEN.findall(unit.ref.text)
    lows = [t.lower() for t in tokens]
    values = [_number(token, low) for token, low in zip(tokens, lows, strict=True)]
    numbers = [p for p, v in enumerate(values) if v is not None]
    out = []
    for p in numbers:
        value = values[p]
        assert value is not None
        nxt = p + 1
        while nxt + 1 < len(tokens) and nxt - p <= 2 and tokens[nxt][:1].isupper() and tokens[nxt + 1][:1].islower():
            nxt += 1  # "31 Qasiri citizens", "four Red Cross workers": who they are, then what they are
        following = lows[nxt] if nxt < len(lows) else ""
        if nxt + 1 < len(lows) and lows[nxt + 1] == "among":
            continue  # "17 citizens among the dead": a part of a count, not the count
        if following in table.not_counts or (following[:1].isalpha() and following.capitalize() in _CAPITAL_MONTHS):
            continue
        partitive = following == "of" or (p > 0 and lows[p - 1] in ("including", "them", "whom"))
        if following == "of":
            # "two of them children" counts children among a total; "14 of the wounded" is a part, not a count
            rest = lows[p + 2 : p + 4]
            if len(rest) < 2 or rest[0] not in ("them", "whom") or rest[1] not in table.subgroups:
                continue
            following = rest[1]
        subgroup = following if following in table.subgroups else ""
        if (
            following[:1].isalpha()
            and not subgroup
            and following not in table.people
            and following not in STOPWORDS
            and _category(following, table) is None
        ):
            continue  # "four rockets", "155mm shells": a count of something else
        category = _nearest_category(lows, p, table, numbers, across_comma=partitive)
        if category:
            out.append(Count(category, subgroup, value, unit))
    return out


_CAPITAL_MONTHS = frozenset(m.capitalize() for m in MONTHS)
_CLAUSE_JOINS = frozenset({"and", "but", "while", "whereas"})


def _number(token: str, low: str) -> str | None:
    if token[0].isdigit():
        if re.fullmatch(r"(19|20)\d\d", token):
            return None  # a year
        return normalise_number(token) or (token if token.isdigit() else None)
    if "-" in low:  # "twenty-two", "ninety-eight", "thirty-one" ("one" alone is too often no count)
        parts = [NUMBER_WORDS.get(w) or ("1" if w == "one" else None) for w in low.split("-")]
        if len(parts) == 2 and all(p and p.isdigit() for p in parts):
            return str(int(parts[0]) + int(parts[1]))  # type: ignore[arg-type]
        return None
    value = NUMBER_WORDS.get(low)
    return value if value and value.isdigit() else None


def _category(word: str, table: CountTable) -> str | None:
    for name, stems in table.categories.items():
        if any(word.startswith(s) and len(word) - len(s) <= 3 for s in stems):
            return name
    return None


def _nearest_category(
    lows: list[str], p: int, table: CountTable, numbers: list[int], *, across_comma: bool = False
) -> str | None:
    """The category word nearest to the number at ``p``, unless it stands right next to another number
    ("killing seven people and wounding twenty-two": "wounding" is twenty-two's). Looking ahead, an
    appositive between commas does not count ("Eleven citizens, among them four children, were martyred")."""
    best: tuple[tuple[int, bool], str] | None = None
    before = WINDOW_BEFORE + (3 if across_comma else 0)
    for q in range(max(0, p - before), min(len(lows), p + WINDOW_AFTER + 8)):
        if q == p or not lows[q][:1].isalpha():
            continue
        if not across_comma and any(abs(q - other) == 1 < abs(q - p) for other in numbers):
            continue
        between = lows[min(p, q) + 1 : max(p, q)]
        if any(t in (";", ".", "(", ")") for t in between) or (q < p and "," in between and not across_comma):
            continue
        if q < p and any(t in _CLAUSE_JOINS for t in between):
            continue  # "98 were rescued and 41 are still missing": 41 starts a clause of its own
        if q > p and between.count(",") >= 2:
            first = between.index(",")
            last = len(between) - 1 - between[::-1].index(",")
            between = between[:first] + between[last + 1 :]
        distance = len(between) + 1
        if distance > (before if q < p else WINDOW_AFTER):
            continue
        category = _category(lows[q], table)
        rank = (distance, q < p)  # on a tie the word after wins: "23 people died and 41 were missing"
        if category and (best is None or rank < best[0]):
            best = (rank, category)
    return best[1] if best else None


def find_conflicts(
    units: Sequence[Unit],
    groups: Sequence[Sequence[int]],
    group_ids: Mapping[int, str],
    per_article: Mapping[str, Mapping[int, SentenceOrigin]],
    sims: Mapping[tuple[int, int], tuple[float, int, float]],
) -> list[Conflict]:
    """Count conflicts across the story and day conflicts inside aligned groups; ``group_ids`` maps a unit
    index to the id of the claim group it is in (when that group is reported), ``sims`` holds the alignment's
    pair similarities."""
    table = count_table()
    by_detail: dict[tuple[str, str], list[tuple[int, Count]]] = defaultdict(list)
    for i, unit in enumerate(units):
        for count in counts(unit, table):
            by_detail[count.category, count.subgroup].append((i, count))
    out = []
    for (category, subgroup), found in sorted(by_detail.items()):
        values = {c.value for _, c in found}
        articles_by_value = {v: {c.unit.article for _, c in found if c.value == v} for v in values}
        if len(values) < 2 or len(set().union(*articles_by_value.values())) < 2:
            continue
        what = f"{category} ({subgroup})" if subgroup else category
        groups_of = {group_ids.get(i) for i, _ in found}
        claim = next(iter(groups_of)) if len(groups_of) == 1 else None
        sides = [
            _side(v, [c.unit for _, c in found if c.value == v], per_article)
            for v in sorted(values, key=lambda v: (float(v) if _is_float(v) else 0.0, v))
        ]
        out.append(Conflict("count", what, sides, claim))
    index = {id(u): i for i, u in enumerate(units)}

    def similar(u: Unit, v: Unit) -> float:
        i, j = sorted((index[id(u)], index[id(v)]))
        return sims.get((i, j), (0.0, 0, 0.0))[0]

    for group in groups:
        out.extend(_day_conflicts([units[i] for i in group], group_ids.get(group[0]), per_article, similar))
    return out


def _is_float(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _side(value: str, members: list[Unit], per_article: Mapping[str, Mapping[int, SentenceOrigin]]) -> dict:
    attributed = []
    for u in members:
        origin = per_article.get(u.article, {}).get(u.sentence)
        if origin is not None and origin.key and origin.name not in attributed:
            attributed.append(origin.name)
    return {
        "value": value,
        "articles": list(dict.fromkeys(u.article for u in members)),
        "outlets": list(dict.fromkeys(u.outlet for u in members)),
        "support": [asdict(u.ref) for u in members],
        "attributed_to": attributed,
    }


_DATELINE = re.compile(r"^[A-Z][A-Z .'’-]+,[^–—()]{0,40}\([A-Za-z]{2,12}\)\s*[–—-]\s*")
"""'PORT ALDANE, Valdoria, June 3 (NNS) – ': the place and day of filing, not of the event."""


def _days(text: str) -> frozenset[str]:
    text = _DATELINE.sub("", text)
    low = text.lower()
    found = {d for d in WEEKDAYS if re.search(rf"\b{d}\b", low)}
    for m in _DATE.finditer(text):
        day, month = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        found.add(f"{int(day)} {month}")
    return frozenset(found)


def _day_conflicts(
    members: list[Unit],
    claim: str | None,
    per_article: Mapping[str, Mapping[int, SentenceOrigin]],
    similar: Callable[[Unit, Unit], float],
) -> list[Conflict]:
    """Days that disagree between aligned sentences close enough (DAY_SIMILARITY) to report one event:
    a loose alignment ("mourning from Wednesday" beside "sank early on Tuesday") is no disagreement."""
    stated = [(u, _days(u.ref.text)) for u in members]
    stated = [(u, d) for u, d in stated if d]
    disputed: set[int] = set()
    for i, (u, d) in enumerate(stated):
        for j, (v, e) in enumerate(stated[:i]):
            if u.article != v.article and not (d & e) and similar(u, v) >= DAY_SIMILARITY:
                disputed.update((i, j))  # any overlap ("Thursday night ... on Friday" vs "on Friday") agrees
    if not disputed:
        return []
    kept = [stated[i] for i in sorted(disputed)]
    distinct = sorted({d for _, d in kept}, key=sorted)
    sides = [_side(", ".join(sorted(d)), [u for u, x in kept if x == d], per_article) for d in distinct]
    return [Conflict("date", "day of the event", sides, claim)]
