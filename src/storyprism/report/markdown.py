"""The report as plain Markdown: the same content as the HTML page, with tables for the matrix and the labels.

Document text can neither break a table nor inject markup: ``&``, ``<`` and ``>`` become entities, Markdown
punctuation is backslash-escaped, line breaks are folded. The only raw HTML is the report's own empty
``<a id>`` anchors, whose ids are slugs (see ``anchors.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from storyprism.models import AnalyzedArticle, Comparison
from storyprism.report.charts import categories
from storyprism.report.evidence import SentenceLink
from storyprism.report.view import ArticleRef, StoryView, Tag, build_views

# Backslash escapes are defined for all ASCII punctuation; these are the ones that start markup inline
# (links, images, emphasis, code, strike-through, table cells, headings).
_INLINE = re.compile(r"([\\`*_\[\]|~#!])")
# Characters that start a block only at the beginning of a line (a list, a setext heading, a numbered list).
_LEADING = re.compile(r"^([-+=]|\d+[.)])")


def md(value: object) -> str:
    """Document text as inline Markdown that renders as exactly that text."""
    text = " ".join(str(value).splitlines())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE.sub(r"\\\1", text)
    return _LEADING.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], text.strip())


def anchor(target: str) -> str:
    return f'<a id="{target}"></a>'


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A pipe table from cells that are already Markdown (escaped by the caller)."""
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return [*out, ""]


def sentence_link(lk: SentenceLink, with_outlet: bool = True) -> str:
    label = f"{md(lk.outlet)} · sentence {lk.sentence}" if with_outlet else f"sentence {lk.sentence}"
    return f"[{label}](#{lk.anchor})"


def article_link(ref: ArticleRef) -> str:
    label = f"{md(ref.outlet)}: {md(ref.title)}"
    return f"[{label}](#{ref.anchor})" if ref.anchor else label


def counts(mapping: Mapping[str, int]) -> str:
    return " · ".join(f"{md(k.replace('_', ' '))} {n}" for k, n in mapping.items())


def render_markdown(
    comparisons: Sequence[Comparison],
    articles: Mapping[str, AnalyzedArticle],
    *,
    title: str = "storyprism report",
) -> str:
    """The report in Markdown; ``articles`` maps article id -> its analysis (for the sentences in context)."""
    stories = build_views(comparisons, articles)
    lines = [f"# {md(title)}", "", "## Stories", ""]
    if stories:
        header = ["Story", "Time span", "Outlets", "Articles", "Shared claims", "Unique claims", "Conflicts"]
        rows = [
            [
                f"[{md(s.title)}](#{s.anchor})",
                md(s.span),
                str(len(s.outlets)),
                str(len(s.articles)),
                str(s.shared_count),
                str(s.unique_count),
                str(len(s.conflicts)),
            ]
            for s in stories
        ]
        lines += table(header, rows)
    else:
        lines += ["No stories to compare.", ""]
    for story in stories:
        lines += _story(story, comparisons)
    return "\n".join(lines).rstrip() + "\n"


def _story(story: StoryView, comparisons: Sequence[Comparison]) -> list[str]:
    lines = [anchor(story.anchor), f"## {md(story.title)}", ""]
    lines += [
        f"- Time span: {md(story.span)}",
        f"- Outlets ({len(story.outlets)}): {' · '.join(md(o) for o in story.outlets)}",
        f"- Claims: {story.shared_count} shared · {story.unique_count} unique · "
        f"{len(story.conflicts)} conflicting details",
        f"- Story id: {md(story.id)}",
        "",
        "### Articles",
        "",
    ]
    lines += table(
        ["Outlet", "Title", "Published", "Genre", "Wire copy"],
        (
            [
                md(a.outlet),
                f"[{md(a.title or a.id)}](#{a.anchor})",
                md(a.published or "unknown"),
                md(a.genre.replace("_", " ")),
                f"copy of {article_link(a.duplicate_of)} ({round(a.reused * 100)} % reused)" if a.duplicate_of else "",
            ]
            for a in story.articles
        ),
    )
    lines += _matrix(story)
    lines += _claims(story)
    lines += _unique(story)
    lines += _conflicts(story)
    lines += _labels(story)
    comparison = next(c for c in comparisons if c.id == story.id)
    lines += _framing(story, categories(comparison.outlets))
    lines += _texts(story)
    return lines


def _matrix(story: StoryView) -> list[str]:
    lines = [
        "### Claims × outlets",
        "",
        "✓ carries the claim · unique: only this outlet · conflicting: reports the detail differently · "
        "empty: does not report it (\\* left out though most others carry it). Each cell links to its sentence "
        "(sentences are numbered from 0, as in the origin notes).",
        "",
    ]
    if not story.rows:
        return [*lines, "No claims were found in this story.", ""]
    rows = []
    for row in story.rows:
        cells = [f"[**{row.label}**](#{row.target}) {md(row.text)}"]
        for cell in row.cells:
            if cell.status == "absent":
                cells.append("\\*" if cell.omitted else "")
                continue
            label = "✓" if cell.status == "supports" else cell.status
            links = [f"[{label if i == 0 else f'+{i}'}](#{lk.anchor})" for i, lk in enumerate(cell.links)]
            cells.append(" ".join((links or [label]) + [f"({md(v)})" for v in cell.values]))
        rows.append(cells)
    return lines + table(["Claim", *(md(o) for o in story.outlets)], rows)


def _claims(story: StoryView) -> list[str]:
    lines = ["### Where each shared claim came from", ""]
    if not story.claims:
        return [*lines, "No claim is carried by more than one article.", ""]
    for c in story.claims:
        plural = "origin" if c.independent_origins == 1 else "origins"
        lines += [anchor(c.anchor), f"#### {c.label} {md(c.text)}", ""]
        carried = " · ".join(md(o) for o in c.outlets)
        lines.append(f"- **{c.independent_origins} independent {plural}**; carried by {carried}")
        if c.kinds:
            lines.append(f"- Sentence kinds: {counts(c.kinds)}")
        for o in c.origins:
            lines.append(f"- Origin: **{md(o.name)}** ({md(o.kind)}, {md(o.key)})")
            if o.articles:
                lines.append(f"  - in: {'; '.join(article_link(r) for r in o.articles)}")
            if o.cited:
                lines.append(f"  - cited: {'; '.join(md(s) for s in o.cited)}")
            lines += [f"  - {md(w)}" for w in o.why]
        if c.reuse:
            lines.append("- Text reuse:")
            lines += [f"  - {md(r)}" for r in c.reuse]
        lines.append("- Sentences:")
        lines += [f"  - {sentence_link(lk)}: {md(lk.text)}" for lk in c.support]
        lines.append("")
    return lines


def _unique(story: StoryView) -> list[str]:
    lines = ["### What only one article reports, and what it leaves out", ""]
    for a in story.articles:
        lines += [f"#### [{md(a.outlet)}: {md(a.title or a.id)}](#{a.anchor})", ""]
        for label, target, lk in a.unique:
            lines.append(f"- {anchor(target)}**{label}** {md(lk.text)} ({sentence_link(lk, with_outlet=False)})")
        if not a.unique:
            lines.append("- No claim of its own.")
        if a.omitted:
            lines.append("- Leaves out (carried by most others):")
            lines += [f"  - [{label}](#{target}) {md(text)}" for label, target, text in a.omitted]
        lines.append("")
    return lines


def _conflicts(story: StoryView) -> list[str]:
    lines = ["### Conflicting details", ""]
    if not story.conflicts:
        return [*lines, "No conflicting details were found.", ""]
    for x in story.conflicts:
        claim = f" (claim [{x.claim[0]}](#{x.claim[1]}))" if x.claim else ""
        lines += [f"- {anchor(x.anchor)}**{x.label}** {md(x.kind)}: **{md(x.what)}**{claim}"]
        for side in x.sides:
            attributed = f", attributed to {md(side.attributed_to)}" if side.attributed_to else ""
            lines.append(f"  - **{md(side.value)}**: {' · '.join(md(o) for o in side.outlets)}{attributed}")
            lines += [f"    - {sentence_link(lk)}: {md(lk.text)}" for lk in side.sentences]
    return [*lines, ""]


def _labels(story: StoryView) -> list[str]:
    lines = ["### Labels for the same actors", ""]
    if not story.labels:
        return [*lines, "No entity is named by more than one outlet.", ""]
    rows = (
        [md(entity), *("; ".join(md(f) for f in forms) for forms in per_outlet)] for entity, per_outlet in story.labels
    )
    return lines + table(["Entity", *(md(o) for o in story.label_outlets)], rows)


def _framing(story: StoryView, cats: list[str]) -> list[str]:
    lines = [
        "### Framing by outlet",
        "",
        "Shares are of the sentences that are opinion, calls to action, claims or quotes; the same measures for "
        "every outlet.",
        "",
    ]
    if story.framing:
        header = ["Outlet", "Sentences", "Opinion", "Reported claims", *(md(c.replace("_", " ")) for c in cats)]
        rows = []
        for f in story.framing:
            shares = [b.shown for b in f.chart.bars[:2]]
            markers = [b.shown for b in f.chart.bars[2:]]
            rows.append([md(f.outlet), str(f.sentences), *shares, *markers])
        lines += table(header, rows)
        for f in story.framing:
            lines.append(f"- **{md(f.outlet)}**: {'; '.join(article_link(r) for r in f.articles)}")
            if f.kinds:
                lines.append(f"  - sentence kinds: {counts(f.kinds)}")
            if f.sourcing:
                lines.append(f"  - claims sourced: {counts(f.sourcing)}")
            if f.agencies:
                lines.append(f"  - agencies: {', '.join(md(a) for a in f.agencies)}")
        lines.append("")
    with_terms = [a for a in story.articles if a.terms]
    if with_terms:
        lines += ["#### Framing terms by article", ""]
        for a in with_terms:
            lines.append(f"- [{md(a.outlet)}: {md(a.title or a.id)}](#{a.anchor})")
            for category, terms in a.terms:
                listed = " · ".join(f"{md(term)} ({md(n)})" for term, n in terms)
                lines.append(f"  - {md(category.replace('_', ' '))}: {listed}")
        lines.append("")
    return lines


def _texts(story: StoryView) -> list[str]:
    lines = ["### Articles in context", ""]
    for a in story.articles:
        lines += [anchor(a.anchor), f"#### {md(a.title or a.id)}", ""]
        lines += [
            f"- Outlet: {md(a.outlet)}",
            f"- Published: {md(a.published or 'unknown')}",
            f"- Genre: {md(a.genre.replace('_', ' '))}",
            f"- Source: {md(a.source)}",
        ]
        if a.url:
            # Never a link: the URL is the document's claim about itself, shown for reference only.
            lines.append(f"- URL: {md(a.url)}")
        lines.append(f"- Article id: {md(a.id)}")
        if a.duplicate_of:
            lines.append(f"- Wire copy of {article_link(a.duplicate_of)} ({round(a.reused * 100)} % reused)")
        lines.append("")
        if a.shown_in:
            lines += [f"Its sentences are shown under [an earlier story](#{a.shown_in}).", ""]
            continue
        if a.text_missing:
            lines += ["The analyzed text was not supplied; only the cited sentences are shown.", ""]
        for para in a.paragraphs:
            lines += [" ".join(_sentence(s.anchor, f"{s.index} · {s.kind}", s.text, s.tags) for s in para), ""]
        if a.stray:
            lines += ["Cited sentences" + (" not found in the analyzed text:" if a.paragraphs else ":"), ""]
            lines += [f"- {_sentence(s.anchor, f'sentence {s.index}', s.text, s.tags)}" for s in a.stray]
            lines.append("")
    return lines


def _sentence(target: str, kind: str, text: str, tags: Sequence[Tag]) -> str:
    refs = "".join(f" [{t.label}](#{t.anchor})" for t in tags)
    return f"{anchor(target)}*\\[{md(kind.replace('_', ' '))}\\]* {md(text)}{refs}"
