"""The sections of a report page, one module each: content builder, chart, typed block.

Why one module per section: a section is one query (reports/queries/), one
module here and one template partial (templates/sections/). Each module has a
``build`` function that turns the year's rows into a frozen dataclass, the
only thing its partial reads, and, when the section draws one, the plotly
specification of its chart. :mod:`scripts.report.content` assembles the
sections into pages.
"""
