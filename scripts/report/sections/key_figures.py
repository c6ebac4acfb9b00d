"""Key figures: exports, imports, balance and coverage, with the fiche's precision.

Why its own section: these are the headline numbers a reader compares with
the customs' published fiche, each with its context lines (share of the
region and of France, change on the previous year); the flow sections repeat
the share lines under their diagrams.
"""

from __future__ import annotations

from dataclasses import dataclass

from scripts.report import charts
from scripts.report import formatting as fmt
from scripts.report.queries import Row, TerritoryKey
from scripts.report.sections.common import FLOWS, Money


@dataclass(frozen=True)
class FigureNote:
    """A context line under a figure: "soit <value> des exportations de la France"."""

    id: str
    prefix: str
    value: str
    suffix: str


@dataclass(frozen=True)
class FlowFigure:
    """Exports or imports of the year, with their context lines."""

    id: str
    label: str
    money: Money
    notes: list[FigureNote]


@dataclass(frozen=True)
class BalanceFigure:
    """The trade balance and its change on the previous year."""

    id: str
    label: str
    money: Money
    positive: bool
    notes: list[FigureNote]


@dataclass(frozen=True)
class Coverage:
    """The coverage ratio (exports / imports), a dash when there are no imports."""

    id: str
    label: str
    value: str


@dataclass(frozen=True)
class KeyFigures:
    """What templates/sections/key_figures.html shows."""

    flows: list[FlowFigure]
    balance: BalanceFigure
    coverage: Coverage

    def shares(self) -> dict[str, list[FigureNote]]:
        """Per flow, its share lines (of the region, of France), repeated under the diagrams."""
        return {
            flow: [note for note in figure.notes if "share" in note.id]
            for flow, figure in zip(FLOWS, self.flows, strict=True)
        }


def _share_notes(level: str, flow: str, row: Row, with_region: bool) -> list[FigureNote]:
    """Share of the region (departments, unless the region has no other) and of France."""
    notes = []
    words = charts.FLOW_WORDS[flow]
    if level == "department" and with_region:
        region = f"de la région {row['region_name']}" if row.get("region_name") else ""
        notes.append(
            FigureNote(
                id=f"{flow}_share_of_region",
                prefix="soit",
                value=fmt.percent(row[f"{flow}_share_of_region"]),
                suffix=f"des {words} {region}",
            )
        )
    if level in ("department", "region"):
        notes.append(
            FigureNote(
                id=f"{flow}_share_of_france",
                prefix="soit",
                value=fmt.percent(row[f"{flow}_share_of_france"], 2),
                suffix=f"des {words} de la France",
            )
        )
    return notes


def _flow_figure(level: str, flow: str, row: Row, previous: int, with_region: bool) -> FlowFigure:
    plural = "exports" if flow == "export" else "imports"
    notes = _share_notes(level, flow, row, with_region)
    change = row[f"{plural}_change_ratio"]
    if change is not None:
        before = fmt.million_eur_with_unit(row[f"{plural}_previous_year_eur"])
        notes.append(
            FigureNote(
                id=f"{plural}_change",
                prefix="",
                value=fmt.percent(change, 1, signed=True),
                suffix=f"par rapport à {previous} ({before})",
            )
        )
    return FlowFigure(
        id=plural,
        label=charts.FLOW_WORDS[flow].capitalize(),
        money=Money.of(row[f"{plural}_eur"]),
        notes=notes,
    )


def build(key: TerritoryKey, row: Row, year: int, with_region: bool = True) -> KeyFigures:
    """The headline figures of a territory (its key_figures row) for ``year``.

    ``with_region`` False drops the share of the region, always 100 % for
    the one department of a region (overseas, Corsica).
    """
    previous = year - 1
    balance_notes = []
    if row["balance_change_eur"] is not None:
        balance_notes.append(
            FigureNote(
                id="balance_change",
                prefix="",
                value=fmt.million_eur_with_unit(row["balance_change_eur"], signed=True),
                suffix=f"par rapport à {previous}",
            )
        )
    coverage = row["coverage_ratio"]
    return KeyFigures(
        flows=[_flow_figure(key[0], flow, row, previous, with_region) for flow in FLOWS],
        balance=BalanceFigure(
            id="balance",
            label="Solde commercial",
            money=Money.of(row["balance_eur"], signed=True),
            positive=row["balance_eur"] >= 0,
            notes=balance_notes,
        ),
        coverage=Coverage(
            id="coverage",
            label="Taux de couverture",
            value=fmt.percent(coverage) if coverage is not None else "–",
        ),
    )
