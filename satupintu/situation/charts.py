"""Server-rendered SVG line charts for the Situation Room ("trend lines per topic").

`line_chart` does the arithmetic; the template only draws. Sketch::

    <svg viewBox="0 0 {{ c.width }} {{ c.height }}" role="img" aria-label="...">
      {% for t in c.y_ticks %}
        <line x1="{{ c.plot.left }}" x2="{{ c.plot.right }}" y1="{{ t.y }}" y2="{{ t.y }}" stroke="#e5e7eb"/>
        <text x="{{ c.plot.left|add:-6 }}" y="{{ t.y }}" text-anchor="end" dominant-baseline="middle">{{ t.label }}</text>
      {% endfor %}
      {% for l in c.x_labels %}<text x="{{ l.x }}" y="{{ c.height|add:-6 }}" text-anchor="middle">{{ l.label }}</text>{% endfor %}
      {% for s in c.series %}
        <polyline points="{{ s.points }}" fill="none" stroke="{{ s.color }}" stroke-width="2"
                  {% if s.dasharray %}stroke-dasharray="{{ s.dasharray }}"{% endif %}/>
        {% for p in s.coords %}<circle cx="{{ p.x }}" cy="{{ p.y }}" r="2.5" fill="{{ s.color }}"><title>{{ s.name }}, {{ p.label }}: {{ p.value }}</title></circle>{% endfor %}
      {% endfor %}
    </svg>

A one-point series draws no polyline segment, so draw its `coords` as markers (as above).
"""

from __future__ import annotations

import math

from satupintu.core.numbers import whole

# Okabe & Ito (2008), the colour-blind-safe qualitative palette, in an order that keeps the
# first lines the most distinct on white. Yellow (#F0E442, 1.4:1 on white) is left out. Past
# the seventh series the colours repeat with a dash pattern.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000")
DASHES = ("", "6 3", "2 3", "8 3 2 3")

MAX_X_LABELS = 8
TARGET_Y_TICKS = 5  # about this many gridlines, 0 included

MARGIN_LEFT = 44  # room for the y tick labels
MARGIN_RIGHT = 12
MARGIN_TOP = 10
MARGIN_BOTTOM = 26  # room for the x labels


def _fmt(v: float) -> str:
    """A coordinate with at most one decimal: 12.0 -> "12", 12.34 -> "12.3"."""
    s = f"{v:.1f}"
    return s[:-2] if s.endswith(".0") else s


def _number(n: float) -> str:
    return whole(n)


def nice_ticks(vmax: float, target: int = TARGET_Y_TICKS) -> list[int]:
    """Whole-number ticks from 0 to at least vmax in steps of 1, 2 or 5 x 10^k: the step giving
    the count closest to `target`, then the lowest top (counts are whole, so the step is at
    least 1). vmax <= 0 gives [0, 1]."""
    if not (vmax > 0):
        return [0, 1]
    magnitude = 10 ** math.floor(math.log10(vmax))
    candidates = {max(int(m * magnitude / 100), 1) for m in (1, 2, 5, 10, 20, 50, 100, 200, 500)}

    def badness(step: int) -> tuple[int, int]:
        top = math.ceil(vmax / step) * step
        return abs(top // step + 1 - target), top  # closest count first, then the tightest top

    step = min(candidates, key=badness)
    return list(range(0, math.ceil(vmax / step) * step + 1, step))


def _x_label_indices(n: int, limit: int = MAX_X_LABELS) -> list[int]:
    """At most `limit` evenly spaced indices of n labels, always ending with the latest one."""
    if n <= 0:
        return []
    every = math.ceil(n / limit)
    return sorted(range(n - 1, -1, -every))


def line_chart(series: dict[str, list[int]], labels: list[str], width: int = 640, height: int = 220,
               max_labels: int = MAX_X_LABELS) -> dict:
    """What a template needs to draw trend lines, one per series, over the x `labels` (dates).

    Returns a dict:
      width, height: the view box size;
      plot: {"left", "right", "top", "bottom"}, the plotting area;
      series: [{"name", "color", "dasharray", "points" (for <polyline>), "coords"
               ([{"x", "y", "value", "label"}], for markers and tooltips), "max", "total"}];
      max_value: the largest value of all series (0 when there is no data);
      y_max: the top of the y axis (a nice round number, >= 1);
      y_ticks: [{"value", "label", "y"}] from 0 up to y_max;
      x_labels: [{"label", "x", "index", "anchor", "minor"}], thinned to at most `max_labels` (8), the
               latest always shown; the first and the last anchored inward so neither is cut at the
               edge; "minor" ones are left out on a phone;
      empty: True when there is nothing to draw (no series, no labels, or every value 0).

    Values are counts: None and negative values count as 0. A series longer than `labels`
    is cut to it; a shorter one is drawn over the first labels. With no labels, the longest
    series sets the number of x positions.
    """
    n = len(labels) if labels else max((len(v) for v in series.values()), default=0)
    clean = {name: [max(int(v or 0), 0) for v in values[:n]] for name, values in series.items()}
    max_value = max((v for values in clean.values() for v in values), default=0)

    ticks = nice_ticks(max_value)
    y_max = ticks[-1]
    left, right = MARGIN_LEFT, max(width - MARGIN_RIGHT, MARGIN_LEFT + 1)
    top, bottom = MARGIN_TOP, max(height - MARGIN_BOTTOM, MARGIN_TOP + 1)

    def x_at(i: int) -> float:
        if n <= 1:
            return (left + right) / 2  # a single point sits in the middle
        return left + (right - left) * i / (n - 1)

    def y_at(v: float) -> float:
        return bottom - (bottom - top) * v / y_max  # y_max >= 1: never divides by zero

    out_series = []
    for k, (name, values) in enumerate(clean.items()):
        coords = [
            {"x": _fmt(x_at(i)), "y": _fmt(y_at(v)), "value": v, "label": labels[i] if i < len(labels) else ""}
            for i, v in enumerate(values)
        ]
        out_series.append(
            {
                "name": name,
                "color": PALETTE[k % len(PALETTE)],
                "dasharray": DASHES[(k // len(PALETTE)) % len(DASHES)],
                "points": " ".join(f"{c['x']},{c['y']}" for c in coords),
                "coords": coords,
                "max": max(values, default=0),
                "total": sum(values),
            }
        )

    shown = _x_label_indices(len(labels), max_labels)
    # "minor": every other label counted back from the latest, hidden on a phone (app.css), where
    # the chart is drawn at half size with larger text and eight dates would run into each other.
    x_labels = [{"label": labels[i], "x": _fmt(x_at(i)), "index": i,
                 "anchor": "end" if i == n - 1 and n > 1 else "start" if i == 0 and n > 1 else "middle",
                 "minor": (len(shown) - 1 - k) % 2 == 1}
                for k, i in enumerate(shown)]
    return {
        "width": width,
        "height": height,
        "plot": {"left": left, "right": right, "top": top, "bottom": bottom},
        "series": out_series,
        "max_value": max_value,
        "y_max": y_max,
        "y_ticks": [{"value": t, "label": _number(t), "y": _fmt(y_at(t))} for t in ticks],
        "x_labels": x_labels,
        "empty": n == 0 or not clean or max_value == 0,
    }
