"""The outline of a territory page: its sections in order, with their numbers and titles.

Why one list: the table of contents and the section headings used to number
the sections each on their own (an ``<ol>`` counting every entry, headings
with numbers written in the templates), so that on a region or the France
page the contents said 7 where the heading said 6. Both now read the
numbers and titles from the :class:`Outline` built here, once per page.

The framing sections the fiche has around its charts (introduction, context,
method note, practical information) are not numbered, as in the fiche; the
chart sections are numbered 1, 2, ... in page order, whichever of them the
page holds.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OutlineEntry:
    """One section of a page: its anchor, its title and its number (None: unnumbered)."""

    id: str
    title: str
    number: int | None

    @property
    def heading(self) -> str:
        """The title as the section's heading and the contents write it: "3. Flux ..."."""
        return f"{self.number}. {self.title}" if self.number is not None else self.title


@dataclass(frozen=True)
class Outline:
    """The sections of one page, in page order."""

    entries: tuple[OutlineEntry, ...]

    def entry(self, section_id: str) -> OutlineEntry:
        """The entry of a section the page holds (KeyError names it otherwise)."""
        for entry in self.entries:
            if entry.id == section_id:
                return entry
        raise KeyError(f"section {section_id!r} is not in this page's outline")

    def heading(self, section_id: str) -> str:
        return self.entry(section_id).heading

    def number(self, section_id: str) -> int | None:
        return self.entry(section_id).number


# Sections before the charts and after them, as the fiche places them.
OPENING = (
    ("introduction", "Introduction"),
    ("contexte", "Contexte"),
    ("methode", "Méthode et limites"),
)
CLOSING = (("informations", "Informations pratiques"),)


def build(level: str, has_data: bool, compared: str | None, members: bool) -> Outline:
    """The outline of a page of ``level`` holding the sections it has data for.

    ``compared`` names what the comparison section compares the territory
    with ("la région et la France"), None when the page has no such section.
    """
    numbered: list[tuple[str, str]] = []
    if has_data:
        numbered = [
            ("balance", "Balance commerciale territoriale"),
            ("activites", "Principales activités à l'import et à l'export"),
            ("exportations", "Flux d'exportations"),
            ("importations", "Flux d'importations"),
        ]
        if compared:
            numbered.append(("comparaison", f"Comparaison avec {compared}"))
        if members:
            numbered.append(
                ("detail", "Départements de la région" if level == "region" else "Régions")
            )
        numbered.append(("exposition", "Exposition et dépendance"))
    entries = [OutlineEntry(section_id, title, None) for section_id, title in OPENING]
    entries += [
        OutlineEntry(section_id, title, number)
        for number, (section_id, title) in enumerate(numbered, start=1)
    ]
    entries += [OutlineEntry(section_id, title, None) for section_id, title in CLOSING]
    return Outline(tuple(entries))
