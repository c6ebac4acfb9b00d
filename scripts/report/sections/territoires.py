"""The Territoires d'industrie of a department page's header.

Why a section of its own: the fiche tells the reader of a territory spread
over several departments to read each department's page, so every page names
the other departments such a territory covers and links to those this site
renders. A territory is known by its name, which the seed gives once per
territory (tests/test_territoires_industrie.py checks the names are unique).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from scripts.reference.territoires_industrie import LIST_LABEL
from scripts.report.queries import TerritoryKey
from scripts.report.sections.common import SiteView

#: The list the seed reproduces, as a "none" sentence names it.
TERRITOIRES_INDUSTRIE_LIST = LIST_LABEL


@dataclass(frozen=True)
class OtherDepartment:
    """Another department a territory covers, with its page when this site has it."""

    code: str
    name: str
    url: str | None


@dataclass(frozen=True)
class TerritoireIndustrie:
    """One Territoire d'industrie of a department, and the other departments it covers."""

    name: str
    others: tuple[OtherDepartment, ...]


def _departments_by_territoire(site: SiteView) -> dict[str, tuple[TerritoryKey, ...]]:
    """Every territory's departments, in code order (a pass over 101 departments)."""
    index: dict[str, list[TerritoryKey]] = defaultdict(list)
    for key, row in sorted(site.data.territories.items()):
        if key[0] == "department":
            for name in row["territoires_industrie"] or []:
                index[name].append(key)
    return {name: tuple(keys) for name, keys in index.items()}


def build(site: SiteView, key: TerritoryKey) -> tuple[TerritoireIndustrie, ...]:
    """A department's territories; other levels have none of their own."""
    if key[0] != "department":
        return ()
    departments = _departments_by_territoire(site)
    return tuple(
        TerritoireIndustrie(
            name,
            tuple(
                OtherDepartment(other[1], site.name(other), site.link(other))
                for other in departments.get(name, ())
                if other != key
            ),
        )
        for name in site.data.territories[key]["territoires_industrie"] or []
    )
