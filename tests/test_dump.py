"""Plain-text page dumps: what must and must not end up in the body, title, captions and meta lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyprism.extract.dump import parse_dump
from storyprism.extract.dump_cues import load_cues

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
DUMPS = Path(__file__).resolve().parent / "data" / "dumps"


def _seed(name: str) -> str:
    path = SEEDS / name
    if not path.is_file():
        pytest.skip(f"seed document {path} not available")
    return path.read_text(encoding="utf-8")


def _dump(name: str) -> str:
    return (DUMPS / name).read_text(encoding="utf-8")


def _in_body(parts, fragment: str) -> bool:
    return any(fragment in paragraph for paragraph in parts.body)


# ---------------------------------------------------------------- the reference case


def test_seed_news_page_with_ticker_related_block_and_footer():
    parts = parse_dump(_seed("003_dd5c64951140afcb.txt"))
    assert parts.title == "Syrian, Israeli officials to meet in Baku: Damascus source"
    for line in ("By Al Mayadeen English", "Source: Agencies", "12 Jul 2025 18:30"):
        assert line in parts.meta_lines
    assert parts.body[0].startswith("Syrian and Israeli officials are set to meet in Azerbaijan")
    assert parts.standfirst == parts.body[0]
    assert parts.body[-1].endswith("daily electricity shortages lasting over 20 hours.")
    headings = (
        "'Israel' and Syria: normalization's newest chapter",
        "Normalization talks in exchange for gas?",
    )
    for heading in headings:
        assert heading in parts.body
        assert heading in parts.subheadings
    # Furniture that sits between or around the paragraphs.
    for fragment in (
        "Palestinian platforms",  # the BREAKING ticker
        "Related News",
        "Tensions ease in Sweida",
        "Fierce clashes breakout",
        "Most Read",
        "Read Next",
        "Hezbollah SG reveals",
        "Listen",
    ):
        assert not _in_body(parts, fragment), fragment
    for tag in ("Syria", "Azerbaijan", "Ahmad al-Sharaa", "Ilham Aliyev", "Israel"):
        assert tag not in parts.body
    assert not _in_body(parts, "pose for a photo")
    assert len(parts.captions) == 2 and all(c.endswith("(AP)") for c in parts.captions)
    assert "Al Mayadeen English" in parts.header
    assert "Al Mayadeen is an Arab Independent Media Satellite Channel." in parts.footer
    assert "All Rights Reserved" in parts.footer


def test_seed_translated_press_release():
    parts = parse_dump(_seed("000_0181ea45b45098cd.txt"))
    assert parts.title == (
        "The Visit to Azerbaijan: A Step Toward Pushing for Normalization with the Jewish Entity "
        "Which Will Be a Stab in the Heart of the Ummah"
    )
    meta = ("No: 1447 / 01 Sunday, 18th Muharram 1447 AH", "13/07/2025 CE", "Press Release", "(Translated)")
    for line in meta:
        assert line in parts.meta_lines
    assert parts.body[0].startswith("A diplomatic source in Damascus stated")
    assert parts.body[-1] == (
        '"And Allah is predominant over His affair, but most of the people do not know." [Yusuf: 21]'
    )
    assert parts.footer == ["Media Office of Hizb ut Tahrir in Wilayah Syria"]
    assert not _in_body(parts, "Media Office")
    assert not parts.captions


# ---------------------------------------------------------------- other renderers (fictional pages)


def test_plain_copy_paste_without_blank_lines_or_indentation():
    parts = parse_dump(_dump("plain_noindent.txt"))
    assert parts.title == "Lorvik lantern festival draws record crowds despite storm warning"
    assert parts.meta_lines == ["By Mira Tallis", "Source: Courier staff", "3 March 2031 09:15"]
    assert parts.standfirst and parts.standfirst.startswith("Thousands of visitors filled")
    assert parts.body[0] == parts.standfirst
    assert parts.body[-1].startswith("The festival continues on Sunday")
    assert "A late start for the parade" in parts.body
    assert parts.subheadings == ["A late start for the parade"]
    for fragment in (
        "Ferry services",
        "Storm warning issued",
        "Fish market to reopen",
        "Related",
        "Share",
        "Hollin Isle ferry timetable",
        "Festivals",
        "Photo: Jon Berg",
    ):
        assert not _in_body(parts, fragment), fragment
    assert parts.captions == [
        "Lanterns float above the harbour wall in Lorvik on Saturday night. Photo: Jon Berg/Northbay Courier"
    ]
    assert "The Northbay Courier" in parts.header
    assert "© 2031 The Northbay Courier. All rights reserved." in parts.footer


def test_copy_paste_dump_one_paragraph_per_line():
    """Select-all + copy: no blank lines, no indentation, no wrapping; a menu with a genre word."""
    parts = parse_dump(_dump("copy_paste.txt"))
    # Long lines of very different lengths, ending at sentence ends: nothing is re-joined.
    assert parts.title == (
        "Fictional observatory on Mount Corran spots a comet that will pass close to the imaginary planet Ardis "
        "next spring"
    )
    assert parts.meta_lines == [
        "By Lena Hartveit, science correspondent",
        "Published: 9 February 2034, 11:20",
        "Last updated: 9 February 2034, 15:05",
    ]
    assert "Opinion" not in parts.meta_lines  # a menu item, not a label of this article
    assert parts.standfirst and parts.standfirst.startswith("Astronomers at the invented Corran Observatory")
    assert parts.body[0] == parts.standfirst
    assert parts.body[1].startswith("Astronomers at the Corran Observatory said on Thursday")
    assert parts.body[-1].startswith("The observatory plans to hold public viewing nights")
    assert parts.subheadings == ["How bright will it get?"]
    assert "How bright will it get?" in parts.body
    for fragment in (
        "Corran Observatory wins funding",
        "Meteor shower expected",
        "Why the night sky",
        "Related",
        "Tags:",
        "Share this article",
        "Fenwick harbour reopens",
        "Published:",
        "Opinion",
    ):
        assert not _in_body(parts, fragment), fragment
    assert "The Fenwick Ledger" in parts.header
    assert "© 2034 The Fenwick Ledger. All rights reserved." in parts.footer


def test_hard_wrapped_lines_broken_early_are_rejoined():
    """Lines in the wrap window that stop mid-sentence go on when the next line starts in lower case."""
    text = (
        "   Home | News\n\n"
        "Fictional harbour board approves new pier\n\n"
        "   By Ola Brenn\n   12.05.2033 09:40\n\n"
        "   The harbour board of the imaginary town of Selvik voted on Monday to build a\n"
        "   new pier for the ferries to the outer islands, ending a dispute that\n"
        "   had lasted since the old pier was closed in a storm two winters ago.\n\n"
        "   Construction is due to start in the autumn and should take about eighteen\n"
        "   months, according to the plans published by the board after the vote, which\n"
        "   was carried by six votes to three after a debate of more than four hours.\n\n"
        "   The ferry company welcomed the decision and said that it would add a\n"
        "   second daily crossing to the outer islands once the new pier is open,\n"
        "   probably in the spring of the year after next.\n"
    )
    parts = parse_dump(text)
    assert parts.title == "Fictional harbour board approves new pier"
    assert parts.meta_lines == ["By Ola Brenn", "12.05.2033 09:40"]
    assert len(parts.body) == 3
    assert parts.body[0].endswith(
        "ending a dispute that had lasted since the old pier was closed in a storm two winters ago."
    )


def test_arabic_dump_cues():
    text = (
        "الرئيسية | أخبار | اقتصاد\n"
        "افتتاح ميناء جديد في بلدة سيلفا الخيالية\n"
        "بقلم: فريق التحرير\n"
        "الاثنين 12 أيار/مايو 2033 – 09:40\n"
        "افتتحت سلطات بلدة سيلفا الخيالية يوم الاثنين ميناءً جديداً للعبارات، بعد خلاف استمر عامين حول موقعه "
        "وتمويله، بحسب ما أعلن المجلس البلدي في بيان.\n"
        "وقال رئيس المجلس إن الميناء سيخدم الجزر الخارجية طوال العام، وإن العمل في المرحلة الثانية سيبدأ في الخريف "
        "المقبل بعد استكمال الدراسات.\n"
        "اقرأ أيضاً\n"
        "ارتفاع أسعار الوقود في الموانئ الشمالية\n"
        "كلمات مفتاحية: موانئ، سيلفا\n"
        "الأكثر قراءة\n"
        "© 2033 جميع الحقوق محفوظة\n"
    )
    parts = parse_dump(text)
    assert parts.title == "افتتاح ميناء جديد في بلدة سيلفا الخيالية"
    assert parts.meta_lines == ["بقلم: فريق التحرير", "الاثنين 12 أيار/مايو 2033 – 09:40"]
    assert len(parts.body) == 2 and parts.body[-1].endswith("استكمال الدراسات.")
    assert not _in_body(parts, "كلمات مفتاحية") and not _in_body(parts, "ارتفاع أسعار الوقود")


def test_markdownish_rendering_with_wrapped_lines_and_links():
    parts = parse_dump(_dump("markdownish.txt"))
    assert parts.title == "Fictional probe finds ice in the shadowed craters of the moon Veyla"
    assert "By Anton Krell" in parts.meta_lines
    # Wrapped lines are re-joined into one paragraph each, markdown stripped.
    assert parts.body[0] == (
        "A robotic probe launched by the imaginary Osterland Space Agency has found water ice in "
        "permanently shadowed craters near the south pole of Veyla, a moon invented for this test."
    )
    assert "What happens next" in parts.body and parts.subheadings == ["What happens next"]
    assert parts.body[-1].endswith("publish the raw spectrometer data.")
    assert len(parts.body) == 6
    for fragment in (
        "Related coverage",
        "Osterland approves budget",
        "Share on X",
        "Most popular",
        "Ten photos",
        "Copyright",
        "](",
        "**",
        "Handout",
    ):
        assert not _in_body(parts, fragment), fragment
    assert parts.captions == [
        "The rim of the Harrow crater photographed by the probe on 12 May. (Osterland Space Agency/Handout)"
    ]
    assert "Copyright 2032 Meridian Science Wire. All rights reserved." in parts.footer


def test_bullet_renderer_with_duplicated_caption_and_related_block():
    parts = parse_dump(_dump("bullets.txt"))
    assert parts.title == "Imaginary republic of Tessaly opens its first offshore wind farm"
    assert parts.meta_lines == ["By Coastline Daily staff", "Source: Agencies", "21 Sep 2033 14:05"]
    assert parts.body[0].startswith("The fictional republic of Tessaly switched on")
    assert parts.body[-1].startswith("Local fishing associations")
    assert "Who paid for the turbines?" in parts.subheadings
    for fragment in (
        "Port authority",
        "Related News",
        "Tessaly parliament approves",
        "Fishermen protest",
        "Turbines of the Brisa Norte",
        "Listen",
        "5 Min Read",
        "Cape Verlo collision",
        "Night trains return",
    ):
        assert not _in_body(parts, fragment), fragment
    assert "Wind power" not in parts.body
    assert len(parts.captions) == 2 and all(c.endswith("(FPA)") for c in parts.captions)
    assert "Coastline Daily" in parts.header
    assert "All Rights Reserved" in parts.footer


# ---------------------------------------------------------------- edges and the cue file


def test_empty_and_furniture_only_pages():
    assert parse_dump("").body == []
    parts = parse_dump("Home\nNews\nSport\nShare\n\n© 2030 Nobody. All rights reserved.\n")
    assert parts.body == [] and parts.title is None


def test_cue_file_is_user_extendable(tmp_path):
    default = load_cues()
    assert "read more" in default.related_exact and "share" in default.ui_exact
    custom = tmp_path / "cues.toml"
    custom.write_text('[related]\nexact = ["Lies ook"]\n[ui]\nexact = ["Deel dit"]\n', encoding="utf-8")
    cues = load_cues(str(custom))
    assert cues.related_exact == frozenset({"lies ook"})
    assert cues.ui_exact == frozenset({"deel dit"})


# ---------------------------------------------------------------- failure classes that recur across outlets


def test_live_blog_keeps_the_introduction_not_the_feed():
    parts = parse_dump(_dump("live_blog.txt"))
    assert parts.title == "Storm Orla live: ferries cancelled as gales reach the Velmor coast"
    assert parts.body[0].startswith("Storm Orla has closed every ferry route")
    assert _in_body(parts, "Schools in the three coastal districts")
    # The entries after "Show latest update" are separate updates, each with its own time stamp.
    for fragment in ("Show latest update", "Ferry operator promises refunds", "island ferry company", "Power cut"):
        assert not _in_body(parts, fragment), fragment


def test_teasers_after_an_author_bio_are_cut():
    parts = parse_dump(_dump("teasers_after_bio.txt"))
    assert parts.body[-1].startswith("The council should publish the survey")
    for fragment in ("is a contributing writer", "More from", "mill district waits", "Three councils", "market hall"):
        assert not _in_body(parts, fragment), fragment


def test_wire_credit_caption_newsletter_promo_and_closing_credit_line():
    parts = parse_dump(_dump("wire_credits_promo.txt"))
    # A caption ending with an agency/photographer credit and no brackets.
    assert not _in_body(parts, "Judges at a reading")
    assert any(c.startswith("Judges at a reading") for c in parts.captions)
    # A sign-up box in the middle of the text: its heading and its consent small print.
    assert not _in_body(parts, "newsletter")
    assert not _in_body(parts, "you are agreeing to")
    assert _in_body(parts, "This is the strongest list")
    # The report's closing credit line belongs to its text; the share button and topics do not.
    assert parts.body[-1] == "Reporting by Lina Morrow; Editing by Hal Brenner"


def test_list_announced_by_a_colon_is_part_of_the_text():
    parts = parse_dump(_dump("list_after_colon.txt"))
    for item in ("The full shortlist:", "Novels", "The Salt Orchard, Mira Daal", "The Ferryman's Daughters, Kai Moss"):
        assert item in parts.body, item
    assert "Story collections" in parts.subheadings
    assert "The Salt Orchard, Mira Daal" not in parts.subheadings  # a list item, not a heading
    for fragment in ("Related topics", "Books", "Prizes"):
        assert fragment not in parts.body, fragment


def test_headline_printed_twice_is_the_title_not_a_caption():
    # Page title then h1: the doubled line once made a caption that swallowed the lede restating it.
    text = (
        "Harbour council delays ferry vote\n\n"
        "Harbour council delays ferry vote\n\n"
        "The harbour council of Velmora delayed its vote on the new ferry line on Monday, citing missing "
        "safety reports.\n\n"
        "Councillors said the reports would arrive within two weeks.\n"
    )
    parts = parse_dump(text)
    assert parts.title == "Harbour council delays ferry vote"
    assert parts.body[0].startswith("The harbour council of Velmora delayed its vote")
    assert parts.captions == []
    # A caption printed twice (alt text and caption) under the article's text stays a caption.
    text = (
        "Harbour council delays ferry vote\n\n"
        "The harbour council of Velmora delayed its vote on the new ferry line on Monday, citing missing "
        "safety reports. Councillors said the reports would arrive within two weeks, and the vote would follow.\n\n"
        "The old ferry at the north pier\n\n"
        "The old ferry at the north pier\n\n"
        "The ferry line has carried commuters across the bay since 1998, and its boats are due for replacement.\n"
    )
    parts = parse_dump(text)
    assert "The old ferry at the north pier" in parts.captions
    assert not _in_body(parts, "The old ferry at the north pier")
