"""Server-rendered SVG charts: the numbers each chart template draws (pure)."""

_BAR_WIDTH, _BAR_GAP, _CHART_HEIGHT = 18, 4, 120


def bars(points) -> dict:
    top = max([n for _day, n in points] + [1])
    bars = []
    for i, (day, n) in enumerate(points):
        height = round(n / top * _CHART_HEIGHT)
        bars.append(
            {
                "day": day,
                "n": n,
                "x": i * (_BAR_WIDTH + _BAR_GAP),
                "y": _CHART_HEIGHT - height,
                "height": height,
                "label_x": i * (_BAR_WIDTH + _BAR_GAP) + _BAR_WIDTH / 2,
            }
        )
    return {
        "bars": bars,
        "top": top,
        "width": len(points) * (_BAR_WIDTH + _BAR_GAP),
        "height": _CHART_HEIGHT,
        "bar_width": _BAR_WIDTH,
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
