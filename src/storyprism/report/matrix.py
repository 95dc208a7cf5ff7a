"""The claim x outlet matrix: for every claim row and outlet, whether the outlet carries it, alone, differently
(a conflict), or not at all -- with the sentences that show it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from storyprism.models import Comparison, Conflict, SentenceRef
from storyprism.report.anchors import claim_anchor, unique_anchor
from storyprism.report.evidence import SentenceLink, link, side_outlets, side_refs

Status = Literal["supports", "unique", "conflicting", "absent"]


@dataclass
class Cell:
    outlet: str
    status: Status
    links: list[SentenceLink]
    note: str
    """What the cell means, in words (the cell's title: an empty cell must still say something)."""
    values: list[str] = field(default_factory=list)
    """For a conflicting cell: the value(s) this outlet gives."""
    omitted: bool = False
    """Absent, and the compare stage lists it among what this outlet's article leaves out."""


@dataclass
class Row:
    label: str
    """"C1", "U2": short labels the rest of the report refers to."""
    text: str
    kind: Literal["shared", "unique"]
    target: str
    """Anchor of the row's details (the claim's origins, or the unique claim in its article's list)."""
    cells: list[Cell]


def matrix_rows(
    comparison: Comparison,
    outlets: Sequence[str],
    outlet_of: Mapping[str, str],
    claim_labels: Mapping[str, str],
    unique_labels: Mapping[tuple[str, int], str],
) -> list[Row]:
    rows: list[Row] = []
    for group in comparison.claims:
        omitted_by = {outlet_of.get(a, a) for a, ids in comparison.omitted.items() if group.id in ids}
        cells = [
            _cell(o, group.support, "supports", group.id, comparison.conflicts, outlet_of, o in omitted_by)
            for o in outlets
        ]
        rows.append(Row(claim_labels[group.id], group.text, "shared", claim_anchor(comparison.id, group.id), cells))
    for article, refs in comparison.unique.items():
        for position, ref in enumerate(refs):
            cells = [_cell(o, [ref], "unique", None, comparison.conflicts, outlet_of, False) for o in outlets]
            rows.append(
                Row(
                    unique_labels[(article, position)],
                    ref.text,
                    "unique",
                    unique_anchor(comparison.id, article, position),
                    cells,
                )
            )
    return rows


def _cell(
    outlet: str,
    support: Sequence[SentenceRef],
    carried: Status,
    claim_id: str | None,
    conflicts: Sequence[Conflict],
    outlet_of: Mapping[str, str],
    omitted: bool,
) -> Cell:
    own = [link(r, outlet_of) for r in support if outlet_of.get(r.article, r.article) == outlet]
    row_keys = {(r.article, r.sentence) for r in support}
    conflict_links: list[SentenceLink] = []
    values: list[str] = []
    for conflict in conflicts:
        sides = conflict.sides or []
        # A conflict belongs to the row when the compare stage aligned it with the claim, or when one of its
        # sentences is one of the row's: either way each outlet on a side reports this detail its own way.
        aligned = claim_id is not None and conflict.claim == claim_id
        if not aligned and not any((r.article, r.sentence) in row_keys for s in sides for r in side_refs(s)):
            continue
        for side in sides:
            if outlet not in side_outlets(side, outlet_of):
                continue
            values.append(f"{conflict.what}: {side.get('value', '')}")
            conflict_links += [link(r, outlet_of) for r in side_refs(side) if outlet_of.get(r.article) == outlet]
    if values:
        links = list({lk.anchor: lk for lk in conflict_links or own}.values())
        note = f"{outlet} reports this detail differently ({'; '.join(values)})"
        return Cell(outlet, "conflicting", links, note, values)
    if own:
        note = f"only {outlet} reports this" if carried == "unique" else f"{outlet} carries this claim"
        return Cell(outlet, carried, own, note)
    note = f"{outlet} does not report this"
    if omitted:
        note += " (left out, though most other articles carry it)"
    return Cell(outlet, "absent", [], note, omitted=omitted)
