from applications.timeline import MONTH_WIDTH, build_timeline


def test_bars_sit_on_their_months():
    timeline = build_timeline([("Analüüs", 1, 3), ("Koolitus", 13, 24)], months=24)
    first, second = timeline.bars
    assert (first.x, first.width) == (0, 3 * MONTH_WIDTH)
    assert (second.x, second.width) == (12 * MONTH_WIDTH, 12 * MONTH_WIDTH)
    assert second.y > first.y
    assert timeline.width == 24 * MONTH_WIDTH


def test_the_years_are_marked_after_month_twelve():
    assert build_timeline([], months=24).year_lines == [12 * MONTH_WIDTH]
    assert build_timeline([], months=36).year_lines == [12 * MONTH_WIDTH, 24 * MONTH_WIDTH]


def test_bars_are_clipped_to_the_programme():
    [bar] = build_timeline([("Liiga pikk", 20, 30)], months=24).bars
    assert (bar.start_month, bar.end_month) == (20, 24)
