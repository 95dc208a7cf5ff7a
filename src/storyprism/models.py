"""Data classes passed between pipeline stages. Nothing else crosses a stage boundary."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from storyprism.analyze.attribution import Attribution
    from storyprism.analyze.entities import Entity
    from storyprism.analyze.framing import FramingMarker

DocFormat = Literal["text", "html"]
Genre = Literal["news", "opinion", "press_release", "analysis", "other"]


@dataclass(frozen=True)
class RawDoc:
    """One document as read from its source, decoded to text but otherwise untouched."""

    source: str
    """Where it came from: a path, ``path#n`` for the n-th record of a container, or ``-`` for stdin."""
    content: str
    format: DocFormat
    encoding: str | None = None
    url: str | None = None
    id: str | None = None
    """An id given by the input (a JSONL record's ``id``); kept as the article's id."""
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    fetched: str | None = None
    """When a crawler fetched it (WARC-Date), a fallback for the publication date."""


@dataclass
class PageParts:
    """What a body extractor (page dump or HTML) finds on one page, before metadata is resolved."""

    title: str | None = None
    body: list[str] = field(default_factory=list)
    """Body paragraphs in reading order: the standfirst (if any) first, sub-headings in place."""
    subheadings: list[str] = field(default_factory=list)
    """The entries of ``body`` that are sub-headings (kept in the body too: they are part of its flow)."""
    captions: list[str] = field(default_factory=list)
    """Image/video captions and credits: never part of ``body``."""
    standfirst: str | None = None
    """The deck under the title, when the page marks one; also ``body[0]``."""
    meta_lines: list[str] = field(default_factory=list)
    """Short lines around the title (byline, date, "Source: ..." lines, reference numbers)."""
    header: list[str] = field(default_factory=list)
    """Page lines before the article (site name, menus) -- where the outlet often names itself."""
    footer: list[str] = field(default_factory=list)
    """Page lines after the article (signature, copyright) -- likewise."""
    metadata: dict[str, str] = field(default_factory=dict)
    """The page's own metadata (JSON-LD, OpenGraph, <meta>): keys title, author, published, site_name,
    url, description, section, language, genre."""


@dataclass(frozen=True)
class FoundDate:
    """A date found on a page, with the text that gave it."""

    text: str
    value: str
    """ISO 8601: a date, or a date and time when the page gives one."""
    calendar: Literal["gregorian", "hijri"]
    where: str
    """metadata | dateline | meta_line | header | body | url | fetched | input"""


@dataclass(frozen=True)
class AgencyCredit:
    """A wire agency the article credits as a source of its text."""

    name: str
    """Canonical name from ``data/agencies.toml`` ("AFP", "AP", "Reuters", ...)."""
    evidence: str
    """The words that credit it, as written."""
    where: Literal["body", "byline", "meta_line", "metadata", "title"]
    start: int = -1
    end: int = -1
    """Character span of ``evidence`` in ``Article.text`` when ``where == "body"``, else -1."""


@dataclass
class Article:
    id: str
    source: str
    text: str
    """The body: paragraphs separated by blank lines."""
    title: str | None = None
    outlet: str | None = None
    outlet_method: str | None = None
    url: str | None = None
    byline: str | None = None
    published: str | None = None
    published_method: str | None = None
    published_confidence: float = 0.0
    published_notes: list[str] = field(default_factory=list)
    dates: list[FoundDate] = field(default_factory=list)
    language: str | None = None
    genre: Genre = "other"
    genre_signals: list[str] = field(default_factory=list)
    agencies: list[AgencyCredit] = field(default_factory=list)
    translated: bool = False
    translation_evidence: str | None = None
    reference: str | None = None
    standfirst: str | None = None
    subheadings: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    input_format: DocFormat = "text"

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``storyprism extract``: the stable contract fields first (DESIGN.md)."""
        d = asdict(self)
        d["agencies"] = [a.name for a in self.agencies]
        d["agency_evidence"] = [asdict(a) for a in self.agencies]
        first = ["id", "source", "outlet", "title", "published", "language", "genre", "agencies", "text"]
        return {**{k: d[k] for k in first}, **{k: v for k, v in d.items() if k not in first}}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        """The inverse of ``to_dict`` (what the store keeps); unknown keys are ignored."""
        names = {f for f in cls.__dataclass_fields__}
        values = {k: v for k, v in d.items() if k in names}
        values["dates"] = [FoundDate(**x) for x in d.get("dates", [])]
        values["agencies"] = [AgencyCredit(**x) for x in d.get("agency_evidence", [])]
        return cls(**values)


# --- cluster stage ---
@dataclass(frozen=True)
class ClusterDoc:
    """One document as the cluster stage sees it: built from an ``Article`` or a JSONL record."""

    id: str
    text: str
    title: str | None = None
    published: str | None = None
    """ISO 8601 date or date-time; None when unknown (the document is then compared without a time window)."""
    outlet: str | None = None
    entities: tuple[str, ...] = ()
    """Canonical entity names from the analyze stage (people, places, organisations), when it has run."""

    @classmethod
    def from_article(cls, article: Article, entities: tuple[str, ...] = ()) -> ClusterDoc:
        return cls(article.id, article.text, article.title, article.published, article.outlet, entities)

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> ClusterDoc:
        """A JSONL record ``{id, text, title?, published?, outlet?, entities?}``; raises ValueError when unusable."""
        if not isinstance(record, dict):
            raise ValueError("not a JSON object")
        if record.get("id") in (None, ""):
            raise ValueError("no id")
        text, title = record.get("text") or "", record.get("title") or ""
        for name, value in (("text", text), ("title", title)):
            if not isinstance(value, str):
                raise ValueError(f"{name} is not a string")
        if not (text.strip() or title.strip()):
            raise ValueError("no text or title")
        published = record.get("published")
        entities = record.get("entities") or ()
        if not isinstance(entities, list | tuple) or not all(isinstance(e, str) for e in entities):
            raise ValueError("entities must be a list of strings")
        return cls(
            str(record["id"]),
            text,
            title or None,
            str(published) if published else None,
            record.get("outlet") or None,
            tuple(entities),
        )


@dataclass
class Assignment:
    """Where one document went, and why."""

    id: str
    story: str
    duplicate_of: str | None = None
    """The earlier document this one copies (a syndicated wire copy or a re-publication), if any."""
    reused: float = 0.0
    """Estimated share of this document's text found in ``duplicate_of`` (0-1)."""
    nearest: str | None = None
    """The story member most similar to this document when it joined (None when it started the story)."""
    score: float = 0.0
    """The similarity to the story that decided the join (0 when it started the story)."""

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "story": self.story}
        if self.duplicate_of:
            d["duplicate_of"] = self.duplicate_of
            d["reused"] = round(self.reused, 3)
        return d


@dataclass
class StoryState:
    """One story inside the clusterer's state (plain data: it is written as JSON)."""

    id: str
    centroid: dict[str, float] = field(default_factory=dict)
    """Sum of the members' unit TF-IDF vectors (duplicates left out), pruned to the heaviest terms."""
    norm: float = 0.0
    size: int = 0
    """Members counted as coverage (duplicates are not)."""
    start: str | None = None
    end: str | None = None
    reps: list[tuple[str, dict[str, float]]] = field(default_factory=list)
    """A few members' own vectors (doc id, pruned unit vector): for the nearest member and the title."""
    skeletons: dict[str, int] = field(default_factory=dict)
    """Script-neutral name keys of the members and how many members have each (for other-script documents)."""
    scripts: list[str] = field(default_factory=list)
    """The scripts its members are written in (latin, arabic, ...)."""
    members: list[Assignment] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)
    """Member id -> title, for the story's own title (its most central member's)."""
    embedding: list[float] | None = None
    """Semantic path only: sum of the members' unit sentence embeddings (None on the core path)."""
    rep_embeddings: dict[str, list[float]] = field(default_factory=dict)
    """Semantic path only: the representatives' own unit embeddings, by doc id."""


@dataclass
class StorySummary:
    id: str
    title: str | None
    """The title of the story's most central member."""
    start: str | None
    end: str | None
    members: list[Assignment]


@dataclass
class ClusterState:
    """Everything the clusterer needs to go on with new documents: JSON-serialisable, no pickle."""

    version: int = 1
    n_docs: int = 0
    """Documents counted in ``df`` (duplicates are not counted)."""
    df: dict[str, int] = field(default_factory=dict)
    """Online document frequencies: IDF always comes from the documents seen so far."""
    stories: dict[str, StoryState] = field(default_factory=dict)
    next_story: int = 0
    doc_story: dict[str, str] = field(default_factory=dict)
    signatures: dict[str, str] = field(default_factory=dict)
    """MinHash signature (base64 of uint32 values) and shingle count, per document id: ``"n:base64"``."""
    exact: dict[str, str] = field(default_factory=dict)
    """Hash of the normalised text -> first document id with it."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ClusterState:
        stories = {}
        for sid, s in d.get("stories", {}).items():
            members = [Assignment(**m) for m in s.get("members", [])]
            reps = [(doc_id, vec) for doc_id, vec in s.get("reps", [])]
            stories[sid] = StoryState(**{**s, "members": members, "reps": reps})
        return cls(**{**d, "stories": stories})


# --- analyze stage ---
@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    """Character span in ``Article.text``."""
    text: str
    kind: str
    """claim | opinion | quote | call_to_action | other"""
    signals: list[str]
    """What decided ``kind`` ("attribution:say", "loaded:betrayal", ...)."""
    subjectivity: float


@dataclass
class AnalyzedArticle:
    """An Article with its sentences, canonical entities, attributions and framing markers; every
    finding carries the sentence index and the character span in ``article.text``."""

    article: Article
    sentences: list[Sentence]
    entities: list[Entity]
    attributions: list[Attribution]
    framing: list[FramingMarker]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``storyprism analyze``: the extract fields plus the analysis."""
        return {
            **self.article.to_dict(),
            "sentences": [asdict(s) for s in self.sentences],
            "entities": [asdict(e) for e in self.entities],
            "attributions": [asdict(a) for a in self.attributions],
            "framing": [asdict(m) for m in self.framing],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> AnalyzedArticle:
        """The inverse of ``to_dict``: the store keeps analyses as JSON and rebuilds them for the compare stage."""
        from storyprism.analyze.attribution import Attribution, Span
        from storyprism.analyze.entities import Entity, Mention
        from storyprism.analyze.framing import FramingMarker

        def span(x: dict | None) -> Span | None:
            return Span(**x) if x else None

        def attribution(x: dict) -> Attribution:
            return Attribution(
                source=span(x["source"]),
                cue=Span(**x["cue"]),
                content=span(x["content"]),
                kind=x["kind"],
                via=[attribution(v) for v in x["via"]],
                sentence=x["sentence"],
                content_parts=tuple(Span(**p) for p in x.get("content_parts", ())),
            )

        return cls(
            article=Article.from_dict(d),
            sentences=[Sentence(**x) for x in d["sentences"]],
            entities=[Entity(**{**x, "mentions": [Mention(**m) for m in x["mentions"]]}) for x in d["entities"]],
            attributions=[attribution(x) for x in d["attributions"]],
            framing=[FramingMarker(**x) for x in d["framing"]],
        )


# --- compare stage ---
@dataclass(frozen=True)
class SentenceRef:
    """One sentence of one article: the evidence every comparison finding points to."""

    article: str
    sentence: int
    text: str
    start: int
    end: int
    """Character span in the article's ``text``."""


@dataclass
class Origin:
    """Where a claim came from, as far as the articles say, with the reason for the decision."""

    key: str
    """What independence is counted on: "agency:AFP", "source:Health Ministry", "outlet:Al Sahil"."""
    kind: str
    """agency (a wire or state agency credited) | source (a named source cited without an agency) |
    own (the outlet's own reporting or unattributed text)"""
    name: str
    articles: list[str]
    cited: list[str] = field(default_factory=list)
    """The sources the articles name within this origin ("a diplomatic source in Damascus")."""
    why: list[str] = field(default_factory=list)
    """One line per decision: which sentence, attribution, credit or text reuse put the claim here."""


@dataclass
class ClaimGroup:
    """One claim as several articles report it (or as one article alone does)."""

    id: str
    text: str
    """The representative wording: the member sentence closest to all the others."""
    support: list[SentenceRef]
    articles: list[str]
    outlets: list[str]
    origins: list[Origin]
    independent_origins: int
    reuse: list[str] = field(default_factory=list)
    """Text reuse between members ("a shared verbatim quote", "near-copy sentence"), one line each."""
    kinds: dict[str, int] = field(default_factory=dict)
    """Sentence kinds of the members (claim, quote, opinion, ...) and how many of each."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "articles": self.articles,
            "outlets": self.outlets,
            "origins": [asdict(o) for o in self.origins],
            "independent_origins": self.independent_origins,
            "support": [asdict(s) for s in self.support],
            "reuse": self.reuse,
            "kinds": self.kinds,
        }


@dataclass
class Conflict:
    """One detail reported differently: each side's value with the sentence that states it."""

    kind: str
    """count | date | place"""
    what: str
    """The detail in dispute ("killed", "wounded", "day of the event")."""
    sides: list[dict[str, Any]]
    """Per distinct value: {"value", "articles", "outlets", "support": [SentenceRef as dict], "attributed_to"}."""
    claim: str | None = None
    """The claim group the sentences belong to, when they are aligned."""


@dataclass
class OutletFraming:
    """The same measures for every outlet of a story, computed from its articles in the story."""

    outlet: str
    articles: list[str]
    sentences: int
    kinds: dict[str, int]
    """Sentence kind -> count."""
    opinion_share: float
    """(opinion + call_to_action) / sentences that are not "other"."""
    claim_share: float
    """(claim + quote) / sentences that are not "other"."""
    markers: dict[str, int]
    """Framing category -> count."""
    terms: list[dict[str, Any]]
    """[{"category", "term", "count"}], most frequent first."""
    agencies: list[str]
    sourcing: dict[str, int]
    """How its claim sentences are sourced: attributed, agency, unattributed."""


@dataclass
class StoryArticle:
    id: str
    outlet: str
    title: str | None
    published: str | None
    genre: str
    source: str
    duplicate_of: str | None = None
    reused: float = 0.0


@dataclass
class Comparison:
    """One story compared across the outlets that covered it (the ``compare`` stage's output)."""

    id: str
    title: str | None
    start: str | None
    end: str | None
    articles: list[StoryArticle]
    claims: list[ClaimGroup]
    """Claims carried by two articles or more, most widely carried first."""
    unique: dict[str, list[SentenceRef]]
    """Article id -> the claims only it carries."""
    omitted: dict[str, list[str]]
    """Article id -> ids of claim groups that most other articles carry and it does not."""
    conflicts: list[Conflict]
    framing: dict[str, list[dict[str, Any]]]
    """Article id -> [{"category", "term", "count"}]."""
    outlets: list[OutletFraming]
    labels: dict[str, dict[str, list[str]]]
    """Canonical entity -> outlet -> the surface forms (names and designations) it uses."""

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``storyprism compare`` (DESIGN.md), plus the explanations."""
        return {
            "id": self.id,
            "title": self.title,
            "start": self.start,
            "end": self.end,
            "articles": [asdict(a) for a in self.articles],
            "claims": [c.to_dict() for c in self.claims],
            "unique": {k: [s.text for s in v] for k, v in self.unique.items()},
            "unique_support": {k: [asdict(s) for s in v] for k, v in self.unique.items()},
            "omitted": self.omitted,
            "conflicts": [asdict(c) for c in self.conflicts],
            "framing": self.framing,
            "outlets": [asdict(o) for o in self.outlets],
            "labels": self.labels,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Comparison:
        """The inverse of ``to_dict`` (the store keeps each story's comparison as JSON)."""
        claims = [
            ClaimGroup(
                id=c["id"],
                text=c["text"],
                support=[SentenceRef(**r) for r in c["support"]],
                articles=c["articles"],
                outlets=c["outlets"],
                origins=[Origin(**o) for o in c["origins"]],
                independent_origins=c["independent_origins"],
                reuse=c.get("reuse", []),
                kinds=c.get("kinds", {}),
            )
            for c in d["claims"]
        ]
        return cls(
            id=d["id"],
            title=d["title"],
            start=d["start"],
            end=d["end"],
            articles=[StoryArticle(**a) for a in d["articles"]],
            claims=claims,
            unique={k: [SentenceRef(**r) for r in v] for k, v in d.get("unique_support", {}).items()},
            omitted=d.get("omitted", {}),
            conflicts=[Conflict(**c) for c in d["conflicts"]],
            framing=d["framing"],
            outlets=[OutletFraming(**o) for o in d["outlets"]],
            labels=d["labels"],
        )
