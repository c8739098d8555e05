"""A schematic map of Estonia: each county a tile placed roughly where it lies."""

from dataclasses import dataclass

from django.utils.translation import ngettext

TILE = 92
GAP = 6

# EHAK code → (column, row), west to east and north to south.
TILES = {
    "0037": (2, 0),  # Harju
    "0060": (3, 0),  # Lääne-Viru
    "0045": (4, 0),  # Ida-Viru
    "0039": (0, 1),  # Hiiu
    "0056": (1, 1),  # Lääne
    "0071": (2, 1),  # Rapla
    "0052": (3, 1),  # Järva
    "0050": (4, 1),  # Jõgeva
    "0074": (0, 2),  # Saare
    "0068": (2, 2),  # Pärnu
    "0084": (3, 2),  # Viljandi
    "0079": (4, 2),  # Tartu
    "0064": (5, 2),  # Põlva
    "0081": (4, 3),  # Valga
    "0087": (5, 3),  # Võru
}


@dataclass(frozen=True)
class Tile:
    """A county on the map with its figures: the municipalities in the programme, the places
    its participant limit leaves free, and the applications (named only to ministry staff)."""

    ehak_code: str
    name: str
    x: int
    y: int
    participants: tuple[str, ...] = ()
    free_places: int = 0
    applications: int = 0
    applicants: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.name.removesuffix(" maakond")

    @property
    def status(self) -> str:
        """The tile's colour: no free places; places free and applied for; places free."""
        if self.free_places == 0:
            return "full"
        return "applied" if self.applications else "free"

    @property
    def figures(self) -> tuple[str, str, str]:
        """The figures in words: on the tile, so that its colour is never the only sign."""
        return (
            ngettext("%(count)s participant", "%(count)s participants", len(self.participants))
            % {"count": len(self.participants)},
            ngettext("%(count)s free place", "%(count)s free places", self.free_places)
            % {"count": self.free_places},
            ngettext("%(count)s application", "%(count)s applications", self.applications)
            % {"count": self.applications},
        )


def county_tiles(
    counties: list[tuple[str, str]],
    *,
    participants: dict[str, list[str]],
    free_places: dict[str, int],
    applications: dict[str, int],
    applicants: dict[str, list[str]],
) -> list[Tile]:
    """Tiles for (EHAK code, name) counties, each with its figures."""
    return [
        Tile(
            ehak_code=code,
            name=name,
            x=TILES[code][0] * (TILE + GAP),
            y=TILES[code][1] * (TILE + GAP),
            participants=tuple(participants.get(code, [])),
            free_places=free_places.get(code, 0),
            applications=applications.get(code, 0),
            applicants=tuple(applicants.get(code, [])),
        )
        for code, name in counties
        if code in TILES
    ]


WIDTH = 6 * (TILE + GAP)
HEIGHT = 4 * (TILE + GAP)
