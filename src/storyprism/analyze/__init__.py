"""Analyze stage: Article -> AnalyzedArticle (sentences and their kind, canonical entities,
attributions, framing markers), each finding tied to its sentence and character span."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from storyprism.analyze.attribution import find_attributions
from storyprism.analyze.attribution_quotes import find_quotes
from storyprism.analyze.claims import classify_sentence
from storyprism.analyze.entities import find_entities
from storyprism.analyze.framing import find_framing
from storyprism.models import AnalyzedArticle, Article, Sentence
from storyprism.nlp import load_nlp
from storyprism.read import ErrorHandler, ReadError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["AnalyzeError", "analyze", "analyze_many"]


class AnalyzeError(Exception):
    """An article that cannot be analyzed; the message names its source and the reason in one line."""


def analyze(article: Article, nlp: Language | None = None) -> AnalyzedArticle:
    """Analyze one article (the spaCy pipeline is loaded once per process unless one is passed)."""
    return next(analyze_many([article], nlp))


def analyze_many(
    articles: Iterable[Article],
    nlp: Language | None = None,
    batch_size: int = 16,
    n_process: int = 1,
    on_error: ErrorHandler | None = None,
) -> Iterator[AnalyzedArticle]:
    """Analyze a stream of articles, parsing them in batches with one pipeline; ``n_process`` > 1 parses
    in that many worker processes (the parse is most of the cost; on 2 cores, 2 workers are ~1.5x faster).

    An article the stage cannot take (a text over the parser's length limit, or one that trips a rule) is
    passed to ``on_error`` as a ReadError (its source and a one-line reason) and left out, so that one page
    does not end a run over thousands; without ``on_error`` it raises AnalyzeError."""
    nlp = nlp or load_nlp()

    def fail(article: Article, reason: str) -> None:
        if on_error is None:
            raise AnalyzeError(f"{article.source}: {reason}")
        on_error(ReadError(article.source, reason))

    def parseable() -> Iterator[tuple[str, Article]]:
        for article in articles:
            if len(article.text) > nlp.max_length:
                # spaCy refuses such texts (its parser and NER need about 1 GB per 100,000 characters).
                fail(article, f"article text is {len(article.text):,} characters, over the parser's limit of "
                              f"{nlp.max_length:,}")  # fmt: skip
            else:
                yield article.text, article

    for doc, article in nlp.pipe(parseable(), as_tuples=True, batch_size=batch_size, n_process=n_process):
        try:
            analyzed = _analyze_doc(doc, article)
        except Exception as exc:  # a rule tripping on one odd page is reported with the page, not fatal
            fail(article, f"analysis failed ({type(exc).__name__}: {exc})")
            continue
        yield analyzed


def _analyze_doc(doc: Doc, article: Article) -> AnalyzedArticle:
    entities = find_entities(doc, published=article.published)
    return AnalyzedArticle(
        article=article,
        sentences=_sentences(doc),
        entities=entities,
        attributions=find_attributions(doc),
        framing=find_framing(doc, entities=entities),
    )


def _sentences(doc: Doc) -> list[Sentence]:
    """Every sentence of the body with its kind; a sentence inside a quotation that runs over several
    sentences is classified as quoted speech, not as the outlet's own voice."""
    quotes = [(q.start, q.end) for q in find_quotes(doc.text) if not q.scare]
    out = []
    for index, sent in enumerate(doc.sents):
        text = sent.text.strip()
        start = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
        end = start + len(text)
        in_quote = any(qs <= start and end <= qe + 1 for qs, qe in quotes)
        kind = classify_sentence(sent, in_quote=in_quote)
        out.append(Sentence(index, start, end, text, kind.kind, list(kind.signals), kind.subjectivity))
    return out
