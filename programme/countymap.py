"""A schematic map of Estonia: each county a tile placed roughly where it lies."""

from dataclasses import dataclass

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
    ehak_code: str
    name: str
    status: str
    x: int
    y: int
    names: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.name.removesuffix(" maakond")


def county_tiles(
    counties: list[tuple[str, str]], status: dict[str, str], names: dict[str, list[str]]
) -> list[Tile]:
    """Tiles for (EHAK code, name) counties with each one's status and municipalities named."""
    return [
        Tile(
            ehak_code=code,
            name=name,
            status=status.get(code, "none"),
            x=TILES[code][0] * (TILE + GAP),
            y=TILES[code][1] * (TILE + GAP),
            names=tuple(names.get(code, [])),
        )
        for code, name in counties
        if code in TILES
    ]


WIDTH = 6 * (TILE + GAP)
HEIGHT = 4 * (TILE + GAP)
