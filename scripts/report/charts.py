"""The charts' shared vocabulary: colours, fonts, French separators, bar layouts.

Why plain dicts rather than ``plotly.graph_objects``: a page holds up to
eleven charts and the site ~120 pages; building validated figure objects
would dominate the render time, while plotly.js only needs the JSON. The
tests validate these dicts against plotly's schema instead. Each chart's own
specification lives with its page section (:mod:`scripts.report.sections`);
what they share is here, so that every chart looks alike.

Every label that comes from the warehouse is HTML-escaped before it goes into
a chart: plotly.js interprets a small HTML subset in text (``<b>``, ``<br>``)
and decodes entities, so an escaped label is drawn literally and a label
such as ``<script>`` can neither inject markup nor break the layout. All
numbers shown as text are formatted by :mod:`scripts.report.formatting`.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

Spec = dict[str, Any]

EXPORT_COLOR = "#6c3f99"  # violet, like the fiche's exported goods
EXPORT_TINT = "#d9c8ea"
IMPORT_COLOR = "#1f62a8"  # blue, like the fiche's imported goods
IMPORT_TINT = "#c6d9ef"
SURPLUS_COLOR = "#1b7a3a"
DEFICIT_COLOR = "#c0262d"
GAIN_COLOR = SURPLUS_COLOR
LOSS_COLOR = DEFICIT_COLOR
TEXT_COLOR = "#1d2330"
MUTED_COLOR = "#5b6170"
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
# Plotly's own tick labels: decimal comma and narrow no-break space, as babel writes fr_FR.
SEPARATORS = ",\u202f"
PERCENT_SUFFIX = "\u00a0%"
FLOW_WORDS = {"export": "exportations", "import": "importations"}
# The code of the "Autres" bucket of the flow diagrams (dbt var other_bucket_code).
OTHER_CODE = "AUTRES"
AXIS = {
    "showgrid": True,
    "gridcolor": "#e3e5ea",
    "zeroline": True,
    "zerolinecolor": "#9aa0ab",
    "tickfont": {"size": 11, "color": MUTED_COLOR},
    "separatethousands": True,
    # "5 000", never Plotly's SI suffixes ("5k"), which are English
    "exponentformat": "none",
    "fixedrange": True,
}


def escape(label: str) -> str:
    """A warehouse label made safe for plotly's HTML-like text rendering."""
    return html.escape(label, quote=False)


def wrap(label: str, width: int, max_lines: int = 2) -> list[str]:
    """Break a long product label into at most ``max_lines`` lines (the last shortened)."""
    lines = textwrap.wrap(label, width=width) or [""]
    if len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1 :])
        lines = [*lines[: max_lines - 1], textwrap.shorten(rest, width=width, placeholder=" …")]
    return lines


def million(value_eur: Decimal | float) -> float:
    """Euros -> million euros as a float, the unit every chart axis uses."""
    return float(value_eur) / 1_000_000


def base_layout(height: int, margin: dict[str, int]) -> Spec:
    """Layout settings shared by every chart: French separators, fonts, no title."""
    return {
        "height": height,
        "autosize": True,
        "margin": margin,
        "separators": SEPARATORS,
        "font": {"family": FONT_FAMILY, "size": 12, "color": TEXT_COLOR},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "showlegend": False,
        "hoverlabel": {"font": {"family": FONT_FAMILY, "size": 12}, "align": "left"},
    }


def hbar_layout(labels: Sequence[str], xaxis: Spec, left: int = 260, legend: bool = False) -> Spec:
    """A horizontal bar layout: one row per label, the first at the top."""
    ticks = ["<br>".join(escape(line) for line in wrap(label, 38)) for label in labels]
    rows = max(len(labels), 1)
    layout = base_layout(
        90 + (44 if legend else 34) * rows, {"l": left, "r": 70, "t": 34 if legend else 10, "b": 40}
    )
    layout.update(
        {
            "showlegend": legend,
            "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
            "bargap": 0.25,
            "xaxis": {**AXIS, **xaxis},
            "yaxis": {
                "tickmode": "array",
                "tickvals": list(range(len(labels))),
                "ticktext": ticks,
                "autorange": "reversed",
                "fixedrange": True,
                "tickfont": {"size": 11},
                "ticksuffix": "  ",
            },
        }
    )
    return layout


def value_bars(
    labels: Sequence[str],
    values: Sequence[float],
    texts: Sequence[str],
    hovers: Sequence[str],
    colors: str | Sequence[str],
    xaxis: Spec,
    reference: float | None = None,
) -> Spec:
    """Horizontal bars, one per label (first at the top), with the value written beside.

    ``reference`` draws a dashed vertical line (RCA = 1 on the specialisation chart).
    """
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "y": list(range(len(labels))),
            "x": list(values),
            "marker": {"color": colors},
            "text": list(texts),
            "textposition": "outside",
            "cliponaxis": False,
            "textfont": {"size": 11, "color": MUTED_COLOR},
            "customdata": list(hovers),
            "hovertemplate": "%{customdata}<extra></extra>",
        }
    ]
    layout = hbar_layout(labels, xaxis)
    if reference is not None:
        layout["shapes"] = [
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": reference,
                "x1": reference,
                "y0": 0,
                "y1": 1,
                "line": {"color": MUTED_COLOR, "dash": "dash", "width": 1},
            }
        ]
    return {"data": data, "layout": layout}
