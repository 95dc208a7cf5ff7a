"""The report renderers on a hand-built, fictional story (no spaCy): structure, links, escaping, Markdown tables."""

from __future__ import annotations

import re
from dataclasses import asdict
from html.parser import HTMLParser

import lxml.html
import pytest

from storyprism.models import (
    AnalyzedArticle,
    Article,
    ClaimGroup,
    Comparison,
    Conflict,
    Origin,
    OutletFraming,
    Sentence,
    SentenceRef,
    StoryArticle,
)
from storyprism.report import render_html, render_markdown
from storyprism.report.anchors import sentence_anchor
from storyprism.report.charts import framing_charts

HD, VC, CW = "Harbor Daily", "Valley Courier", "Coastal Wire Post"
ROGUE = 'Rogue | "Gazette" <b>'
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
JS_URL = "javascript:alert(document.cookie)"
LONG = "x" * 5000
ARABIC = "قال مصدر دبلوماسي في دمشق إن الاجتماع سيعقد في باكو."
HOSTILE_ID = 'rogue/1 "#<x>'
HOSTILE_TITLE = f"Breaking {SCRIPT} {IMG}"


def analyzed(article_id: str, outlet: str, title: str, paragraphs: list[list[tuple[str, str]]]) -> AnalyzedArticle:
    """An AnalyzedArticle whose sentence spans really point into its text (paragraphs split by blank lines)."""
    text, sentences = "", []
    for p, paragraph in enumerate(paragraphs):
        if p:
            text += "\n\n"
        for s, (sentence, kind) in enumerate(paragraph):
            if s:
                text += " "
            start = len(text)
            text += sentence
            sentences.append(Sentence(len(sentences), start, len(text), sentence, kind, [], 0.0))
    article = Article(id=article_id, source=f"corpus/{article_id}.txt", text=text, title=title, outlet=outlet)
    return AnalyzedArticle(article=article, sentences=sentences, entities=[], attributions=[], framing=[])


def ref(a: AnalyzedArticle, index: int) -> SentenceRef:
    s = a.sentences[index]
    return SentenceRef(a.article.id, index, s.text, s.start, s.end)


def story_article(a: AnalyzedArticle, genre: str = "news", **kw: object) -> StoryArticle:
    art = a.article
    return StoryArticle(art.id, art.outlet or "", art.title, "2031-03-03", genre, art.source, **kw)  # type: ignore[arg-type]


def framing(outlet: str, articles: list[str], opinion: float, markers: dict[str, int]) -> OutletFraming:
    return OutletFraming(
        outlet=outlet,
        articles=articles,
        sentences=5,
        kinds={"claim": 3, "opinion": 2},
        opinion_share=opinion,
        claim_share=1 - opinion,
        markers=markers,
        terms=[{"category": c, "term": f"term-{c}", "count": n} for c, n in markers.items()],
        agencies=["MPA"],
        sourcing={"agency": 2, "unattributed": 1},
    )


@pytest.fixture
def flood() -> tuple[Comparison, dict[str, AnalyzedArticle]]:
    """Floods in the fictional Port Veran: a wire origin (MPA) carried by three outlets, one of them a wire copy;
    a death toll of 5 against 6; a dam claim the Courier leaves out; one claim of the Daily's own."""
    a1 = analyzed(
        "hd-1",
        HD,
        "Floods kill five in Port Veran",
        [
            [
                ("Floods in Port Veran killed 5 people on Monday, the Meridian Press Agency reported.", "claim"),
                ("The mayor ordered the evacuation of the lower town, according to MPA.", "claim"),
            ],
            [
                ("A new dam had been promised by the council for a decade.", "claim"),
                ("This is a shameful failure of the council.", "opinion"),
                ("Rescue teams from Lorvik arrived by boat on Tuesday.", "claim"),
            ],
        ],
    )
    a2 = analyzed(
        "vc-7",
        VC,
        "Six dead as water rises",
        [
            [
                ("Six people died in the Port Veran floods on Monday, the Meridian Press Agency said.", "claim"),
                ("The mayor ordered the lower town evacuated.", "claim"),
                ("Residents must demand answers now!", "call_to_action"),
                ("A survivor in Ostra said the water rose within minutes.", "quote"),
            ]
        ],
    )
    a3 = analyzed("cw-2", CW, "Floods kill five in Port Veran (MPA)", [[(s.text, s.kind) for s in a1.sentences[:3]]])
    deaths = ClaimGroup(
        id="g-deaths",
        text=a1.sentences[0].text,
        support=[ref(a1, 0), ref(a2, 0), ref(a3, 0)],
        articles=["hd-1", "vc-7", "cw-2"],
        outlets=[HD, VC, CW],
        origins=[
            Origin(
                "agency:MPA",
                "agency",
                "Meridian Press Agency",
                ["hd-1", "vc-7", "cw-2"],
                cited=["the city's civil defence"],
                why=["hd-1 sentence 1 credits the Meridian Press Agency", "cw-2 is a wire copy of hd-1"],
            )
        ],
        independent_origins=1,
        reuse=["cw-2 repeats hd-1 sentence 1 verbatim"],
        kinds={"claim": 3},
    )
    evacuation = ClaimGroup(
        id="g-evac",
        text=a2.sentences[1].text,
        support=[ref(a1, 1), ref(a2, 1), ref(a3, 1)],
        articles=["hd-1", "vc-7", "cw-2"],
        outlets=[HD, VC, CW],
        origins=[Origin("agency:MPA", "agency", "Meridian Press Agency", ["hd-1", "cw-2"])],
        independent_origins=1,
    )
    dam = ClaimGroup(
        id="g-dam",
        text=a1.sentences[2].text,
        support=[ref(a1, 2), ref(a3, 2)],
        articles=["hd-1", "cw-2"],
        outlets=[HD, CW],
        origins=[Origin("outlet:Harbor Daily", "own", HD, ["hd-1", "cw-2"], why=["unattributed in hd-1"])],
        independent_origins=1,
    )
    conflict = Conflict(
        kind="count",
        what="killed",
        sides=[
            {
                "value": "5",
                "articles": ["hd-1", "cw-2"],
                "outlets": [HD, CW],
                "support": [asdict(ref(a1, 0)), asdict(ref(a3, 0))],
                "attributed_to": "Meridian Press Agency",
            },
            {
                "value": "6",
                "articles": ["vc-7"],
                "outlets": [VC],
                "support": [asdict(ref(a2, 0))],
                "attributed_to": "Meridian Press Agency",
            },
        ],
        claim="g-deaths",
    )
    comparison = Comparison(
        id="story-flood",
        title="Floods in Port Veran",
        start="2031-03-03",
        end="2031-03-04",
        articles=[story_article(a1), story_article(a2, "opinion"), story_article(a3, duplicate_of="hd-1", reused=0.93)],
        claims=[deaths, evacuation, dam],
        unique={"hd-1": [ref(a1, 4)], "vc-7": [ref(a2, 3)]},
        omitted={"vc-7": ["g-dam"]},
        conflicts=[conflict],
        framing={"hd-1": [{"category": "loaded", "term": "shameful", "count": 1}]},
        outlets=[
            framing(HD, ["hd-1"], 0.2, {"loaded": 2}),
            framing(VC, ["vc-7"], 0.5, {"loaded": 4, "call_to_action": 1}),
            framing(CW, ["cw-2"], 0.0, {}),
        ],
        labels={
            "Port Veran City Council": {HD: ["the council"], VC: ["city hall", "the Veran | council"]},
            "Meridian Press Agency": {HD: ["the Meridian Press Agency", "MPA"], VC: ["Meridian Press Agency"]},
        },
    )
    return comparison, {a.article.id: a for a in (a1, a2, a3)}


@pytest.fixture
def hostile() -> tuple[Comparison, dict[str, AnalyzedArticle]]:
    """A second story in which every document-supplied string tries to break out of the report."""
    h = analyzed(
        HOSTILE_ID,
        ROGUE,
        HOSTILE_TITLE,
        [
            [(f"Officials said {SCRIPT} the bridge {IMG} closed.", "claim"), (f"See [here]({JS_URL}) now", "opinion")],
            [(LONG, "other"), (ARABIC, "claim")],
            [("The bridge closed at noon.\nIt reopened | later.", "claim")],
        ],
    )
    b = analyzed("hd-9", HD, "Bridge closed in Port Veran", [[("The Veran bridge closed at noon.", "claim")]])
    shared = ClaimGroup(
        id=f"g-{SCRIPT}",
        text=f"The bridge {IMG} closed",
        support=[ref(h, 4), ref(b, 0)],
        articles=[HOSTILE_ID, "hd-9"],
        outlets=[ROGUE, HD],
        origins=[Origin(f"source:{SCRIPT}", "source", SCRIPT, [HOSTILE_ID], cited=[IMG], why=[JS_URL])],
        independent_origins=2,
    )
    comparison = Comparison(
        id=f"story-{SCRIPT}",
        title=HOSTILE_TITLE,
        start=None,
        end=None,
        articles=[story_article(h, "press_release"), story_article(b)],
        claims=[shared],
        unique={HOSTILE_ID: [ref(h, 0), ref(h, 3)]},
        omitted={},
        conflicts=[
            Conflict(
                "date",
                SCRIPT,
                [{"value": IMG, "outlets": [ROGUE], "support": [asdict(ref(h, 0))], "attributed_to": [JS_URL]}],
            )
        ],
        framing={HOSTILE_ID: [{"category": "loaded", "term": SCRIPT, "count": 2}]},
        outlets=[framing(ROGUE, [HOSTILE_ID], 0.9, {"scare_quote": 3, SCRIPT: 1})],
        labels={SCRIPT: {ROGUE: [IMG, f"[x]({JS_URL})"], HD: ["the bridge authority"]}},
    )
    return comparison, {h.article.id: h, b.article.id: b}


class _Strict(HTMLParser):
    """Every non-void element closed in order, ids unique: catches template slips lxml would silently repair."""

    VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"))
    SVG_VOID = frozenset(("rect",))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids += [v or "" for k, v in attrs if k == "id"]
        if tag not in self.VOID | self.SVG_VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids += [v or "" for k, v in attrs if k == "id"]

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()


def strict_check(html: str) -> list[str]:
    parser = _Strict()
    parser.feed(html)
    parser.close()
    assert not parser.errors, parser.errors[:5]
    assert not parser.stack, parser.stack
    duplicates = {i for i in parser.ids if parser.ids.count(i) > 1}
    assert not duplicates, duplicates
    return parser.ids


def matrix_cells(doc: lxml.html.HtmlElement, story_anchor_id: str) -> dict[str, dict[str, lxml.html.HtmlElement]]:
    """Row text -> outlet -> <td>, read from the story's matrix the way a reader would."""
    (table,) = doc.xpath(f'//section[@id="{story_anchor_id}"]//table[contains(@class, "matrix")]')
    outlets = [th.text_content().strip() for th in table.xpath("./thead/tr/th")][1:]
    cells: dict[str, dict[str, lxml.html.HtmlElement]] = {}
    for tr in table.xpath("./tbody/tr[not(contains(@class, 'group'))]"):
        header = tr.xpath("./th")[0]
        text = header.xpath('./span[@dir="auto"]')[0].text_content()
        cells[text] = dict(zip(outlets, tr.xpath("./td"), strict=True))
    return cells


def status(td: lxml.html.HtmlElement) -> str:
    return next(c for c in td.get("class").split() if c in {"supports", "unique", "conflicting", "absent"})


def test_html_structure_matrix_and_links(flood: tuple[Comparison, dict[str, AnalyzedArticle]]) -> None:
    comparison, articles = flood
    html = render_html([comparison], articles)
    ids = set(strict_check(html))
    doc = lxml.html.document_fromstring(html)

    # Story list links to the story section; each outlet, article and claim shows up.
    (toc_link,) = doc.xpath('//nav//a[normalize-space(.)="Floods in Port Veran"]')
    section = doc.get_element_by_id(toc_link.get("href")[1:])
    assert section.tag == "section"
    row = toc_link.getparent().getparent()
    assert [td.text_content() for td in row.xpath("./td")][1:] == ["2031-03-03 – 2031-03-04", "3", "3", "3", "2", "1"]
    text = section.text_content()
    for needle in (HD, VC, CW, "Meridian Press Agency", "the city's civil defence", "cw-2 is a wire copy of hd-1"):
        assert needle in text
    for group in comparison.claims:
        assert group.text in text

    # Every in-page link lands on an element; nothing points outside the page.
    hrefs = [a.get("href") for a in doc.iter("a")]
    assert hrefs and all(h.startswith("#") for h in hrefs), [h for h in hrefs if not h.startswith("#")]
    assert {h[1:] for h in hrefs} <= ids

    cells = matrix_cells(doc, section.get("id"))
    deaths, evac, dam = (cells[g.text] for g in comparison.claims)
    assert {o: status(td) for o, td in deaths.items()} == {HD: "conflicting", VC: "conflicting", CW: "conflicting"}
    assert {o: status(td) for o, td in evac.items()} == {HD: "supports", VC: "supports", CW: "supports"}
    assert {o: status(td) for o, td in dam.items()} == {HD: "supports", VC: "absent", CW: "supports"}
    assert "omitted" in dam[VC].get("class") and dam[VC].get("title")  # empty, yet it says what it means
    assert "6" in deaths[VC].text_content() and "5" in deaths[HD].text_content()
    only_hd = cells[articles["hd-1"].sentences[4].text]
    assert {o: status(td) for o, td in only_hd.items()} == {HD: "unique", VC: "absent", CW: "absent"}

    # A cell's link lands on that outlet's sentence, shown in its article with its kind.
    for group, row_cells in zip(comparison.claims, (deaths, evac, dam), strict=True):
        for ref in group.support:
            outlet = next(a.outlet for a in comparison.articles if a.id == ref.article)
            target = "#" + sentence_anchor(ref.article, ref.sentence)
            assert target in [a.get("href") for a in row_cells[outlet].iter("a")]
            landed = doc.get_element_by_id(target[1:])
            assert ref.text in landed.text_content()
            assert landed.xpath("ancestor::article")  # in context, not a detached quote
    for a in articles.values():
        for s in a.sentences:
            element = doc.get_element_by_id(sentence_anchor(a.article.id, s.index))
            assert f"k-{s.kind}" in element.get("class") and element.xpath('.//*[@class="kind"]')

    # Wire copy, omission, conflict sides and labels.
    assert re.search(r"copy of\s+Harbor Daily: Floods kill five in Port Veran \(93 % reused\)", text)
    assert "Leaves out" in text
    conflict = section.xpath('.//div[@class="conflict"]')[0]
    assert [v.text_content() for v in conflict.xpath('.//div[@class="value"]')] == ["5", "6"]
    (terms,) = section.xpath('.//table[@class="terms"]')
    assert re.search(r"loaded\s*shameful \(1\)", terms.text_content())
    (labels,) = section.xpath('.//table[@class="labels"]')
    assert "the Veran | council" in labels.text_content() and "city hall" in labels.text_content()


def test_framing_charts_share_one_scale(flood: tuple[Comparison, dict[str, AnalyzedArticle]]) -> None:
    comparison, articles = flood
    charts = {c.outlet: c for c in framing_charts(comparison.outlets)}
    loaded = {o: next(b for b in c.bars if b.label == "loaded") for o, c in charts.items()}
    assert loaded[VC].width == pytest.approx(2 * loaded[HD].width) and loaded[CW].width == 0
    # Every outlet gets the same rows, even for categories it never uses.
    assert len({tuple(b.label for b in c.bars) for c in charts.values()}) == 1
    opinion = {o: c.bars[0].width for o, c in charts.items()}
    assert opinion[VC] == pytest.approx(2.5 * opinion[HD])

    doc = lxml.html.document_fromstring(render_html([comparison], articles))
    figures = doc.xpath('//figure[contains(@class, "framing")]')
    assert [f.xpath("./figcaption")[0].text_content() for f in figures] == [HD, VC, CW]
    assert all(f.xpath(".//svg//rect") and f.xpath(".//svg/title") for f in figures)


def test_hostile_documents_come_out_escaped(
    flood: tuple[Comparison, dict[str, AnalyzedArticle]], hostile: tuple[Comparison, dict[str, AnalyzedArticle]]
) -> None:
    comparisons = [flood[0], hostile[0]]
    html = render_html(comparisons, {**flood[1], **hostile[1]})
    ids = set(strict_check(html))
    lowered = html.lower()
    assert "<script" not in lowered and "<img" not in lowered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # escaped, not dropped

    doc = lxml.html.document_fromstring(html)
    assert not doc.xpath("//script | //img | //iframe | //object | //embed | //link | //base | //form")
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            if name.lower() in {"src", "href", "xlink:href", "action", "formaction", "poster", "data"}:
                v = value.strip().lower()
                assert not v.startswith(("http", "//", "javascript:", "data:")), (name, value)
                assert v.startswith("#") and v[1:] in ids
    style = " ".join(s.text_content() for s in doc.iter("style"))
    assert "url(" not in style and "@import" not in style and "overflow-wrap: anywhere" in style

    # The hostile strings read back as text exactly, where a reader expects them.
    (section,) = [s for s in doc.xpath("//section") if HOSTILE_TITLE in s.xpath("./h2")[0].text_content()]
    text = section.text_content()
    for needle in (SCRIPT, IMG, JS_URL, ROGUE, LONG, ARABIC, f"[x]({JS_URL})"):
        assert needle in text
    assert re.fullmatch(r"[A-Za-z0-9_-]+", section.get("id"))
    arabic = [e for e in section.iter() if isinstance(e.tag, str) and (e.text or "").strip() == ARABIC]
    assert arabic and all(e.get("dir") == "auto" for e in arabic)
    unsafe_anchor = sentence_anchor(HOSTILE_ID, 3)
    assert re.fullmatch(r"[A-Za-z0-9_-]+", unsafe_anchor)
    assert ARABIC in doc.get_element_by_id(unsafe_anchor).text_content()
    # The unique Arabic claim is a matrix row whose cell links to that anchor.
    cells = matrix_cells(doc, section.get("id"))
    assert status(cells[ARABIC][ROGUE]) == "unique" and status(cells[ARABIC][HD]) == "absent"
    assert cells[ARABIC][ROGUE].xpath("./a")[0].get("href") == "#" + unsafe_anchor


def test_missing_analysis_still_anchors_cited_sentences(flood: tuple[Comparison, dict[str, AnalyzedArticle]]) -> None:
    comparison, articles = flood
    partial = {k: v for k, v in articles.items() if k != "vc-7"}
    html = render_html([comparison], partial)
    ids = set(strict_check(html))
    doc = lxml.html.document_fromstring(html)
    assert {a.get("href")[1:] for a in doc.iter("a")} <= ids
    assert articles["vc-7"].sentences[3].text in doc.get_element_by_id(sentence_anchor("vc-7", 3)).text_content()


def _cells(line: str) -> list[str]:
    """Split a pipe-table line on the pipes Markdown treats as cell borders (not the backslash-escaped ones)."""
    return re.split(r"(?<!\\)\|", line.strip())[1:-1]


def test_markdown_tables_and_escaping(
    flood: tuple[Comparison, dict[str, AnalyzedArticle]], hostile: tuple[Comparison, dict[str, AnalyzedArticle]]
) -> None:
    comparisons = [flood[0], hostile[0]]
    md = render_markdown(comparisons, {**flood[1], **hostile[1]})
    lines = md.splitlines()

    # Each table keeps its column count on every row, whatever the cells held (pipes, line breaks).
    tables: list[list[str]] = []
    for previous, line in zip(["", *lines], lines, strict=False):
        if line.startswith("|"):
            if not previous.startswith("|"):
                tables.append([])
            tables[-1].append(line)
    assert tables
    for table in tables:
        widths = {len(_cells(row)) for row in table}
        assert len(widths) == 1, table[:3]
        assert re.fullmatch(r"\|(---\|)+", table[1])
    headers = [_cells(t[0]) for t in tables]
    assert [" Claim ", f" {HD} ", f" {VC} ", f" {CW} "] in headers
    assert any(h[0].strip() == "Entity" for h in headers)
    assert "the Veran \\| council" in md
    assert 'Rogue \\| "Gazette" &lt;b&gt;' in md

    # No raw HTML from documents: the only tags are the report's own empty anchors.
    assert "<script" not in md and "<img" not in md and "&lt;script&gt;" in md
    assert "<" not in re.sub(r'<a id="[A-Za-z0-9_-]+"></a>', "", md)
    # A document's "[x](javascript:...)" must not become a link: its brackets are escaped.
    assert not re.search(r"(?<!\\)\]\(javascript:", md) and f"\\[x\\]({JS_URL})" in md
    # Links resolve to anchors defined in the same document.
    anchors = set(re.findall(r'<a id="([A-Za-z0-9_-]+)"></a>', md))
    targets = set(re.findall(r"\]\(#([^)]+)\)", md))
    assert targets and targets <= anchors, targets - anchors
    # The matrix cell of the Courier on the death toll says it conflicts and links to its sentence.
    assert "  - loaded: shameful (1)" in lines
    matrix = next(t for t in tables if _cells(t[0])[0].strip() == "Claim")
    deaths = next(row for row in matrix if "killed 5 people" in row)
    assert f"[conflicting](#{sentence_anchor('vc-7', 0)})" in _cells(deaths)[2]


def test_no_stories_still_renders() -> None:
    html = render_html([], {})
    strict_check(html)
    assert "No stories to compare." in lxml.html.document_fromstring(html).text_content()
    assert "No stories to compare." in render_markdown([], {})
