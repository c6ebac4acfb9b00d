"""Exact integer splits: totals into parts, cells into declaration lines.

Why apart: every published figure of the sample must add up to the euro, and
these few array functions are where that exactness is made; they know nothing
of customs files.
"""

from __future__ import annotations

import numpy as np

from scripts.sample.calibration import YEAR_FACTORS


def year_factor(flow: str, year: int) -> float:
    """National trade in ``year`` relative to 2024."""
    table = YEAR_FACTORS[flow]
    if year in table:
        return table[year]
    edge = min(table) if year < min(table) else max(table)
    return table[edge] * 1.03 ** (year - edge)


def split_exactly(total: int | np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Integer parts of ``total`` proportional to ``weights`` that sum to it exactly.

    Floors every share and gives the remaining euros to the largest fractional
    shares, so that published totals are reproduced to the euro. With 2-D
    ``weights`` (one row per total) it splits each of an array of totals along
    its row at once; zero weights get nothing.
    """
    weights = np.asarray(weights, dtype=np.float64)
    if weights.ndim == 1:
        return split_exactly(np.array([total], dtype=np.int64), weights[None, :])[0]
    totals = np.asarray(total, dtype=np.int64)
    shares = weights / weights.sum(axis=1, keepdims=True) * totals[:, None]
    parts = np.floor(shares).astype(np.int64)
    remainder = totals - parts.sum(axis=1)
    fractions = np.where(weights > 0, shares - parts, -1.0)  # zero weights come last
    order = np.argsort(-fractions, axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(weights.shape[1])[None, :], axis=1)
    if remainder.min(initial=0) < 0 or (remainder > (weights > 0).sum(axis=1)).any():
        raise ArithmeticError("a split does not add up to its total")
    return parts + (ranks < remainder[:, None])


def split_into_lines(
    values: np.ndarray, mean_lines: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split each value (whole euros, > 0) into lines: (value index, month, euros) per line.

    A value gets a random number of lines between 1 and ``2 * mean_lines - 1``
    (mean ``mean_lines``), but never more lines than euros, so that every line
    is worth at least one euro. Each line gets one euro plus a random
    (exponential) share of the rest, floored; the euros the floors leave (fewer
    than the lines) go one each to the first lines of the value, so the lines
    sum to it exactly. Months are drawn uniformly. All of it is array
    arithmetic: 20 million lines take seconds.
    """
    if len(values) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.astype(np.int8), empty
    counts = np.minimum(rng.integers(1, 2 * mean_lines, size=len(values)), values)
    starts = np.cumsum(counts) - counts
    cell = np.repeat(np.arange(len(values)), counts)
    weights = rng.exponential(size=len(cell))
    spare = values - counts
    shares = weights / np.add.reduceat(weights, starts)[cell] * spare[cell]
    parts = np.floor(shares).astype(np.int64)
    leftover = spare - np.add.reduceat(parts, starts)
    if leftover.min() < 0 or (leftover > counts).any():  # a float rounding beyond a euro
        raise ArithmeticError("declaration lines do not split their cell exactly")
    position = np.arange(len(cell)) - starts[cell]
    euros = 1 + parts + (position < leftover[cell])
    months = rng.integers(1, 13, size=len(cell), dtype=np.int8)
    return cell, months, euros
