"""The before/after bar chart of one indicator, as numbers a template draws into an SVG (no JS).

Two bars on one scale: percentages and the IKM (25-100) on 0-100, hours from 0 to a round number
above the larger bar. A missing figure draws no bar, only its words ("belum cukup data"), so a
missing value never looks like a 0.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from satupintu.core.numbers import decimal
from satupintu.reform.indicators import IndicatorEffect
from satupintu.situation.charts import nice_ticks

WIDTH, HEIGHT = 320, 200
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 18, 30
BAR_WIDTH = 80
COLORS = {"before": "#56B4E9", "after": "#0072B2"}  # Okabe & Ito, as situation/charts.py


def number(value: float | None, unit: str) -> str:
    """92,5%; 88,31; 12,0 jam (92.5% ... in English): the unit said."""
    if value is None:
        return "—"
    text = decimal(value, 2 if unit == "IKM" else 1)
    if unit == "%":
        return f"{text}%"
    if unit == "jam":
        return _("%(n)s jam") % {"n": text}
    return text


def _fmt(v: float) -> str:
    s = f"{v:.1f}"
    return s[:-2] if s.endswith(".0") else s


def before_after_chart(effect: IndicatorEffect) -> dict:  # type: ignore[type-arg]
    """What templates/reform/_chart.html needs: view box, y ticks, two bars, and a sentence for screen readers."""
    values = [v for v in (effect.before, effect.after) if v is not None]
    ticks = list(range(0, 101, 25)) if effect.unit in ("%", "IKM") else nice_ticks(max(values, default=0))
    top_value = ticks[-1] or 1
    plot_top, plot_bottom = TOP, HEIGHT - BOTTOM
    span = plot_bottom - plot_top

    def y_at(v: float) -> float:
        return plot_bottom - span * min(max(v, 0), top_value) / top_value

    slot = (WIDTH - LEFT - RIGHT) / 2
    bars = []
    for i, (key, label, value, n) in enumerate((("before", _("Sebelum"), effect.before, effect.before_n),
                                                ("after", _("Sesudah"), effect.after, effect.after_n))):
        x = LEFT + slot * i + (slot - BAR_WIDTH) / 2
        y = y_at(value) if value is not None else plot_bottom
        bars.append({
            "key": key, "label": label, "value": value, "text": number(value, effect.unit), "n": n,
            "x": _fmt(x), "y": _fmt(y), "width": BAR_WIDTH, "height": _fmt(plot_bottom - y),
            "center": _fmt(x + BAR_WIDTH / 2), "text_y": _fmt(max(y - 5, plot_top - 4)),
            "color": COLORS[key], "missing": value is None,
        })
    if effect.before is not None and effect.after is not None:
        summary = _("%(label)s: sebelum %(before)s, sesudah %(after)s.") % {
            "label": effect.label, "before": number(effect.before, effect.unit),
            "after": number(effect.after, effect.unit)}
    else:
        summary = _("%(label)s: sebelum %(before)s, sesudah %(after)s. %(message)s") % {
            "label": effect.label, "before": number(effect.before, effect.unit),
            "after": number(effect.after, effect.unit), "message": effect.message}
    return {
        "width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT, "bottom": plot_bottom,
        "label_y": HEIGHT - 10,
        "ticks": [{"y": _fmt(y_at(t)), "label": str(t)} for t in ticks],
        "bars": bars, "summary": summary.strip(),
    }
