"""Server-rendered SVG charts: the numbers each chart template draws (pure)."""

# The bar chart is drawn for a phone: 30 bars fill about 380 user units, so
# on a 390 px screen one unit is about 0.9 pixel and its 14-unit labels stay
# above 12 px (app.css makes them smaller where the chart is drawn larger).
_BAR_WIDTH, _BAR_GAP, _CHART_HEIGHT = 10, 2, 100
_MARGIN, _TOP, _BOTTOM = 12, 18, 22
# A date under every seventh bar, and values over the busiest bar and over
# today's: labels this size cannot sit over every bar.
_DATE_EVERY = 7
_NEAR = 3  # bars closer than this to the busiest one get no value label


def bars(points) -> dict:
    top = max([n for _day, n in points] + [1])
    busiest = max(range(len(points)), key=lambda i: points[i][1], default=None)
    valued = set()
    if busiest is not None and points[busiest][1]:
        valued.add(busiest)
        if points[0][1] and (busiest == 0 or busiest >= _NEAR):
            valued.add(0)
    step = _BAR_WIDTH + _BAR_GAP
    bars = []
    for i, (day, n) in enumerate(points):
        height = round(n / top * _CHART_HEIGHT)
        bars.append(
            {
                "day": day,
                "n": n,
                "x": i * step,
                "y": _CHART_HEIGHT - height,
                "height": height,
                "label_x": i * step + _BAR_WIDTH / 2,
                "show_value": i in valued,
                "show_date": i % _DATE_EVERY == 0,
            }
        )
    width = max(len(points) * step - _BAR_GAP, 0)
    return {
        "bars": bars,
        "top": top,
        "width": width,
        "height": _CHART_HEIGHT,
        "bar_width": _BAR_WIDTH,
        "date_y": _CHART_HEIGHT + _BOTTOM - 4,
        "viewbox": (
            f"{-_MARGIN} {-_TOP} {width + 2 * _MARGIN} {_CHART_HEIGHT + _TOP + _BOTTOM}"
        ),
    }


def heatmap(points) -> dict:
    """Weeks as columns, Monday to Sunday as rows, like a contribution graph."""
    top = max([n for _day, n in points] + [1])
    offset = points[0][0].weekday() if points else 0
    cells = []
    for i, (day, n) in enumerate(points):
        column, row = divmod(i + offset, 7)
        level = 0 if n == 0 else min(4, 1 + int(3 * n / top))
        cells.append(
            {"day": day, "n": n, "x": column * 14, "y": row * 14, "level": level}
        )
    columns = (len(points) + offset + 6) // 7
    return {"cells": cells, "width": columns * 14, "height": 7 * 14}


# The score histogram: ten bins of 10 %, 100 % in the last (90-100), drawn
# small enough that one per assignment fits side by side on a wide screen.
_BINS = 10
_BIN_WIDTH, _BIN_GAP, _HISTOGRAM_HEIGHT = 22, 3, 80


def histogram(percents) -> dict:
    """Whole percents (0-100, as the page shows them) counted in 10 % bins."""
    counts = [0] * _BINS
    for percent in percents:
        counts[min(max(int(percent), 0) // 10, _BINS - 1)] += 1
    top = max([*counts, 1])
    step = _BIN_WIDTH + _BIN_GAP
    bins = []
    for i, n in enumerate(counts):
        height = round(n / top * _HISTOGRAM_HEIGHT)
        low, high = i * 10, 100 if i == _BINS - 1 else i * 10 + 9
        bins.append(
            {
                "label": f"{low}–{high}",
                "low": low,
                "high": high,
                "n": n,
                "x": i * step,
                "y": _HISTOGRAM_HEIGHT - height,
                "height": height,
                "label_x": i * step + _BIN_WIDTH / 2,
            }
        )
    width = _BINS * step - _BIN_GAP
    return {
        "bins": bins,
        "total": sum(counts),
        "top": top,
        "width": width,
        "height": _HISTOGRAM_HEIGHT,
        "bin_width": _BIN_WIDTH,
        # Bounds under the bars' edges: 0, 10, ... 100.
        "ticks": [
            {
                "x": max(i * step - _BIN_GAP / 2, 0) if i < _BINS else width,
                "label": i * 10,
            }
            for i in range(_BINS + 1)
        ],
        "axis_y": _HISTOGRAM_HEIGHT + 13,
        "viewbox": f"-10 -14 {width + 20} {_HISTOGRAM_HEIGHT + 32}",
    }
