"""Section 6.7, top movers: the products and countries whose trade rose or fell most.

Why per horizon: the page shows the change on one year (with a chart per
flow) and, folded, on five years, from reports/queries/top_movers.sql.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scripts.report import charts
from scripts.report import formatting as fmt
from scripts.report.charts import Spec, escape, million
from scripts.report.queries import Row, TerritoryKey
from scripts.report.sections.common import Chart, Money, SiteView, territory_chart

MOVER_GROUPS = (
    ("export", "product", "Produits exportés"),
    ("export", "partner", "Pays clients"),
    ("import", "product", "Produits importés"),
    ("import", "partner", "Pays fournisseurs"),
)
HORIZONS = (("1y", "sur un an"), ("5y", "sur cinq ans"))


@dataclass(frozen=True)
class MoverRow:
    """A product or country that rose (gain) or fell (loss)."""

    direction: str
    rank: int
    code: str
    label: str
    base: Money
    value: Money
    change: Money
    positive: bool
    ratio: str


@dataclass(frozen=True)
class MoverGroup:
    """The gains then losses of one flow and item type; ``ordered`` is the chart's order."""

    flow: str
    item_type: str
    title: str
    rows: list[MoverRow]
    ordered: list[Row]


@dataclass(frozen=True)
class MoverHorizon:
    """What templates/sections/exposure/movers.html shows for one horizon."""

    horizon: str
    words: str
    base_year: int
    groups: list[MoverGroup]
    charts: list[Chart]


def _mover_row(row: Row) -> MoverRow:
    ratio = row["change_ratio"]
    return MoverRow(
        direction=row["direction"],
        rank=row["mover_rank"],
        code=row["item_code"],
        label=row["item_label"],
        base=Money.of(row["base_value_eur"]),
        value=Money.of(row["value_eur"]),
        change=Money.of(row["change_eur"], signed=True),
        positive=row["change_eur"] > 0,
        ratio=fmt.percent(ratio, 1, signed=True) if ratio is not None else "nouveau",
    )


def _group(rows: Sequence[Row], flow: str, item_type: str, title: str) -> MoverGroup:
    chosen = [r for r in rows if r["flow"] == flow and r["item_type"] == item_type]
    gains = sorted((r for r in chosen if r["direction"] == "gain"), key=lambda r: r["mover_rank"])
    losses = sorted((r for r in chosen if r["direction"] == "loss"), key=lambda r: r["mover_rank"])
    return MoverGroup(
        flow=flow,
        item_type=item_type,
        title=title,
        rows=[_mover_row(r) for r in [*gains, *losses]],
        ordered=[*gains, *reversed(losses)],
    )


def _charts(site: SiteView, key: TerritoryKey, groups: list[MoverGroup], words: str) -> list[Chart]:
    """One chart per flow of its products' gains and losses."""
    out = []
    for flow in ("export", "import"):
        products = next(g for g in groups if g.flow == flow and g.item_type == "product")
        if not products.ordered:
            continue
        word = charts.FLOW_WORDS[flow]
        out.append(
            territory_chart(
                key,
                f"movers-{flow}",
                "bar",
                f"Les produits dont les {word} {site.name_de(key)} ont le plus "
                f"augmenté (en vert) ou baissé (en rouge) {words}, "
                "en millions d'euros.",
                movers_chart(products.ordered),
            )
        )
    return out


def build(site: SiteView, key: TerritoryKey) -> list[MoverHorizon]:
    """Per horizon (1 year, then 5 years): a chart per flow (1 year only), a table per group."""
    rows = site.data.top_movers.get(key, [])
    horizons = []
    for horizon, words in HORIZONS:
        of_horizon = [row for row in rows if row["horizon"] == horizon]
        if not of_horizon:
            continue
        groups = [_group(of_horizon, *group) for group in MOVER_GROUPS]
        horizons.append(
            MoverHorizon(
                horizon=horizon,
                words=words,
                base_year=of_horizon[0]["base_year"],
                groups=groups,
                charts=_charts(site, key, groups, words) if horizon == "1y" else [],
            )
        )
    return horizons


def movers_chart(rows: Sequence[Row]) -> Spec:
    """Largest gains (green, to the right) and losses (red, to the left), million euros."""
    changes = [million(row["change_eur"]) for row in rows]
    low, high = min([*changes, 0.0]), max([*changes, 0.0])
    pad = (high - low) * 0.16 or 1.0  # room for the values written beside the bars
    return charts.value_bars(
        [row["item_label"] for row in rows],
        [million(row["change_eur"]) for row in rows],
        [fmt.million_eur(row["change_eur"], signed=True) for row in rows],
        [
            f"<b>{escape(row['item_label'])}</b><br>{row['base_year']}\u00a0: "
            f"{fmt.million_eur_with_unit(row['base_value_eur'])}<br>Variation\u00a0: "
            f"{fmt.million_eur_with_unit(row['change_eur'], signed=True)}"
            for row in rows
        ],
        [charts.GAIN_COLOR if row["change_eur"] > 0 else charts.LOSS_COLOR for row in rows],
        {"title": {"text": "variation, millions d'euros"}, "range": [low - pad, high + pad]},
    )
