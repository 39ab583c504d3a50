from datetime import date, timedelta

from quizzes import charts

DAYS = [date(2025, 3, 10) + timedelta(days=i) for i in range(30)]


def _labels(chart) -> tuple[list[int], list[int]]:
    bars = chart["bars"]
    return (
        [i for i, bar in enumerate(bars) if bar["show_date"]],
        [i for i, bar in enumerate(bars) if bar["show_value"]],
    )


def test_the_forecast_chart_labels_few_bars_so_its_labels_can_be_large():
    counts = [3] + [0] * 9 + [12] + [1] * 19
    chart = charts.bars(list(zip(DAYS, counts, strict=True)))
    dates, values = _labels(chart)
    assert dates == [0, 7, 14, 21, 28]  # a date every week
    assert values == [0, 10]  # today's and the busiest day's
    assert chart["top"] == 12
    assert chart["bars"][10]["height"] == chart["height"]
    # Drawn for a phone: about one user unit to the pixel at 390 px wide.
    width = int(chart["viewbox"].split()[2])
    assert 340 <= width <= 420


def test_a_busy_day_next_to_today_takes_the_only_value_label():
    counts = [3, 9] + [0] * 28
    dates, values = _labels(charts.bars(list(zip(DAYS, counts, strict=True))))
    assert values == [1]
    counts = [0] * 30
    dates, values = _labels(charts.bars(list(zip(DAYS, counts, strict=True))))
    assert values == []


def test_the_histogram_counts_whole_percents_in_ten_bins_with_100_in_the_last():
    chart = charts.histogram([0, 9, 10, 19, 20, 55, 89, 90, 99, 100])
    assert [b["n"] for b in chart["bins"]] == [2, 2, 1, 0, 0, 1, 0, 0, 1, 3]
    assert [b["label"] for b in chart["bins"]][:2] == ["0–9", "10–19"]
    assert chart["bins"][-1]["label"] == "90–100"
    assert chart["total"] == 10
    # The fullest bin is the chart's height; an empty one has no bar.
    assert chart["bins"][9]["height"] == chart["height"]
    assert chart["bins"][3]["height"] == 0
    assert [t["label"] for t in chart["ticks"]] == list(range(0, 101, 10))


def test_an_empty_histogram_draws_no_bars():
    chart = charts.histogram([])
    assert chart["total"] == 0
    assert all(b["height"] == 0 for b in chart["bins"])
