"""Find and resolve publication dates, in whatever form a newsroom writes them.

Two steps, kept apart so each can be tested alone:

* :func:`find_dates` reads one piece of text (a line, a metadata value, a URL, a first paragraph) and
  returns every date in it as a :class:`~storyprism.models.FoundDate` labelled with where it was found.
  Candidates are found with our own compiled regexes (dateparser's search over long text is slow and
  finds junk); dateparser only contributes its month names in other languages and parses short
  metadata values that no regex understood.
* :func:`resolve_published` weighs everything found on a page and decides the publication date, with a
  method, a confidence and notes that explain the decision (agreement, mismatch, ambiguity).

Gregorian values are ISO 8601 (``2025-07-12T18:30``, ``2024-03-01T15:43-05:00``, ``2025-07-13``).
Hijri dates are converted with the Umm al-Qura calendar (hijridate) and carry ``calendar="hijri"``;
their ``value`` is the Gregorian equivalent so every value is comparable. A date written without a year
("ACCRA, March 4 (Reuters) -") and no reference to take the year from is kept as ``--03-04`` (ISO 8601's
month-day form) so :func:`resolve_published` can still place it later.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from pathlib import Path

import hijridate

from storyprism import lexicons
from storyprism.models import FoundDate
from storyprism.times import MONTHS, WEEKDAYS

__all__ = [
    "Published",
    "find_dates",
    "hijri_to_gregorian",
    "load_hijri_months",
    "resolve_published",
]

# --------------------------------------------------------------------------------------------------
# Text normalisation: a 1:1 character map, so spans found in the normalised text are spans of the
# original (FoundDate.text must be the text as written).
# --------------------------------------------------------------------------------------------------

_FOLD_MAP: dict[int, str] = {
    **{0x0660 + i: str(i) for i in range(10)},  # Arabic-Indic digits
    **{0x06F0 + i: str(i) for i in range(10)},  # Eastern Arabic / Persian digits
    **{ord(c): "'" for c in "’‘ʿʾʼ`´′"},  # apostrophe and ayn/hamza marks in transliterations
    **{ord(c): "ا" for c in "أإآٱ"},  # alef forms: writers are inconsistent about hamza
    ord("ة"): "ه",
    ord("ى"): "ي",
    ord("،"): ",",
    ord("−"): "-",
    **{ord(c): " " for c in "\u00a0\u202f\u2009\u200e\u200f\u061c"},  # odd spaces, direction marks
}


def _fold(text: str) -> str:
    return text.translate(_FOLD_MAP)


_LETTER = r"[^\W\d_]"
_NOT_LETTER_BEFORE = rf"(?<!{_LETTER})"
_NOT_LETTER_AFTER = rf"(?!{_LETTER})"

# --------------------------------------------------------------------------------------------------
# Gregorian month and weekday names (the English ones are storyprism.times.MONTHS / WEEKDAYS)
# --------------------------------------------------------------------------------------------------

# Arabic names of Gregorian months: Egyptian/Gulf, Levantine/Iraqi and Maghrebi sets (folded spelling).
_AR_MONTHS: dict[str, int] = {
    **{
        _fold(n): i
        for i, n in enumerate(
            [
                "يناير",
                "فبراير",
                "مارس",
                "أبريل",
                "مايو",
                "يونيو",
                "يوليو",
                "أغسطس",
                "سبتمبر",
                "أكتوبر",
                "نوفمبر",
                "ديسمبر",
            ],
            1,
        )
    },
    **{
        _fold(n): i
        for i, n in enumerate(
            [
                "جانفي",
                "فيفري",
                "مارس",
                "أفريل",
                "ماي",
                "جوان",
                "جويلية",
                "أوت",
                "سبتمبر",
                "أكتوبر",
                "نوفمبر",
                "ديسمبر",
            ],
            1,
        )
    },
    _fold("يونيه"): 6,
    _fold("يوليه"): 7,
    _fold("ابريل"): 4,
    _fold("اغسطس"): 8,
    _fold("كانون الثاني"): 1,
    _fold("شباط"): 2,
    _fold("آذار"): 3,
    _fold("نيسان"): 4,
    _fold("أيار"): 5,
    _fold("حزيران"): 6,
    _fold("تموز"): 7,
    _fold("آب"): 8,
    _fold("أيلول"): 9,
    _fold("تشرين الأول"): 10,
    _fold("تشرين الثاني"): 11,
    _fold("كانون الأول"): 12,
}
_AR_WEEKDAYS: dict[str, int] = {
    _fold(n): i for i, n in enumerate(["الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"])
} | {_fold("الاثنين"): 0}


def _month_key(name: str) -> str:
    """Lookup key for a month/weekday name as matched: folded, lower case, letters only."""
    return "".join(ch for ch in _fold(name).lower() if ch.isalpha())


def _en_month_table() -> dict[str, int]:
    table: dict[str, int] = {}
    for i, name in enumerate(MONTHS, 1):
        table[name] = i
        table[name[:3]] = i
    table["sept"] = 9
    return table


_GREG_MONTHS: dict[str, int] = _en_month_table() | {_month_key(k): v for k, v in _AR_MONTHS.items()}
_WEEKDAYS: dict[str, int] = (
    {n: i for i, n in enumerate(WEEKDAYS)}
    | {n[:3]: i for i, n in enumerate(WEEKDAYS)}
    | {"tues": 1, "thur": 3, "thurs": 3}
    | {_month_key(k): v for k, v in _AR_WEEKDAYS.items()}
)


def _alternation(words: Iterable[str]) -> str:
    """Regex alternation, longest first (so "Sept" beats "Sep"), spaces matching any run of space."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


def _cased(words: Iterable[str]) -> list[str]:
    # English month/weekday names must be capitalised or upper case: "may 5" in prose is not a date.
    return [f for w in words for f in (w.capitalize(), w.upper())]


_EN_MONTH_ALT = _alternation(_cased(k for k in _GREG_MONTHS if k.isascii()))
_AR_MONTH_ALT = _alternation(_AR_MONTHS)
# Arabic pages often print the Levantine and the Egyptian name together ("آذار/مارس"); the second is
# only a gloss of the first.
_MONTH = rf"(?P<mon>{_EN_MONTH_ALT}|{_AR_MONTH_ALT})(?:\s*/\s*(?:{_AR_MONTH_ALT}))?{_NOT_LETTER_AFTER}\.?"
_WEEKDAY = (
    rf"{_NOT_LETTER_BEFORE}(?:{_alternation(['يوم'])}\s+)?"
    rf"(?P<wd>{_alternation(_cased(k for k in _WEEKDAYS if k.isascii()))}|{_alternation(_AR_WEEKDAYS)})"
    rf"{_NOT_LETTER_AFTER}\.?"
)
_ORD = r"(?:st|nd|rd|th|er|e|º)?"

# --------------------------------------------------------------------------------------------------
# Times and time zones
# --------------------------------------------------------------------------------------------------

_TZ_ABBR: dict[str, str] = {
    "UTC": "+00:00",
    "GMT": "+00:00",
    "UT": "+00:00",
    "WET": "+00:00",
    "WEST": "+01:00",
    "BST": "+01:00",
    "CET": "+01:00",
    "CEST": "+02:00",
    "EET": "+02:00",
    "EEST": "+03:00",
    "MSK": "+03:00",
    "TRT": "+03:00",
    "EST": "-05:00",
    "EDT": "-04:00",
    "CST": "-06:00",
    "CDT": "-05:00",
    "MST": "-07:00",
    "MDT": "-06:00",
    "PST": "-08:00",
    "PDT": "-07:00",
    "AKST": "-09:00",
    "AKDT": "-08:00",
    "HST": "-10:00",
    "JST": "+09:00",
    "KST": "+09:00",
    "PKT": "+05:00",
    "AEST": "+10:00",
    "AEDT": "+11:00",
    "SGT": "+08:00",
    "HKT": "+08:00",
}  # IST and AST are left out on purpose: each names several zones.

_TIME = (
    r"(?:(?<!\d)|(?<=(?:19|20)\d\d))(?P<h>[01]?\d|2[0-3])(?P<tsep>[:.h])(?P<mi>[0-5]\d)(?::(?P<s>[0-5]\d))?"
    rf"(?:\s*(?P<ampm>[AaPp])\.?\s?[Mm]\.?{_NOT_LETTER_AFTER})?"
)
_TZ = (
    rf"(?P<tz>(?:UTC|GMT)(?:\s*[+-]\s*\d{{1,2}}(?::?\d{{2}})?)?{_NOT_LETTER_AFTER}"
    rf"|[+-]\d{{2}}:?\d{{2}}(?!\d)"
    rf"|(?:{'|'.join(sorted(_TZ_ABBR, key=len, reverse=True))}){_NOT_LETTER_AFTER})"
)

_LABELS_PUBLISHED = ["published", "first published", "posted", "date", "created", "نشر", "تاريخ النشر"]
_LABELS_UPDATED = ["updated", "last updated", "modified", "last modified", "اخر تحديث", "تحديث", "محدث"]
_LABEL = rf"{_NOT_LETTER_BEFORE}(?P<label>(?i:{_alternation(_LABELS_PUBLISHED + _LABELS_UPDATED)}))"

# What may stand just before a date: "Updated 10:02 AM GMT+1, Sat " / "Published 3:43 PM EST, " /
# "Sunday, ". Matched against a short window ending where the date starts.
_LEFT_RE = re.compile(
    rf"(?:{_LABEL}\s*(?:on|at|في)?\s*:?\s*)?"
    rf"(?:{_TIME}(?:\s*\(?{_TZ}\)?)?\s*[,|·–—-]?\s*(?:on\s+)?)?"
    rf"(?:{_WEEKDAY}\s*,?\s*(?:the\s+)?)?\Z"
)
# What may follow a date: an era marker ("CE", "م") and/or a time with its zone ("18:30", "14.00 GMT").
_RIGHT_RE = re.compile(
    rf"(?P<era>\s*(?:C\.?E\.?|A\.?D\.?|G|م){_NOT_LETTER_AFTER})?"
    rf"(?:\s*(?:,|at|@|\||-|–|—|T|الساعة)?\s*{_TIME}(?:\s*\(?{_TZ}\)?)?)?"
)
_LEFT_WINDOW = 60

# --------------------------------------------------------------------------------------------------
# Core date patterns (applied to folded text)
# --------------------------------------------------------------------------------------------------

# Text renderers glue adjacent inline elements: "Feb 28, 2024" + "7:00 AM" prints as "Feb 28 20247:00 AM".
# A year may therefore run straight into a time, and a time may start right after a year.
_YEAR = r"(?P<y>\d{4})(?:(?!\d)|(?=\d{1,2}[:.]\d\d(?!\d)))"
_ISO_RE = re.compile(
    r"(?<![\d.])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"(?:[T ](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?(?!\d)"
)
_NUM_DMY_RE = re.compile(r"(?<![\d./-])(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})(?!\d)")
_NUM_YMD_RE = re.compile(r"(?<![\d./-])(?P<y>\d{4})(?P<sep>[./-])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)")
_TEXT_DMY_RE = re.compile(rf"(?<!\d)(?P<d>\d{{1,2}}){_ORD}(?:\s+of)?[\s-]+{_MONTH}(?:,?[\s-]+{_YEAR})?(?!\d)")
_TEXT_MDY_RE = re.compile(rf"{_NOT_LETTER_BEFORE}{_MONTH}\s*(?P<d>\d{{1,2}}){_ORD}(?!\d)(?:,?\s+{_YEAR})?")
_CJK_RE = re.compile(r"(?P<y>\d{4})\s*[年년]\s*(?P<m>\d{1,2})\s*[月월]\s*(?P<d>\d{1,2})\s*[日일]")
# Other languages: a word between a day and a year, looked up in dateparser's month names.
_FOREIGN_DMY_RE = re.compile(
    rf"(?<!\d)(?P<d>\d{{1,2}})\.?\s+(?:de\s+)?(?P<word>{_LETTER}{{3,12}})\.?,?\s+(?:de\s+)?{_YEAR}"
)
_FOREIGN_MDY_RE = re.compile(rf"{_NOT_LETTER_BEFORE}(?P<word>{_LETTER}{{3,12}})\.?\s+(?P<d>\d{{1,2}}),?\s+{_YEAR}")
_URL_RE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<sep>[/_.-]?)(?P<m>0[1-9]|1[0-2])(?P=sep)(?P<d>0[1-9]|[12]\d|3[01])(?!\d)"
)
_HIJRI_SUFFIX = rf"(?P<era>\s*(?:A\.?H\.?|H\.?|Hijri|هـ|ه|هجري|هجريه){_NOT_LETTER_AFTER})"
_HIJRI_NUM_RE = re.compile(
    rf"(?<![\d./-])(?:(?P<d>\d{{1,2}})(?P<sep>[./-])(?P<m>\d{{1,2}})(?P=sep)(?P<y>1[3-5]\d\d)"
    rf"|(?P<y2>1[3-5]\d\d)(?P<sep2>[./-])(?P<m2>\d{{1,2}})(?P=sep2)(?P<d2>\d{{1,2}})){_HIJRI_SUFFIX}"
)
_RELATIVE_RE = re.compile(
    r"(?i:(?<![^\W\d_])(?:(?P<n>\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(?P<unit>min(?:ute)?s?|hours?|hrs?|days?|weeks?)\s+ago|(?P<word>yesterday|today))(?![^\W\d_]))"
    r"|منذ\s+(?P<arn>\d{1,3})\s+(?P<arunit>دقيقه|دقائق|ساعه|ساعات|يوم|ايام|اسبوع|اسابيع)"
)
_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_HAS_DIGIT = re.compile(r"\d")
_HAS_HIJRI_YEAR = re.compile(r"(?<!\d)1[3-5]\d\d(?!\d)")
_HIJRI_WINDOW = 48  # characters before a Hijri year where its day and month can stand
_RELATIVE_HINT = re.compile(r"(?i:ago|yesterday|today)|منذ")

# --------------------------------------------------------------------------------------------------
# Hijri months (data file) and conversion
# --------------------------------------------------------------------------------------------------

HIJRI_MONTH_NAMES = (
    "Muharram",
    "Safar",
    "Rabi' al-Awwal",
    "Rabi' al-Thani",
    "Jumada al-Ula",
    "Jumada al-Akhirah",
    "Rajab",
    "Sha'ban",
    "Ramadan",
    "Shawwal",
    "Dhu al-Qa'dah",
    "Dhu al-Hijjah",
)


@dataclass(frozen=True)
class _HijriTable:
    by_key: dict[str, int]
    dmy: re.Pattern[str]
    mdy: re.Pattern[str]


def _month_entries(path: Path | None) -> list[tuple[int, str]]:
    """(month number, spelling) pairs from the built-in data file, or from ``path``."""
    data = lexicons.load("hijri_months") if path is None else tomllib.loads(Path(path).read_text(encoding="utf-8"))
    return [
        (int(month["number"]), name) for month in data["month"] for name in [month["name"], *month.get("variants", [])]
    ]


def load_hijri_months(path: Path | None = None) -> dict[str, int]:
    """Month-name variants from ``data/hijri_months.toml`` (or ``path``): lookup key -> month number."""
    table: dict[str, int] = {}
    for number, name in _month_entries(path):
        table[_month_key(name)] = number
        table[_month_key(f"al {name}")] = number  # "18 al-Muharram" is common in translations
    return table


def _variant_pattern(name: str) -> str:
    """A forgiving regex for one spelling: apostrophes optional anywhere, spaces/hyphens optional."""
    letters = [ch for ch in _fold(name) if ch not in " -'"]
    return r"[\s'-]*".join(re.escape(ch) for ch in letters)


@lexicons.per_data
def _hijri_table() -> _HijriTable:
    """Built once per process from ``data/hijri_months.toml`` and the user's additions to it."""
    entries = _month_entries(None)
    by_key = load_hijri_months()
    # Longest first, so "Rabi II" is tried before "Rabi I" and "Jumada al-Akhirah" before "Jumada".
    names = sorted({name for _, name in entries}, key=len, reverse=True)
    alt = "|".join(_variant_pattern(name) for name in names)
    month = rf"(?P<mon>(?i:(?:al[\s-]*)?(?:{alt}))){_NOT_LETTER_AFTER}"
    year = rf"(?P<y>1[3-5]\d\d)(?!\d){_HIJRI_SUFFIX}?"
    dmy = re.compile(rf"(?<!\d)(?P<d>\d{{1,2}}){_ORD}(?:\s+of)?[\s-]+{month}[\s,-]*{year}")
    mdy = re.compile(rf"{_NOT_LETTER_BEFORE}{month}\s+(?P<d>\d{{1,2}}){_ORD},?\s+{year}")
    return _HijriTable(by_key, dmy, mdy)


def hijri_to_gregorian(day: int, month: int, year: int) -> date:
    """Convert a Hijri date with the Umm al-Qura calendar.

    Day 30 of a month that Umm al-Qura counts as 29 days is read as the day after the 29th: a local
    (moon-sighting) calendar that gave the month 30 days is one day behind Umm al-Qura.
    Raises ValueError outside Umm al-Qura's range (1343-1500 AH) or for impossible dates.
    """
    try:
        return hijridate.Hijri(year, month, day).to_gregorian()
    except ValueError:
        if day != 30:
            raise
        return hijridate.Hijri(year, month, 29).to_gregorian() + timedelta(days=1)


# --------------------------------------------------------------------------------------------------
# Month names in other languages, from dateparser's locale data (loaded once, on first need)
# --------------------------------------------------------------------------------------------------

_FOREIGN_LANGUAGES = [
    "fr",
    "es",
    "de",
    "it",
    "pt",
    "nl",
    "tr",
    "ru",
    "uk",
    "pl",
    "id",
    "ms",
    "ro",
    "sv",
    "da",
    "nb",
    "cs",
    "hu",
    "el",
    "he",
    "fa",
    "ur",
]


@cache
def _foreign_months() -> dict[str, int]:
    from dateparser.languages.loader import LocaleDataLoader

    seen: dict[str, set[int]] = {}
    for locale in LocaleDataLoader().get_locales(languages=_FOREIGN_LANGUAGES):
        for number, name in enumerate(MONTHS, 1):
            for word in locale.info.get(name, []):
                key = _month_key(word)
                if len(key) >= 3:
                    seen.setdefault(key, set()).add(number)
    # A word that names different months in different languages tells us nothing, and English/Arabic
    # names are matched by their own patterns (English ones only when capitalised: "may 5").
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1 and k not in _GREG_MONTHS}


@lru_cache(maxsize=4096)
def _dateparser_value(text: str) -> str | None:
    """Last resort for a short metadata value none of our patterns understood (e.g. "1709314920")."""
    import dateparser

    parsed = dateparser.parse(
        text,
        settings={"STRICT_PARSING": True, "DATE_ORDER": "DMY", "RETURN_AS_TIMEZONE_AWARE": False},
    )
    if parsed is None:
        return None
    has_time = (parsed.hour, parsed.minute, parsed.second) != (0, 0, 0)
    time = f"{parsed.hour:02d}:{parsed.minute:02d}" if has_time else None
    return _iso(parsed.year, parsed.month, parsed.day, time)


# --------------------------------------------------------------------------------------------------
# Scanning
# --------------------------------------------------------------------------------------------------


@dataclass
class _Hit:
    """One date found in folded text, with what resolve_published needs to weigh it."""

    start: int
    end: int
    kind: str
    year: int | None
    month: int
    day: int
    calendar: str = "gregorian"
    time: str | None = None
    tz: str | None = None
    weekday: int | None = None
    ambiguous: bool = False
    alt: date | None = None
    """The other day/month reading of an ambiguous numeric date."""
    hijri: tuple[int, int, int] | None = None
    """(year, month, day) as written, for a Hijri date."""
    label: str | None = None
    year_inferred: bool = False
    relative: bool = False

    @property
    def value(self) -> str:
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return _iso(self.year, self.month, self.day, self.time, self.tz)


def _iso(y: int, m: int, d: int, time: str | None = None, tz: str | None = None) -> str:
    value = f"{y:04d}-{m:02d}-{d:02d}"
    if time:
        value += f"T{time}{tz or ''}"
    return value


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _tz_offset(raw: str | None) -> str | None:
    """ "GMT+1" -> "+01:00", "EST" -> "-05:00", "+0300" -> "+03:00", "Z" -> "+00:00"."""
    if not raw:
        return None
    raw = raw.replace(" ", "")
    if raw == "Z":
        return "+00:00"
    if raw in _TZ_ABBR:
        return _TZ_ABBR[raw]
    m = re.fullmatch(r"(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?", raw)
    if not m:
        return None
    return f"{m[1]}{int(m[2]):02d}:{m[3] or '00'}"


def _time_from(m: re.Match[str]) -> tuple[str | None, str | None]:
    """("HH:MM[:SS]", offset) from a match holding the _TIME (and maybe _TZ) groups."""
    if m.group("h") is None:
        return None, None
    hour, minute = int(m["h"]), int(m["mi"])
    ampm = (m.groupdict().get("ampm") or "").lower()
    if ampm:
        if hour == 0 or hour > 12:
            return None, None
        hour = hour % 12 + (12 if ampm == "p" else 0)
    elif m.groupdict().get("tsep") == "." and not m.groupdict().get("tz"):
        # "14.00" alone could be a number; accept it only with a zone ("14.00 GMT") or am/pm.
        return None, None
    time = f"{hour:02d}:{minute:02d}" + (f":{m['s']}" if m.groupdict().get("s") else "")
    return time, _tz_offset(m.groupdict().get("tz"))


def _core_matches(norm: str, where: str) -> list[tuple[int, int, str, re.Match[str]]]:
    """All core date matches as (start, end, kind, match), before overlap removal."""
    patterns: list[tuple[str, re.Pattern[str]]] = [
        ("iso", _ISO_RE),
        ("hnum", _HIJRI_NUM_RE),
        ("num", _NUM_DMY_RE),
        ("ymd", _NUM_YMD_RE),
        ("dmy", _TEXT_DMY_RE),
        ("mdy", _TEXT_MDY_RE),
        ("cjk", _CJK_RE),
    ]
    if where == "url":
        patterns.append(("url", _URL_RE))
    patterns += [("fdmy", _FOREIGN_DMY_RE), ("fmdy", _FOREIGN_MDY_RE)]
    found = [(m.start(), m.end(), kind, m) for kind, pattern in patterns for m in pattern.finditer(norm)]
    return _hijri_matches(norm) + found


def _hijri_matches(norm: str) -> list[tuple[int, int, str, re.Match[str]]]:
    """Hijri month-name dates, searched only around a 13xx-15xx year: the month alternation is long,
    and running it over every position of a long text is the slowest part of a scan."""
    years = list(_HAS_HIJRI_YEAR.finditer(norm))
    if not years:
        return []
    table = _hijri_table()
    seen: dict[tuple[int, int], tuple[int, int, str, re.Match[str]]] = {}
    for year in years:
        lo, hi = max(0, year.start() - _HIJRI_WINDOW), min(len(norm), year.end() + 16)
        for kind, pattern in (("hdmy", table.dmy), ("hmdy", table.mdy)):
            for m in pattern.finditer(norm, lo, hi):
                seen.setdefault((m.start(), m.end()), (m.start(), m.end(), kind, m))
    return list(seen.values())


def _non_overlapping(hits: list[_Hit]) -> list[_Hit]:
    """Drop hits overlapping an earlier one; at the same start the longest wins, then pattern order
    (Hijri and ISO first, the generic foreign-word patterns last)."""
    kept: list[_Hit] = []
    for hit in sorted(enumerate(hits), key=lambda p: (p[1].start, -(p[1].end - p[1].start), p[0])):
        if not kept or hit[1].start >= kept[-1].end:
            kept.append(hit[1])
    return kept


def _hit_from_core(kind: str, m: re.Match[str]) -> _Hit | None:
    """Interpret one core match; None when the numbers make no date."""
    start, end = m.start(), m.end()
    if kind in ("iso", "ymd", "cjk", "url"):
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
        if not 1800 <= y <= 2199 or _valid(y, mo, d) is None:
            return None  # "1447/01/18" without "AH" is a Hijri (lunar or solar) date or a number
        hit = _Hit(start, end, kind, y, mo, d)
        if kind == "iso" and m["h"] is not None and int(m["h"]) < 24 and int(m["mi"]) < 60:
            hit.time = f"{m['h']}:{m['mi']}" + (f":{m['s']}" if m["s"] else "")
            hit.tz = _tz_offset(m["tz"])
        return hit
    if kind == "num":
        return _numeric_hit(m)
    if kind in ("dmy", "mdy"):
        mo = _GREG_MONTHS.get(_month_key(m["mon"]))
        return _text_hit(start, end, kind, m["y"], mo, int(m["d"]))
    if kind in ("fdmy", "fmdy"):
        mo = _foreign_months().get(_month_key(m["word"]))
        return _text_hit(start, end, kind, m["y"], mo, int(m["d"]))
    if kind in ("hdmy", "hmdy"):
        mo = _hijri_table().by_key.get(_month_key(m["mon"]))
        return _hijri_hit(start, end, kind, int(m["y"]), mo, int(m["d"]))
    if kind == "hnum":
        if m["y"]:
            return _hijri_hit(start, end, kind, int(m["y"]), int(m["m"]), int(m["d"]))
        return _hijri_hit(start, end, kind, int(m["y2"]), int(m["m2"]), int(m["d2"]))
    return None


def _text_hit(start: int, end: int, kind: str, year: str | None, month: int | None, day: int) -> _Hit | None:
    if month is None:
        return None
    if year is None:  # "March 4": placed later against a reference
        return _Hit(start, end, kind, None, month, day) if _valid(2000, month, day) else None
    y = int(year)
    if not 1800 <= y <= 2199 or _valid(y, month, day) is None:
        return None
    return _Hit(start, end, kind, y, month, day)


def _hijri_hit(start: int, end: int, kind: str, hy: int, hm: int | None, hd: int) -> _Hit | None:
    if hm is None or not 1 <= hm <= 12 or not 1 <= hd <= 30:
        return None
    try:
        g = hijri_to_gregorian(hd, hm, hy)
    except (ValueError, OverflowError):
        return None  # outside Umm al-Qura's range: not a date we can place
    return _Hit(start, end, kind, g.year, g.month, g.day, calendar="hijri", hijri=(hy, hm, hd))


def _numeric_hit(m: re.Match[str]) -> _Hit | None:
    """dd/mm/yyyy or mm/dd/yyyy. Day-first unless impossible; dotted dates are always day-first."""
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    if not 1800 <= y <= 2199:
        return None  # e.g. 18/01/1447 without "AH": could be lunar or solar Hijri, so no reading
    dmy, mdy = _valid(y, b, a), _valid(y, a, b)
    if dmy is None and mdy is None:
        return None
    first = dmy or mdy
    assert first is not None
    hit = _Hit(m.start(), m.end(), "num", first.year, first.month, first.day)
    if dmy and mdy and dmy != mdy and m["sep"] != ".":
        hit.ambiguous, hit.alt = True, mdy
    return hit


def _extend(hit: _Hit, norm: str, lo: int, hi: int) -> None:
    """Widen a hit over the label, time, zone and weekday written around it, within [lo, hi)."""
    window_start = max(lo, hit.start - _LEFT_WINDOW)
    left = _LEFT_RE.search(norm, window_start, hit.start)
    if left and left.start() < hit.start:
        hit.start = left.start()
        if left["wd"]:
            hit.weekday = _WEEKDAYS.get(_month_key(left["wd"]))
        if left["label"]:
            hit.label = left["label"].lower()
        if left["h"] is not None and hit.time is None and hit.calendar == "gregorian":
            hit.time, hit.tz = _time_from(left)
    right = _RIGHT_RE.match(norm, hit.end, hi)
    if right and hit.calendar == "gregorian":
        if right["era"]:
            hit.end = right.end("era")
        if hit.time is None and right["h"] is not None:
            time, tz = _time_from(right)
            if time is not None:
                hit.time, hit.tz, hit.end = time, tz, right.end()
    _apply_weekday(hit)


def _apply_weekday(hit: _Hit) -> None:
    """A written weekday that fits only one reading of an ambiguous date settles it."""
    if not (hit.ambiguous and hit.alt is not None and hit.weekday is not None and hit.year is not None):
        return
    first, other = date(hit.year, hit.month, hit.day), hit.alt
    fits_first, fits_other = first.weekday() == hit.weekday, other.weekday() == hit.weekday
    if fits_first == fits_other:
        return
    hit.ambiguous = False
    if fits_other:
        hit.year, hit.month, hit.day, hit.alt = other.year, other.month, other.day, first


def _place_year(month: int, day: int, reference: date) -> date | None:
    """The most recent month/day not after ``reference`` (Feb 29 looks back to a leap year)."""
    for year in range(reference.year, reference.year - 8, -1):
        candidate = _valid(year, month, day)
        if candidate is not None and candidate <= reference:
            return candidate
    return None


def _relative_hits(norm: str, reference: datetime) -> list[_Hit]:
    hits = []
    for m in _RELATIVE_RE.finditer(norm):
        word = (m["word"] or "").lower()
        unit = (m["unit"] or m["arunit"] or "").lower()
        count_text = (m["n"] or m["arn"] or "1").lower()
        count = _NUMBER_WORDS.get(count_text) or int(count_text)
        if word:
            delta, with_time = timedelta(days=1 if word == "yesterday" else 0), False
        elif unit.startswith(("min", "دق")):
            delta, with_time = timedelta(minutes=count), True
        elif unit.startswith(("h", "ساع")):
            delta, with_time = timedelta(hours=count), True
        elif unit.startswith(("w", "اسب")):
            delta, with_time = timedelta(weeks=count), False
        else:
            delta, with_time = timedelta(days=count), False
        when = reference - delta
        hit = _Hit(m.start(), m.end(), "rel", when.year, when.month, when.day, relative=True)
        if with_time:
            hit.time = f"{when.hour:02d}:{when.minute:02d}"
            offset = when.strftime("%z")
            hit.tz = f"{offset[:3]}:{offset[3:]}" if offset else None
        hits.append(hit)
    return hits


def _scan(text: str, where: str, reference: datetime | None = None) -> list[_Hit]:
    norm = _fold(text)
    has_digit = _HAS_DIGIT.search(norm) is not None
    if not has_digit and (reference is None or not _RELATIVE_HINT.search(norm)):
        return []  # the common case for body lines: nothing to do
    hits: list[_Hit] = []
    if has_digit:
        # Interpret first, then remove overlaps: a junk match ("15 people 2024") must not hide a date.
        core = [h for _, _, kind, m in _core_matches(norm, where) if (h := _hit_from_core(kind, m))]
        kept = _non_overlapping(core)
        for i, hit in enumerate(kept):
            lo = hits[-1].end if hits else 0
            hi = kept[i + 1].start if i + 1 < len(kept) else len(norm)
            _extend(hit, norm, lo, hi)
            hits.append(hit)
    if reference is not None:
        taken = [(h.start, h.end) for h in hits]
        hits += [r for r in _relative_hits(norm, reference) if not any(s < r.end and r.start < e for s, e in taken)]
        for hit in hits:
            if hit.year is None:
                placed = _place_year(hit.month, hit.day, reference.date())
                if placed is not None:
                    hit.year, hit.year_inferred = placed.year, True
        hits.sort(key=lambda h: h.start)
    return hits


def find_dates(text: str, where: str, *, reference: datetime | None = None) -> list[FoundDate]:
    """Every date in ``text`` (a line, a metadata value, a URL, a first paragraph), labelled ``where``
    (one of: metadata, input, meta_line, header, dateline, body, url, fetched).

    ``reference`` (the crawl date, or another date on the page) places dates written without a year
    ("March 4" -> the most recent March 4 not after it) and relative ones ("2 hours ago", "yesterday").
    Without it a yearless date is returned as ``--MM-DD`` and relative ones are skipped.
    Reference numbers such as "No: 1447 / 01" and a bare "1447 AH" are not dates and are not returned.
    """
    hits = _scan(text, where, reference)
    if not hits and where in ("metadata", "input", "fetched") and 0 < len(text.strip()) <= 64:
        value = _dateparser_value(text.strip())
        if value:
            return [FoundDate(text=text.strip(), value=value, calendar="gregorian", where=where)]
    return [
        FoundDate(text=text[h.start : h.end].strip(), value=h.value, calendar=h.calendar, where=where)  # type: ignore[arg-type]
        for h in hits
    ]


# --------------------------------------------------------------------------------------------------
# Resolving the publication date
# --------------------------------------------------------------------------------------------------

_TIER: dict[str, int] = {
    "input": 0,
    "metadata": 0,
    "meta_line": 1,
    "dateline": 2,
    "header": 3,
    "url": 4,
    "fetched": 5,
    "body": 6,
}
_BASE_CONFIDENCE: dict[str, float] = {
    "input": 0.9,
    "metadata": 0.9,
    "meta_line": 0.85,
    "dateline": 0.8,
    "header": 0.75,
    "url": 0.6,
    "fetched": 0.4,
    "body": 0.25,
}
_HEAD = 3  # tiers 0..3 are written by the publisher about this page


@dataclass(frozen=True)
class Published:
    value: str | None
    """ISO 8601: "2025-07-12T18:30" when a time is known, else "2025-07-13"."""
    method: str
    """How it was decided: "metadata", "meta_line", "hijri+gregorian", "dateline+reference", "url", ..."""
    confidence: float
    notes: list[str] = field(default_factory=list)


@dataclass
class _Info:
    """A FoundDate re-read for weighing: the parsed date and what the text around it said."""

    found: FoundDate
    index: int
    day: date | None
    value: str
    hit: _Hit | None

    @property
    def tier(self) -> int:
        return _TIER.get(self.found.where, _TIER["body"])

    @property
    def hijri(self) -> bool:
        return self.found.calendar == "hijri"

    @property
    def has_time(self) -> bool:
        return len(self.value) > 10 and not self.value.startswith("--")

    @property
    def ambiguous(self) -> bool:
        return bool(self.hit and self.hit.ambiguous)

    @property
    def is_update(self) -> bool:
        label = self.hit.label if self.hit else None
        return bool(label and _month_key(label) in {_month_key(w) for w in _LABELS_UPDATED})

    @property
    def dateline_order(self) -> int:
        """In a first paragraph only the first date is the dateline; the others are events."""
        return self.index if self.found.where == "dateline" else 0

    @property
    def placed(self) -> bool:
        """True when the year or the day came from a reference rather than the page."""
        from_reference = bool(self.hit and (self.hit.year_inferred or self.hit.relative))
        return from_reference or self.found.value.startswith("--")


def _read(found: FoundDate, index: int) -> _Info | None:
    """Re-scan a FoundDate's own (short) text to recover weekday, ambiguity, label and Hijri parts."""
    hits = _scan(found.text, found.where)
    if found.value.startswith("--"):
        day = None
    else:
        try:
            day = date.fromisoformat(found.value[:10])
        except ValueError:
            return None
    match = next((h for h in hits if h.year and day and date(h.year, h.month, h.day) == day), None)
    if match is None:
        # Re-read differently: a yearless date placed with a reference, or the other day/month reading.
        match = max(hits, key=lambda h: h.end - h.start, default=None)
        if match is not None and day is not None and match.year is None:
            match.year_inferred = True
        elif match is not None and match.alt is not None and match.alt == day:
            match = replace(match, ambiguous=False, alt=None)
    if match is None and _RELATIVE_HINT.search(_fold(found.text)):
        match = _Hit(0, len(found.text), "rel", None, 1, 1, relative=True)
    return _Info(found, index, day, found.value, match)


def _set_day(info: _Info, new: date) -> None:
    """Move an ambiguous date to its other reading, keeping any time written with it."""
    info.day = new
    info.value = new.isoformat() + info.value[10:]
    if info.hit is not None:
        info.hit.ambiguous = False


def _describe(info: _Info) -> str:
    if info.hit and info.hit.hijri:
        hy, hm, hd = info.hit.hijri
        return f"Hijri {hd} {HIJRI_MONTH_NAMES[hm - 1]} {hy} = {info.day} (Umm al-Qura)"
    return f"{info.found.where} '{info.found.text}'"


def _page_reference(infos: list[_Info], reference: datetime | None) -> date | None:
    """What a yearless date is placed against: the given reference, the fetch date, else the latest
    full date the publisher wrote about the page."""
    if reference is not None:
        return reference.date()
    # Dates in a dateline paragraph are mostly events, so they are not used as the page's reference.
    publisher = (_TIER["metadata"], _TIER["meta_line"], _TIER["header"], _TIER["url"])
    for tiers in ((_TIER["fetched"],), publisher, (_TIER["dateline"], _TIER["body"])):
        days = [i.day for i in infos if i.day and i.tier in tiers and not i.placed]
        if days:
            return max(days)
    return None


def _place_yearless(infos: list[_Info], ref: date | None, notes: list[str]) -> list[_Info]:
    kept = []
    for info in infos:
        if info.day is None:
            month, day = int(info.value[2:4]), int(info.value[5:7])
            placed = _place_year(month, day, ref) if ref else None
            if placed is None:
                notes.append(f"'{info.found.text}' has no year and nothing to take one from: ignored")
                continue
            info.day, info.value = placed, placed.isoformat()
        kept.append(info)
    return kept


def _disambiguate(infos: list[_Info], notes: list[str]) -> None:
    """Settle ambiguous dd/mm vs mm/dd dates with the page's own convention, else a nearby date."""
    orders = set()
    for info in infos:
        m = _NUM_DMY_RE.search(_fold(info.found.text))
        if m and m["sep"] != "." and not info.ambiguous and not info.hijri:
            a, b = int(m["a"]), int(m["b"])
            if a > 12 >= b:
                orders.add("dmy")
            elif b > 12 >= a:
                orders.add("mdy")
    for info in infos:
        if not info.ambiguous or info.hit is None or info.hit.alt is None or info.day is None:
            continue
        alt = info.hit.alt
        if orders == {"mdy"}:
            _set_day(info, alt)
            notes.append(f"'{info.found.text}' read month-first, as other dates on the page are written")
            continue
        if orders == {"dmy"}:
            info.hit.ambiguous = False
            notes.append(f"'{info.found.text}' read day-first, as other dates on the page are written")
            continue
        others = [o.day for o in infos if o is not info and o.day and not o.ambiguous and o.tier < _TIER["body"]]
        near_first = any(abs((o - info.day).days) <= 1 for o in others)
        near_alt = any(abs((o - alt).days) <= 1 for o in others)
        if near_alt and not near_first:
            _set_day(info, alt)
            notes.append(f"'{info.found.text}' read as {alt}: it matches another date on the page")
        elif near_first and not near_alt:
            info.hit.ambiguous = False
            notes.append(f"'{info.found.text}' read as {info.day}: it matches another date on the page")


def _pick(infos: list[_Info]) -> _Info | None:
    """The best of several dates from the same kind of place: the publication (not update) date,
    unambiguous, then the earliest (a second date near the title is usually an update), with a time."""
    if not infos:
        return None
    return min(
        infos,
        key=lambda i: (
            i.tier,
            i.dateline_order,
            i.is_update,
            i.ambiguous,
            i.placed,
            i.day,
            not i.has_time,
            i.index,
        ),
    )


@dataclass
class _Decision:
    chosen: _Info
    method: str
    confidence: float
    notes: list[str]
    used: list[_Info]


def _hijri_pair(g: _Info, h: _Info) -> _Decision:
    """Cross-check a Gregorian and a Hijri date written by the publisher."""
    assert g.day is not None and h.day is not None
    base = _BASE_CONFIDENCE.get(min(g, h, key=lambda i: i.tier).found.where, 0.75)
    alt = g.hit.alt if g.ambiguous and g.hit else None
    if abs((g.day - h.day).days) > 1 and alt is not None and abs((alt - h.day).days) <= 1:
        _set_day(g, alt)
        note = f"{_describe(h)} settles the day/month order of '{g.found.text}'"
        return _Decision(g, "hijri+gregorian", max(base, 0.9), [note], [g, h])
    diff = abs((g.day - h.day).days)
    if diff == 0:
        note = f"{_describe(h)} agrees with '{g.found.text}'"
        return _Decision(g, "hijri+gregorian", max(base, 0.95), [note], [g, h])
    if diff == 1:
        note = (
            f"{_describe(h)} agrees within one day with '{g.found.text}' "
            "(local moon sighting can differ from Umm al-Qura by a day)"
        )
        return _Decision(g, "hijri+gregorian", max(base, 0.9), [note], [g, h])
    note = f"mismatch: {_describe(h)} but '{g.found.text}' gives {g.day} ({diff} days apart)"
    if g.ambiguous:
        note += "; the Gregorian one is ambiguous, Hijri preferred"
        return _Decision(h, "hijri", base - 0.35, [note], [g, h])
    return _Decision(g, g.found.where, base - 0.35, [note + "; the Gregorian date as written is preferred"], [g, h])


def _decide(infos: list[_Info], ref: date | None) -> _Decision:
    best_tier = min(i.tier for i in infos)
    if best_tier == _TIER["body"]:
        pool = [i for i in infos if ref is None or (i.day and i.day <= ref)] or infos
        chosen = max(pool, key=lambda i: (i.day, i.has_time))
        note = "only dates in the body (events it mentions) were found: the latest is taken"
        return _Decision(chosen, "body", _BASE_CONFIDENCE["body"], [note], [chosen])
    head = [i for i in infos if i.tier <= _HEAD]
    if best_tier == 0:
        chosen = _pick([i for i in head if i.tier == 0])
        assert chosen is not None
        return _Decision(chosen, chosen.found.where, _BASE_CONFIDENCE[chosen.found.where], [], [chosen])
    if head:
        g = _pick([i for i in head if not i.hijri])
        h = _pick([i for i in head if i.hijri])
        if g and h:
            return _hijri_pair(g, h)
        if h:
            note = f"{_describe(h)}; local calendars can differ by a day"
            return _Decision(h, "hijri", _BASE_CONFIDENCE.get(h.found.where, 0.75) - 0.05, [note], [h])
        assert g is not None
        return _Decision(g, g.found.where, _BASE_CONFIDENCE[g.found.where], [], [g])
    chosen = _pick([i for i in infos if i.tier == best_tier])
    assert chosen is not None
    notes = []
    if best_tier == _TIER["fetched"]:
        notes.append("fetch date used: the page may have been published earlier")
    base = _BASE_CONFIDENCE.get(chosen.found.where, 0.5)
    return _Decision(chosen, chosen.found.where, base, notes, [chosen])


def _cross_check(decision: _Decision, infos: list[_Info]) -> None:
    """Compare the choice with the best date from each other place the publisher wrote one."""
    chosen_day = decision.chosen.day
    assert chosen_day is not None
    boosted = False
    for tier in range(0, _TIER["url"] + 1):
        other = _pick([i for i in infos if i.tier == tier and i not in decision.used and not i.is_update])
        if other is None or other.day is None or other.tier == decision.chosen.tier:
            continue
        diff = abs((other.day - chosen_day).days)
        if diff <= (1 if other.hijri else 0):
            if not boosted and other.tier <= _HEAD:
                decision.confidence += 0.05
                boosted = True
            decision.notes.append(f"{_describe(other)} agrees")
        elif diff > 1:
            decision.confidence -= 0.05 if other.tier == _TIER["url"] else 0.1
            decision.notes.append(f"{_describe(other)} disagrees: {other.day}, {diff} days from {chosen_day}")


def _check_weekdays(decision: _Decision) -> None:
    for info in decision.used:
        wd = info.hit.weekday if info.hit else None
        if wd is None or info.day is None or info.day.weekday() == wd:
            continue
        name = WEEKDAYS[wd].capitalize()
        if info.hijri and wd in ((info.day.weekday() + 1) % 7, (info.day.weekday() - 1) % 7):
            decision.confidence -= 0.05
            decision.notes.append(
                f"'{info.found.text}' says {name}, one day off Umm al-Qura "
                f"({info.day} is a {info.day.strftime('%A')}): local sighting"
            )
        else:
            decision.confidence -= 0.2
            decision.notes.append(
                f"weekday contradiction: '{info.found.text}' says {name} but {info.day} is a {info.day.strftime('%A')}"
            )


def _adopt_time(decision: _Decision, infos: list[_Info]) -> None:
    """A date-only choice takes the time written with the same day elsewhere by the publisher."""
    chosen = decision.chosen
    if chosen.has_time:
        return
    timed = [i for i in infos if i.has_time and i.day == chosen.day and i.tier <= _TIER["url"] and not i.is_update]
    if timed:
        source = min(timed, key=lambda i: (i.tier, i.index))
        chosen.value = source.value
        decision.notes.append(f"time taken from {source.found.where} '{source.found.text}'")


def resolve_published(found: list[FoundDate], *, reference: datetime | None = None) -> Published:
    """Decide the publication date from every date found on a page.

    Priority, highest first, and why:

    1. ``metadata`` / ``input`` -- the publisher's (or the caller's) machine-readable claim of the date.
    2. ``meta_line`` -- the byline/date line by the title, written by the publisher for this article.
    3. ``dateline`` -- "ACCRA, March 4 (Reuters) -": the wire's own date, often without a year.
    4. ``header`` -- page lines before the article; a press release's date block lives here.
    5. ``url`` -- /2024/03/01/ paths are set at publication but sometimes at draft creation.
    6. ``fetched`` -- the crawl date: an upper bound, not the date.
    7. ``body`` -- dates of events mentioned; used only when nothing else exists, at low confidence.

    Within the publisher-written places (1-4) a Hijri and a Gregorian date are cross-checked: within a
    day of each other -> method ``hijri+gregorian`` with high confidence; further apart -> lower
    confidence, a mismatch note, and the Gregorian date as written wins unless it is the ambiguous one.
    The choice is then compared with the best date from every other place (agreement raises confidence,
    a disagreement of days lowers it and is noted), a weekday that contradicts the date lowers it, an
    unresolved dd/mm vs mm/dd ambiguity lowers it, and a year or day taken from ``reference`` adds
    ``+reference`` to the method. Times and zone offsets are kept as written.
    """
    notes: list[str] = []
    infos = [info for i, fd in enumerate(found) if (info := _read(fd, i)) is not None]
    ref = _page_reference(infos, reference)
    infos = _place_yearless(infos, ref, notes)
    if not infos:
        return Published(None, "none", 0.0, notes or ["no date found"])
    _disambiguate(infos, notes)
    decision = _decide(infos, ref)
    _cross_check(decision, infos)
    _check_weekdays(decision)
    _adopt_time(decision, infos)
    chosen = decision.chosen
    if chosen.ambiguous and chosen.hit and chosen.hit.alt:
        decision.confidence -= 0.2
        decision.notes.append(f"'{chosen.found.text}' is ambiguous ({chosen.day} or {chosen.hit.alt}): read day-first")
    if chosen.placed:
        decision.method += "+reference"
        decision.confidence -= 0.1
        decision.notes.append(f"'{chosen.found.text}' placed against the reference date {ref}")
    if reference is not None and chosen.day and chosen.day > reference.date() + timedelta(days=1):
        decision.confidence -= 0.2
        decision.notes.append(f"{chosen.day} is after the reference date {reference.date()}")
    confidence = round(min(0.99, max(0.05, decision.confidence)), 2)
    return Published(chosen.value, decision.method, confidence, notes + decision.notes)
