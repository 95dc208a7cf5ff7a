"""HTML extractor: body, captions, sub-headings, standfirst and metadata on small fictional pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyprism.extract.html import load_cues, parse_html

DATA = Path(__file__).parent / "data" / "html"


def page(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def article():
    return parse_html(page("jsonld_article.html"))


def test_jsonld_metadata_wins_over_meta_tags(article):
    meta = article.metadata
    assert meta["title"] == "Glass bridge over the Vellmar estuary opens to walkers"
    assert meta["author"] == "Ilse Brandvold, Tomas Quern"  # JSON-LD list, not <meta name=author>
    assert meta["published"] == "2031-05-14T08:30:00+02:00"
    assert meta["published_source"] == "jsonld"
    assert meta["modified"] == "2031-05-14T10:05:00+02:00"
    assert meta["site_name"] == "The Harbour Ledger"
    assert meta["publisher"] == "Harbour Ledger Media"
    assert meta["genre"] == "AnalysisNewsArticle"
    assert meta["section"] == "Analysis"
    assert meta["language"] == "en-GB"
    assert meta["url"] == "https://ledger.example/analysis/vellmar-bridge"


def test_body_standfirst_and_subheadings(article):
    assert article.title == "Glass bridge over the Vellmar estuary opens to walkers"
    standfirst = "The fictional town of Port Amsel finally has its crossing, eleven years after the first sketch."
    assert article.standfirst == standfirst
    assert article.body[0] == standfirst
    assert article.body[1].startswith("The first walkers crossed the glass bridge")
    assert article.body[-1].startswith('"We have waited long enough')
    assert article.subheadings == ["Eleven years of arguments", "What happens next"]
    # Sub-headings stay in place in the body flow.
    i = article.body.index("Eleven years of arguments")
    assert article.body[i + 1].startswith("The crossing was first sketched")
    assert article.title not in article.body


def test_captions_kept_apart_and_boilerplate_dropped(article):
    text = "\n".join(article.body)
    assert article.captions == [
        "Walkers cross the Vellmar bridge at dawn on its opening day. Photo: Ledger Picture Desk"
    ]
    assert "Walkers cross the Vellmar bridge at dawn" not in text
    assert "Ferry workers vote" not in text  # related-link block
    assert "Related" not in article.body
    assert "newsletter" not in text.lower()
    assert "Home" not in article.body


def test_byline_and_copyright_lines(article):
    assert "By Ilse Brandvold and Tomas Quern" in article.meta_lines
    assert article.footer == ["© 2031 Harbour Ledger Media. All rights reserved."]


def test_page_without_metadata_falls_back_to_htmldate():
    parts = parse_html(page("no_metadata.html"))
    assert parts.title == "Orchard cooperative reports record plum harvest"
    assert parts.metadata["published"] == "2019-09-03"
    assert parts.metadata["published_source"] == "htmldate"
    assert "author" not in parts.metadata
    assert len(parts.body) == 4
    assert parts.body[0].startswith("The fictional Kelby Valley orchard cooperative")
    assert parts.standfirst is None


def test_hostile_page_never_leaks_active_content():
    parts = parse_html(page("hostile.html"))
    text = "\n".join(parts.body + parts.captions + parts.meta_lines + [parts.title or ""])
    for marker in ("INJECTED", "alert(", "ONERROR", "LINK-LEAK", "STYLE", "javascript:", "onload"):
        assert marker not in text
    assert parts.title == "Council approves new tram line for Mirefield"
    assert parts.body[0].startswith("The fictional city council of Mirefield voted")
    # Text around the removed script/img/link survives.
    assert any("promised a public consultation on the exact route" in p for p in parts.body)
    assert any(p.startswith("Construction is expected to start") for p in parts.body)


@pytest.mark.parametrize(
    ("junk", "reason"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("\x00\x01\x02\x03\x04\x05\x06\x07" * 200, "binary"),
        (bytes(range(256)).decode("latin-1") * 20, "binary"),
    ],
)
def test_unusable_input_raises_one_line_value_error(junk, reason):
    with pytest.raises(ValueError, match=reason) as err:
        parse_html(junk)
    assert "\n" not in str(err.value)


def test_truncated_and_tag_soup_do_not_crash():
    for html in (
        "<html><body><p>Only the start of a pa",
        "<div><div><p><b><i>x",
        "<<<>>><p>&&&;</p>",
        "<p>" * 5000,
    ):
        try:
            parts = parse_html(html)
        except ValueError:
            continue  # allowed: nothing usable
        assert isinstance(parts.body, list)


def test_huge_page_is_handled():
    para = "<p>The fictional river authority measured the water level again and found it unchanged today.</p>"
    html = "<html><body><article>" + para * 20000 + "</article></body></html>"
    parts = parse_html(html)
    assert parts.body


def test_user_cues_extend_the_boilerplate_list(tmp_path):
    cues_file = tmp_path / "cues.toml"
    cues_file.write_text("[drop]\npatterns = ['^Engineers say']\n", encoding="utf-8")
    parts = parse_html(page("jsonld_article.html"), cues=load_cues(cues_file))
    assert not any(p.startswith("Engineers say") for p in parts.body)
    assert any(p.startswith("Mayor Henrike Solberg") for p in parts.body)


def test_strip_active_content_removes_handlers_and_script_urls():
    from lxml import html as lxml_html

    from storyprism.extract.html_dom import load_tree, strip_active_content

    tree = load_tree(page("hostile.html"))
    strip_active_content(tree)
    markup = lxml_html.tostring(tree, encoding="unicode")
    for marker in ("<script", "<style", "onerror", "onload", "javascript:"):
        assert marker not in markup
    assert "promised a public consultation" in markup  # the link text itself stays
