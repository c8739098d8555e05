from evaluation.charts import interval_chart, line_chart
from evaluation.templatetags.evaluation import year_span


def test_a_line_never_joins_the_years_across_a_series_break():
    years = [2020, 2021, 2022, 2023, 2024]
    ours = dict.fromkeys(years, 10.0)
    chart = line_chart(years, ours, {2020: 5.0, 2024: 6.0}, breaks=[2023])
    assert len(chart.participants) == 2
    assert [len(line.split()) for line in chart.participants] == [3, 2]
    assert len(chart.rest) == 2 and len(chart.rest_points) == 2
    # The break's mark stands between 2022 and 2023.
    (x,) = chart.breaks
    x_2022, x_2023 = chart.participant_points[2][0], chart.participant_points[3][0]
    assert x_2022 < x < x_2023


def test_intervals_share_one_scale_around_zero():
    chart = interval_chart([("a", -2.0, -4.0, 0.5), ("b", 1.0, -1.0, 3.0)])
    assert chart.rows[0].low < chart.rows[0].x < chart.zero < chart.rows[0].high
    assert chart.rows[1].low < chart.zero < chart.rows[1].x < chart.rows[1].high
    assert chart.width - chart.zero == chart.zero  # zero in the middle


def test_a_span_of_one_year_is_named_once():
    assert year_span((2023, 2023)) == "2023"
    assert year_span((2020, 2022)) == "2020–2022"
