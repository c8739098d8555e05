"""The activity plan as a timeline: bars over the programme's months, for an SVG chart."""

from dataclasses import dataclass

MONTH_WIDTH = 30
ROW_HEIGHT = 28
HEADER_HEIGHT = 24


@dataclass(frozen=True)
class Bar:
    title: str
    start_month: int
    end_month: int
    x: int
    y: int
    width: int


@dataclass(frozen=True)
class Timeline:
    months: int
    bars: list[Bar]

    @property
    def width(self) -> int:
        return self.months * MONTH_WIDTH

    @property
    def height(self) -> int:
        return HEADER_HEIGHT + max(len(self.bars), 1) * ROW_HEIGHT

    @property
    def month_ticks(self) -> list[tuple[int, int]]:
        """(month, x) for the month numbers along the top."""
        return [(month, (month - 1) * MONTH_WIDTH) for month in range(1, self.months + 1)]

    @property
    def year_lines(self) -> list[int]:
        """x of the boundary after every twelfth month."""
        return [year_end * MONTH_WIDTH for year_end in range(12, self.months, 12)]


def build_timeline(activities: list[tuple[str, int, int]], months: int) -> Timeline:
    """Lay out (title, start month, end month) rows as bars, clipped to the programme."""
    bars = []
    for row, (title, start, end) in enumerate(activities):
        start, end = max(start, 1), min(end, months)
        bars.append(
            Bar(
                title=title,
                start_month=start,
                end_month=end,
                x=(start - 1) * MONTH_WIDTH,
                y=HEADER_HEIGHT + row * ROW_HEIGHT + 4,
                width=max(end - start + 1, 0) * MONTH_WIDTH,
            )
        )
    return Timeline(months=months, bars=bars)
