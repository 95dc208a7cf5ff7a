"""Tests for storyprism.extract.dates: finding dates in any form and resolving the publication date."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from storyprism.extract.dates import (
    Published,
    find_dates,
    hijri_to_gregorian,
    load_hijri_months,
    resolve_published,
)
from storyprism.models import FoundDate

SEEDS = Path("/work/shared/seeds")


def one(text: str, where: str = "meta_line", **kw: object) -> FoundDate:
    found = find_dates(text, where, **kw)  # type: ignore[arg-type]
    assert len(found) == 1, found
    return found[0]


def page(*items: tuple[str, str], reference: datetime | None = None) -> Published:
    found: list[FoundDate] = []
    for text, where in items:
        found += find_dates(text, where)
    return resolve_published(found, reference=reference)


# ------------------------------------------------------------------ Gregorian forms


@pytest.mark.parametrize(
    ("text", "matched", "value"),
    [
        ("12 Jul 2025 18:30", "12 Jul 2025 18:30", "2025-07-12T18:30"),
        ("13/07/2025 CE", "13/07/2025 CE", "2025-07-13"),
        ("13.07.2025", "13.07.2025", "2025-07-13"),
        ("2024-03-01T17:42:00Z", "2024-03-01T17:42:00Z", "2024-03-01T17:42:00+00:00"),
        ("2024-03-01T17:42:00+03:00", "2024-03-01T17:42:00+03:00", "2024-03-01T17:42:00+03:00"),
        ("2024-03-01", "2024-03-01", "2024-03-01"),
        ("March 1, 2024", "March 1, 2024", "2024-03-01"),
        (
            "Published 3:43 PM EST, March 1, 2024",
            "Published 3:43 PM EST, March 1, 2024",
            "2024-03-01T15:43-05:00",
        ),
        (
            "Updated 10:02 AM GMT+1, Sat 2 March 2024",
            "Updated 10:02 AM GMT+1, Sat 2 March 2024",
            "2024-03-02T10:02+01:00",
        ),
        ("Friday 1 March 2024 14.00 GMT", "Friday 1 March 2024 14.00 GMT", "2024-03-01T14:00+00:00"),
        ("Mar. 4, 2024", "Mar. 4, 2024", "2024-03-04"),
        ("Sunday, 18th May 2025", "Sunday, 18th May 2025", "2025-05-18"),
        ("the 1st of September, 2024", "1st of September, 2024", "2024-09-01"),
        ("Sept. 29, 2021", "Sept. 29, 2021", "2021-09-29"),
        ("Fri, 01 Mar 2024 17:42:00 +0000", "Fri, 01 Mar 2024 17:42:00 +0000", "2024-03-01T17:42:00+00:00"),
        ("12:05 am EDT July 4, 2024", "12:05 am EDT July 4, 2024", "2024-07-04T00:05-04:00"),
        ("2024/03/01", "2024/03/01", "2024-03-01"),
        ("13 يوليو 2025م", "13 يوليو 2025م", "2025-07-13"),
        ("13 تموز 2025", "13 تموز 2025", "2025-07-13"),
        ("4 mars 2024", "4 mars 2024", "2024-03-04"),
        ("12 de marzo de 2024", "12 de marzo de 2024", "2024-03-12"),
        ("2024年3月1日", "2024年3月1日", "2024-03-01"),
    ],
)
def test_gregorian_forms(text: str, matched: str, value: str) -> None:
    found = one(text)
    assert (found.text, found.value, found.calendar) == (matched, value, "gregorian")
    assert found.where == "meta_line"


def test_several_dates_in_one_line_keep_their_order() -> None:
    found = find_dates("Posted 8 Jul 2025, updated July 13, 2025 at 09:15", "body")
    assert [(f.text, f.value) for f in found] == [
        ("Posted 8 Jul 2025", "2025-07-08"),
        ("updated July 13, 2025 at 09:15", "2025-07-13T09:15"),
    ]


def test_no_false_dates_in_prose() -> None:
    assert find_dates("Around 10 people of different nationalities were detained in 2024", "body") == []
    assert find_dates("You may 5 times try; 3.5 million in 2023", "body") == []
    assert find_dates("Azerbaijani President Ilham Aliyev, right", "body") == []
    assert find_dates("they may 12, 2024 be", "body") == []  # lower-case "may" is a verb
    assert find_dates("1447 / 01", "body") == []


def test_url_dates() -> None:
    assert one("https://example.com/news/2024/03/01/story-12345", "url").value == "2024-03-01"
    assert one("https://example.com/20240301/story", "url").value == "2024-03-01"
    assert find_dates("https://example.com/article/12345678", "url") == []


def test_dateparser_fallback_for_metadata_only() -> None:
    assert one("1 March 2024", "metadata").value == "2024-03-01"
    assert one("Friday, 1. März 2024", "metadata").value == "2024-03-01"


# ------------------------------------------------------------------ digits in other scripts


def test_arabic_indic_digits() -> None:
    found = one("١٣/٠٧/٢٠٢٥")
    assert (found.text, found.value) == ("١٣/٠٧/٢٠٢٥", "2025-07-13")


def test_persian_digits() -> None:
    found = one("۱۳/۰۷/۲۰۲۵")
    assert (found.text, found.value) == ("۱۳/۰۷/۲۰۲۵", "2025-07-13")


# ------------------------------------------------------------------ Hijri


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Sunday, 18th Muharram 1447 AH", "2025-07-13"),
        ("18 Muharram 1447H", "2025-07-13"),
        ("18 Moharram 1447 A.H.", "2025-07-13"),
        ("1 Safar 1447 AH", "2025-07-26"),
        ("12 Rabi' al-Awwal 1446 AH", "2024-09-15"),
        ("12 Rabi’ al-Awwal 1446 AH", "2024-09-15"),
        ("12 Rabiʿ al-Awwal 1446 AH", "2024-09-15"),
        ("12 Rabi ul-Awwal 1446", "2024-09-15"),
        ("12 Rabiul Awal 1446", "2024-09-15"),
        ("12 Rabi I 1446 AH", "2024-09-15"),
        ("15 Rabi II 1446 AH", "2024-10-18"),
        ("15 Rabi' al-Akhir 1446", "2024-10-18"),
        ("15 Rabi al-Thani 1446 AH", "2024-10-18"),
        ("1 Jumada al-Ula 1446 AH", "2024-11-03"),
        ("1 Jumada al-Awwal 1446 AH", "2024-11-03"),
        ("1 Jumada I 1446 AH", "2024-11-03"),
        ("20 Jumada al-Akhirah 1446 AH", "2024-12-21"),
        ("20 Jumada al-Thani 1446 AH", "2024-12-21"),
        ("20 Jumada II 1446 AH", "2024-12-21"),
        ("27 Rajab 1446 AH", "2025-01-27"),
        ("15 Sha'ban 1446 AH", "2025-02-14"),
        ("15 Shaaban 1446 AH", "2025-02-14"),
        ("1 Ramadan 1446 AH", "2025-03-01"),
        ("1 Ramazan 1446 AH", "2025-03-01"),
        ("1 Ramadhan 1446 AH", "2025-03-01"),
        ("1 Shawwal 1446 AH", "2025-03-30"),
        ("5 Dhu al-Qa'dah 1446 AH", "2025-05-03"),
        ("5 Dhul Qadah 1446 AH", "2025-05-03"),
        ("5 Zul Qa'da 1446 AH", "2025-05-03"),
        ("9 Dhu al-Hijjah 1446 AH", "2025-06-05"),
        ("9 Dhul Hijja 1446 AH", "2025-06-05"),
        ("9 Zul Hijjah 1446 AH", "2025-06-05"),
        ("Muharram 18, 1447 AH", "2025-07-13"),
        ("18 محرم 1447 هـ", "2025-07-13"),
        ("الأحد ١٨ محرم ١٤٤٧هـ", "2025-07-13"),
        ("12 ربيع الأول 1446 هـ", "2024-09-15"),
        ("15 ربيع الآخر 1446 هـ", "2024-10-18"),
        ("9 ذو الحجة 1446 هـ", "2025-06-05"),
        ("5 ذي القعدة 1446هـ", "2025-05-03"),
        ("1 رمضان 1446 هجرية", "2025-03-01"),
        ("18/01/1447 هـ", "2025-07-13"),
    ],
)
def test_hijri_forms(text: str, value: str) -> None:
    found = one(text, "header")
    assert (found.text, found.value, found.calendar) == (text, value, "hijri")


def test_hijri_and_gregorian_in_one_arabic_line() -> None:
    found = find_dates("الأحد 18 محرم 1447هـ الموافق 13 يوليو 2025م", "header")
    assert [(f.value, f.calendar) for f in found] == [("2025-07-13", "hijri"), ("2025-07-13", "gregorian")]


def test_hijri_to_gregorian() -> None:
    assert hijri_to_gregorian(18, 1, 1447) == date(2025, 7, 13)
    # Muharram 1446 has 29 days in Umm al-Qura: a local calendar's 30th is the day after the 29th.
    assert hijri_to_gregorian(30, 1, 1446) == hijri_to_gregorian(29, 1, 1446) + timedelta(days=1)
    with pytest.raises(ValueError):
        hijri_to_gregorian(31, 1, 1447)


def test_hijri_month_data_file() -> None:
    table = load_hijri_months()
    assert sorted(set(table.values())) == list(range(1, 13))
    assert table["muharram"] == 1 and table["rabii"] == 3 and table["rabiii"] == 4
    assert table["محرم"] == 1


def test_hijri_month_file_is_user_extensible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = tmp_path / "hijri_months.toml"
    extra.write_text('[[month]]\nnumber = 9\nname = "Ramadan"\nvariants = ["Ramdaan"]\n', encoding="utf-8")
    assert load_hijri_months(extra)["ramdaan"] == 9
    assert find_dates("1 Ramdaan 1446 AH", "header") == []
    monkeypatch.setenv("STORYPRISM_DATA", str(tmp_path))
    assert one("1 Ramdaan 1446 AH", "header").value == "2025-03-01"
    monkeypatch.delenv("STORYPRISM_DATA")
    assert find_dates("1 Ramdaan 1446 AH", "header") == [], "the user's data counts only while it is named"


# ------------------------------------------------------------------ traps


def test_reference_number_is_not_a_date() -> None:
    assert find_dates("No: 1447 / 01", "header") == []
    assert find_dates("No: 1447/01/18", "header") == []  # no "AH": lunar or solar Hijri, or a number
    found = find_dates("No: 1447 / 01 Sunday, 18th Muharram 1447 AH", "header")
    assert [(f.text, f.value, f.calendar) for f in found] == [("Sunday, 18th Muharram 1447 AH", "2025-07-13", "hijri")]


def test_hijri_year_alone_is_not_a_date() -> None:
    assert find_dates("1447 AH", "header") == []
    assert find_dates("Muharram 1447 AH", "header") == []
    assert find_dates("The year 1447 H began", "body") == []


# ------------------------------------------------------------------ day/month order


def test_ambiguous_numeric_reads_day_first_with_lower_confidence() -> None:
    assert one("04/03/2024").value == "2024-03-04"
    pub = page(("04/03/2024", "meta_line"))
    assert (pub.value, pub.method, pub.confidence) == ("2024-03-04", "meta_line", 0.65)
    assert any("ambiguous" in n for n in pub.notes)


def test_impossible_day_first_reads_month_first() -> None:
    pub = page(("07/13/2025", "meta_line"))
    assert (pub.value, pub.confidence) == ("2025-07-13", 0.85)


def test_weekday_settles_ambiguous_order() -> None:
    # 3 April 2024 was a Wednesday, 4 March 2024 a Monday.
    assert one("Wednesday 04/03/2024").value == "2024-04-03"
    assert one("Monday 04/03/2024").value == "2024-03-04"
    pub = page(("Wednesday 04/03/2024", "meta_line"))
    assert (pub.value, pub.confidence, pub.notes) == ("2024-04-03", 0.85, [])


def test_other_date_on_page_settles_ambiguous_order() -> None:
    pub = page(("04/03/2024", "meta_line"), ("https://a.example/2024/04/03/x", "url"))
    assert (pub.value, pub.confidence) == ("2024-04-03", 0.85)
    assert any("matches another date" in n for n in pub.notes)


def test_page_convention_settles_ambiguous_order() -> None:
    pub = page(("04/03/2024", "meta_line"), ("The vote on 03/25/2024 was close", "body"))
    assert pub.value == "2024-04-03"
    assert any("month-first" in n for n in pub.notes)


def test_dotted_dates_are_day_first() -> None:
    pub = page(("04.03.2024", "meta_line"))
    assert (pub.value, pub.confidence) == ("2024-03-04", 0.85)


# ------------------------------------------------------------------ weekday contradiction


def test_weekday_contradiction_lowers_confidence() -> None:
    pub = page(("Friday, March 2, 2024", "meta_line"))  # 2 March 2024 was a Saturday
    assert (pub.value, pub.confidence) == ("2024-03-02", 0.65)
    assert pub.notes == ["weekday contradiction: 'Friday, March 2, 2024' says Friday but 2024-03-02 is a Saturday"]


# ------------------------------------------------------------------ Hijri / Gregorian cross-check


def test_hijri_gregorian_agreement_on_seed_header() -> None:
    pub = page(("No: 1447 / 01 Sunday, 18th Muharram 1447 AH", "header"), ("13/07/2025 CE", "header"))
    assert (pub.value, pub.method) == ("2025-07-13", "hijri+gregorian")
    assert pub.confidence >= 0.9
    assert pub.notes == ["Hijri 18 Muharram 1447 = 2025-07-13 (Umm al-Qura) agrees with '13/07/2025 CE'"]


def test_hijri_gregorian_agreement_within_one_day() -> None:
    pub = page(("17 Muharram 1447 AH", "header"), ("13/07/2025", "header"))
    assert (pub.value, pub.method, pub.confidence) == ("2025-07-13", "hijri+gregorian", 0.9)
    assert "within one day" in pub.notes[0]


def test_hijri_gregorian_mismatch_prefers_gregorian_and_is_noted() -> None:
    pub = page(("Sunday, 18th Muharram 1447 AH", "meta_line"), ("20/07/2025", "meta_line"))
    assert (pub.value, pub.method, pub.confidence) == ("2025-07-20", "meta_line", 0.5)
    assert pub.notes[0].startswith("mismatch: Hijri 18 Muharram 1447 = 2025-07-13")


def test_hijri_gregorian_mismatch_with_ambiguous_gregorian_prefers_hijri() -> None:
    pub = page(("18 Muharram 1447 AH", "meta_line"), ("05/06/2025", "meta_line"))
    assert (pub.value, pub.method, pub.confidence) == ("2025-07-13", "hijri", 0.5)
    assert "mismatch" in pub.notes[0]


def test_hijri_settles_ambiguous_gregorian() -> None:
    pub = page(("4 Ramadan 1446 AH", "header"), ("03/04/2025", "header"))
    assert (pub.value, pub.method, pub.confidence) == ("2025-03-04", "hijri+gregorian", 0.95)


def test_hijri_only() -> None:
    pub = page(("Sunday, 18th Muharram 1447 AH", "meta_line"))
    assert (pub.value, pub.method, pub.confidence) == ("2025-07-13", "hijri", 0.8)


def test_hijri_weekday_one_day_off_is_local_sighting() -> None:
    # Umm al-Qura puts 18 Muharram 1447 on a Sunday; a Monday is a local calendar one day behind.
    pub = page(("Monday, 18 Muharram 1447 AH", "meta_line"))
    assert pub.confidence == 0.75
    assert "one day off Umm al-Qura" in pub.notes[-1]


# ------------------------------------------------------------------ relative dates and datelines


def test_dateline_year_from_reference() -> None:
    dateline = "ACCRA, March 4 (Reuters) -"
    assert one(dateline, "dateline", reference=datetime(2024, 3, 10)).value == "2024-03-04"
    # The most recent March 4 not after the reference.
    assert one(dateline, "dateline", reference=datetime(2024, 3, 1)).value == "2023-03-04"
    assert one(dateline, "dateline", reference=datetime(2024, 3, 4, 9)).value == "2024-03-04"


def test_yearless_dateline_kept_for_resolve() -> None:
    found = find_dates("ACCRA, March 4 (Reuters) - A bill first tabled on June 5, 2023 passed.", "dateline")
    assert [(f.text, f.value) for f in found] == [("March 4", "--03-04"), ("June 5, 2023", "2023-06-05")]
    pub = resolve_published(found, reference=datetime(2024, 3, 10))
    assert (pub.value, pub.method, pub.confidence) == ("2024-03-04", "dateline+reference", 0.7)


def test_yearless_dateline_placed_by_fetch_date() -> None:
    pub = page(("ACCRA, March 4 (Reuters) -", "dateline"), ("2025-01-05T10:00:00Z", "fetched"))
    assert (pub.value, pub.method) == ("2024-03-04", "dateline+reference")


def test_yearless_without_any_reference_is_dropped() -> None:
    pub = page(("ACCRA, March 4 (Reuters) -", "dateline"))
    assert (pub.value, pub.method, pub.confidence) == (None, "none", 0.0)


def test_relative_dates() -> None:
    ref = datetime(2025, 7, 14, 12, 0)
    assert one("2 hours ago", reference=ref).value == "2025-07-14T10:00"
    assert one("45 minutes ago", reference=ref).value == "2025-07-14T11:15"
    assert one("yesterday", reference=ref).value == "2025-07-13"
    assert one("Posted 3 days ago", reference=ref).value == "2025-07-11"
    assert one("منذ 3 ساعات", reference=ref).value == "2025-07-14T09:00"
    aware = datetime(2025, 7, 14, 12, 0, tzinfo=timezone(timedelta(hours=3)))
    assert one("an hour ago", reference=aware).value == "2025-07-14T11:00+03:00"
    assert find_dates("2 hours ago", "meta_line") == []  # nothing to count back from


def test_relative_date_method_says_reference() -> None:
    ref = datetime(2025, 7, 14, 12, 0)
    pub = resolve_published(find_dates("2 hours ago", "meta_line", reference=ref), reference=ref)
    assert (pub.value, pub.method, pub.confidence) == ("2025-07-14T10:00", "meta_line+reference", 0.75)


# ------------------------------------------------------------------ priority


FULL_PAGE = [
    ("2024-03-01T17:42:00Z", "metadata"),
    ("Published 3:43 PM EST, March 2, 2024", "meta_line"),
    ("BEIRUT, March 3 (Reuters) -", "dateline"),
    ("Copyright 04 Mar 2024", "header"),
    ("https://a.example/2024/03/05/story", "url"),
    ("2024-03-06T08:00:00Z", "fetched"),
    ("The talks on March 7, 2024 failed.", "body"),
]


@pytest.mark.parametrize(
    ("drop", "value", "method"),
    [
        (0, "2024-03-01T17:42:00+00:00", "metadata"),
        (1, "2024-03-02T15:43-05:00", "meta_line"),
        (2, "2024-03-03", "dateline+reference"),
        (3, "2024-03-04", "header"),
        (4, "2024-03-05", "url"),
        (5, "2024-03-06T08:00:00+00:00", "fetched"),
        (6, "2024-03-07", "body"),
    ],
)
def test_priority_order(drop: int, value: str, method: str) -> None:
    pub = page(*FULL_PAGE[drop:])
    assert (pub.value, pub.method) == (value, method)


def test_body_only_is_low_confidence() -> None:
    pub = page(("The talks on March 3, 2024 and March 7, 2024 failed.", "body"))
    assert (pub.value, pub.method, pub.confidence) == ("2024-03-07", "body", 0.25)


def test_metadata_agreeing_with_meta_line_raises_confidence() -> None:
    pub = page(("2024-03-01T17:42:00Z", "metadata"), ("March 1, 2024", "meta_line"))
    assert (pub.value, pub.method, pub.confidence) == ("2024-03-01T17:42:00+00:00", "metadata", 0.95)


def test_metadata_disagreeing_with_meta_line_is_noted() -> None:
    pub = page(("2024-03-01T17:42:00Z", "metadata"), ("March 5, 2024", "meta_line"))
    assert (pub.value, pub.method, pub.confidence) == ("2024-03-01T17:42:00+00:00", "metadata", 0.8)
    assert pub.notes == ["meta_line 'March 5, 2024' disagrees: 2024-03-05, 4 days from 2024-03-01"]


def test_time_taken_from_meta_line_when_metadata_has_only_a_date() -> None:
    pub = page(("2024-03-01", "metadata"), ("Published 3:43 PM EST, March 1, 2024", "meta_line"))
    assert pub.value == "2024-03-01T15:43-05:00"


def test_published_preferred_over_updated() -> None:
    pub = page(
        ("Updated 10:02 AM GMT+1, Sat 2 March 2024", "meta_line"),
        ("Published 3:43 PM EST, March 1, 2024", "meta_line"),
    )
    assert (pub.value, pub.method, pub.confidence) == ("2024-03-01T15:43-05:00", "meta_line", 0.85)


def test_future_date_is_suspicious() -> None:
    pub = page(("March 1, 2026", "meta_line"), reference=datetime(2025, 1, 1))
    assert pub.confidence == 0.65
    assert "after the reference date" in pub.notes[-1]


def test_nothing_found() -> None:
    assert resolve_published([]) == Published(None, "none", 0.0, ["no date found"])


# ------------------------------------------------------------------ the seed documents


def test_seed_news_page_meta_line() -> None:
    pub = page(("12 Jul 2025 18:30", "meta_line"), ("on Saturday, July 12, 2025 (AP)", "body"))
    assert (pub.value, pub.method, pub.confidence) == ("2025-07-12T18:30", "meta_line", 0.85)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed documents not available")
def test_seed_files_line_by_line() -> None:
    release = (SEEDS / "000_0181ea45b45098cd.txt").read_text(encoding="utf-8").splitlines()
    head = [line for line in release[:12] if line.strip()][:2]
    pub = resolve_published([f for line in head for f in find_dates(line, "header")])
    assert (pub.value, pub.method) == ("2025-07-13", "hijri+gregorian")
    assert pub.confidence >= 0.9
    news = (SEEDS / "003_dd5c64951140afcb.txt").read_text(encoding="utf-8").splitlines()
    stamp = [f for line in news if "18:30" in line for f in find_dates(line, "meta_line")]
    assert [f.value for f in stamp] == ["2025-07-12T18:30"]


def test_year_glued_to_time_by_a_text_renderer() -> None:
    # Adjacent inline elements ("Feb 28, 2024" + "7:00 AM EST") print without a space in text dumps.
    assert one("Published Wed, Feb 28 20247:00 AM EST", "meta_line").value == "2024-02-28T07:00-05:00"
    assert find_dates("in 20245 cases", "meta_line") == []
