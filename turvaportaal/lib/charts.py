"""Bar charts drawn as SVG on the server, and the rule that keeps their labels apart.

The pages draw these with plain SVG elements (no JavaScript); the table beside each chart holds
the same figures in words. Text widths are estimated from the number of characters: generous
enough for the sans-serif fonts the pages and the PDFs use, so that labels kept apart here are
apart on the screen too (a browser test measures them)."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

FONT_SIZE = 11
# An average advance of 0.62 em is more than DejaVu Sans or Arial need for text with digits.
CHAR_EM = 0.62
LABEL_GAP = 6
# Steps between labelled columns: months label every quarter, half year or year.
STEPS = (1, 2, 3, 4, 6, 12, 24)


def text_width(text: str, font_size: float = FONT_SIZE) -> float:
    """The width a line of text takes at most, in chart units."""
    return len(text) * font_size * CHAR_EM


def spread(
    labels: Sequence[tuple[float, str]], width: float, anchor: str, start: float = 0
) -> list[tuple[float, str]]:
    """Labels at their x (read as `anchor` says), each moved inside [start, width], leaving out
    a label that would come closer than LABEL_GAP to the one after it; the last label is always
    kept."""

    def left_of(x: float, text: str) -> float:
        return x - {"start": 0, "middle": text_width(text) / 2, "end": text_width(text)}[anchor]

    moved = []
    for x, text in labels:
        left = min(max(left_of(x, text), start), width - text_width(text))
        moved.append((round(x + left - left_of(x, text), 1), text))
    kept: list[tuple[float, str]] = []
    for x, text in reversed(moved):
        if kept and left_of(x, text) + text_width(text) + LABEL_GAP > left_of(*kept[-1]):
            continue
        kept.append((x, text))
    return kept[::-1]


def wrap(text: str, width: float) -> list[str]:
    """The text in lines no wider than `width`, broken between words (a word too long for a
    line of its own is broken where it must be)."""
    most = max(int(width // (FONT_SIZE * CHAR_EM)), 1)
    lines: list[str] = []
    for word in text.split():
        while len(word) > most:
            lines.append(word[:most])
            word = word[most:]
        if lines and len(lines[-1]) + 1 + len(word) <= most:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def nice_ticks(high: Decimal, low: Decimal = Decimal(0), most: int = 5) -> list[Decimal]:
    """Round values from at most `low` to at least `high` for the grid lines, a step of 1, 2,
    2.5 or 5 times a power of ten: `most` steps or one more where `low` is not on a step."""
    if high <= low:
        high = low + 1
    raw = float(high - low) / most
    power = Decimal(10) ** math.floor(math.log10(raw))
    step = next(
        power * factor
        for factor in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
        if power * factor * most >= high - low
    )
    first, last = math.floor(low / step), math.ceil(high / step)
    return [_plain(step * k) for k in range(first, last + 1)]


def _plain(value: Decimal) -> Decimal:
    """The value without trailing zeros or an exponent: 10, not 1E+1; 2.5, not 2.50."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


@dataclass(frozen=True)
class Column:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: Decimal


@dataclass(frozen=True)
class ColumnChart:
    """Vertical bars along a time axis, with a labelled grid of round values."""

    width: int
    height: int
    left: int
    baseline: float
    columns: list[Column]
    x_labels: list[tuple[float, str]]
    y_ticks: list[tuple[float, Decimal]]
    label_y: float


def column_chart(
    columns: Sequence[tuple[str, Decimal]], width: int = 560, height: int = 220
) -> ColumnChart:
    """A column per (label, value), in order. When the labels do not fit under every column,
    every second, third, … is labelled (the same step throughout)."""
    ticks = nice_ticks(max((value for _label, value in columns), default=Decimal(0)))
    left = max(40, math.ceil(max(text_width(f"{tick:,}") for tick in ticks)) + 12)
    top, bottom, right = 12, 24, 8
    baseline = height - bottom
    slot = (width - left - right) / max(len(columns), 1)
    scale = (baseline - top) / float(ticks[-1])

    def y(value: Decimal) -> float:
        return round(baseline - float(value) * scale, 1)

    drawn = [
        Column(
            x=round(left + index * slot + slot * 0.15, 1),
            y=y(value),
            width=round(slot * 0.7, 1),
            height=round(float(value) * scale, 1),
            label=label,
            value=value,
        )
        for index, (label, value) in enumerate(columns)
    ]
    widest = max((text_width(label) for label, _value in columns), default=0)
    step = next((s for s in STEPS if s * slot >= widest + LABEL_GAP), len(columns) or 1)
    labelled = [
        (round(left + index * slot + slot / 2, 1), label)
        for index, (label, _value) in enumerate(columns)
        if index % step == 0
    ]
    return ColumnChart(
        width=width,
        height=height,
        left=left,
        baseline=baseline,
        columns=drawn,
        # Kept right of the value axis, whose lowest label sits just above them.
        x_labels=spread(labelled, width, "middle", start=left),
        y_ticks=[(y(tick), tick) for tick in ticks],
        label_y=height - 6,
    )


@dataclass(frozen=True)
class Row:
    lines: list[tuple[float, str]]  # the label, wrapped: (y, line)
    bar_y: float
    bar_width: float
    value: Decimal
    value_x: float
    value_y: float


@dataclass(frozen=True)
class RowChart:
    """Horizontal bars, each under its label (a long label wraps, never runs into another)."""

    width: int
    height: int
    bar_height: int
    rows: list[Row]


def row_chart(rows: Sequence[tuple[str, Decimal | int]], width: int = 560) -> RowChart:
    """A bar per (label, value), longest value the widest bar, the value written after it."""
    line_height, bar_height, gap = 14, 14, 10
    values = [Decimal(value) for _label, value in rows]
    value_space = max((text_width(f"{value:,}") for value in values), default=0) + LABEL_GAP
    room = width - value_space
    high = max(values, default=Decimal(0)) or Decimal(1)
    drawn, y = [], 0.0
    for (label, _value), value in zip(rows, values, strict=True):
        lines = []
        for line in wrap(label, width):
            y += line_height
            lines.append((y - 3, line))
        bar_width = math.floor(float(value / high) * room * 10) / 10
        drawn.append(
            Row(
                lines=lines,
                bar_y=y + 2,
                bar_width=bar_width,
                value=value,
                value_x=round(bar_width + LABEL_GAP, 1),
                value_y=y + 2 + bar_height - 3,
            )
        )
        y += 2 + bar_height + gap
    return RowChart(width=width, height=math.ceil(y), bar_height=bar_height, rows=drawn)
