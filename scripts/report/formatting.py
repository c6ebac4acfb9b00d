"""French number and date formatting for the report pages, through babel.

Why a module of its own: every figure a reader sees must follow the fiche's
precision and French typography (comma decimal, narrow no-break space between
thousands, no-break space before "%"), and must round half-up like the
published fiche, whereas babel rounds half-even. So each function first
rounds with :mod:`decimal` (ROUND_HALF_UP) to the displayed precision, then
lets babel lay out the already-rounded number with the locale's own pattern;
no string is assembled by hand.
"""

from __future__ import annotations

import copy
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import NumberPattern

LOCALE = Locale.parse("fr_FR")
EUROS_PER_MILLION = Decimal(1_000_000)

Number = Decimal | float | int


def to_decimal(value: Number) -> Decimal:
    """A Decimal of the value as written, so 0.475 stays 0.475 (not its binary expansion)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def round_half_up(value: Number, decimals: int) -> Decimal:
    """Round like the published fiche: halves go away from zero."""
    return to_decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


@cache
def _pattern(kind: str, decimals: int, signed: bool) -> NumberPattern:
    """The locale's decimal or percent pattern with exactly ``decimals`` fraction digits.

    Starting from the locale's own pattern keeps its grouping and the position
    and spacing of the percent sign; only the precision (and optionally an
    explicit plus sign) is changed.
    """
    base = LOCALE.decimal_formats[None] if kind == "decimal" else LOCALE.percent_formats[None]
    pattern = copy.copy(base)
    pattern.frac_prec = (decimals, decimals)
    if signed:
        plus = LOCALE.number_symbols["latn"]["plusSign"]
        positive, negative = pattern.prefix
        pattern.prefix = (plus + positive, negative)
    return pattern


@lru_cache(maxsize=1 << 16)
def _laid_out(kind: str, decimals: int, signed: bool, rounded: Decimal) -> str:
    """Babel's layout of an already-rounded number, remembered.

    A site repeats the same few tens of thousands of figures (a region's
    total on each of its departments' pages, the same shares in tables and
    chart labels) in about half a million places, and babel takes tens of
    microseconds per figure: remembering them makes the pages several seconds
    faster. ``rounded`` is quantized to a fixed exponent by the caller, so
    equal values are laid out identically and can share a cache entry.
    """
    return _pattern(kind, decimals, signed).apply(rounded, LOCALE)


def decimal_number(value: Number, decimals: int = 1, signed: bool = False) -> str:
    """A number with a fixed count of decimals, e.g. ``13 225,3`` (``+116,0`` when signed)."""
    rounded = round_half_up(value, decimals)
    if rounded == 0:  # never print "-0,0" nor "+0,0"
        return _laid_out("decimal", decimals, False, abs(rounded))
    return _laid_out("decimal", decimals, signed, rounded)


def million_eur(value_eur: Number, decimals: int = 1, signed: bool = False) -> str:
    """Euros shown in millions, the fiche's unit: 13 225 276 543 -> ``13 225,3``."""
    return decimal_number(to_decimal(value_eur) / EUROS_PER_MILLION, decimals, signed)


def million_eur_with_unit(value_eur: Number, signed: bool = False) -> str:
    """Million euros with the unit, never split across lines: ``13 225,3 M€``."""
    return f"{million_eur(value_eur, signed=signed)}\u00a0M€"


def percent(ratio: Number | None, decimals: int = 1, signed: bool = False) -> str:
    """A ratio in [0, 1] as a French percentage: 0.4747 -> ``47,5 %``; None -> an en dash."""
    if ratio is None:
        return "–"
    rounded = round_half_up(ratio, decimals + 2)
    if rounded == 0:
        return _laid_out("percent", decimals, False, abs(rounded))
    return _laid_out("percent", decimals, signed, rounded)


def integer(value: int) -> str:
    """A count with French thousands grouping: 3152622 -> ``3 152 622``."""
    return _pattern("decimal", 0, False).apply(Decimal(value), LOCALE)


def long_date(value: date | datetime) -> str:
    """A date as French readers write it: ``26 novembre 2026``, ``1er décembre 2025``.

    French writes the first day of a month as an ordinal (« 1er »), which
    CLDR's long date pattern does not: it would print ``1 décembre``.
    """
    day = value.date() if isinstance(value, datetime) else value
    if day.day == 1:
        return "1er " + format_date(day, format="MMMM y", locale=LOCALE)
    return format_date(day, format="long", locale=LOCALE)


def hhi_points(ratio: Number) -> str:
    """A Herfindahl-Hirschman index in (0, 1] on the usual 0–10 000 points scale: ``891``."""
    return decimal_number(to_decimal(ratio) * 10_000, 0)


def rank_of(rank: int, total: int) -> str:
    """A rank among ``total``: ``13 / 101``."""
    return f"{integer(rank)}\u00a0/\u00a0{integer(total)}"
