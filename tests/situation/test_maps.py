"""The Situation Room's server-rendered SVG: the choropleth map shapes, its colour scale and
legend, and the trend line chart."""

import csv
import re
import time
from pathlib import Path

import pytest
from shapely.geometry import MultiPolygon, Polygon, box

from satupintu.situation import charts, maps

DATA = Path(maps.__file__).resolve().parents[1] / "organization" / "data"
PROVINCE_MAP_BUDGET = 150_000  # bytes of path data for the whole national map
REGENCY_MAP_BUDGET = 50_000  # bytes of path data for one province's regency map


def _csv(name):
    with open(DATA / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _rings(d):
    """[[(x, y), ...], ...] of a path made of absolute "M x y x y ... Z" rings (what maps emits)."""
    assert re.fullmatch(r"(M[0-9. ]+Z)+", d), d[:80]
    rings = []
    for body in re.findall(r"M([^MZ]+)Z", d):
        numbers = [float(n) for n in body.split()]
        assert len(numbers) % 2 == 0
        rings.append(list(zip(numbers[0::2], numbers[1::2], strict=True)))
    return rings


def _view_box(m):
    x, y, w, h = (float(v) for v in m.view_box.split())
    return x, y, w, h


def _bounds(d):
    points = [p for ring in _rings(d) for p in ring]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _wcag_luminance(colour):
    h = colour.lstrip("#")
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _wcag_contrast(a, b):
    hi, lo = sorted((_wcag_luminance(a), _wcag_luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# --- Map shapes ------------------------------------------------------------------------------


def test_province_shapes_cold_timing(record_property):
    """No assertion on time: reported (-s, or the junit property) to watch for regressions."""
    maps.province_shapes.cache_clear()
    started = time.perf_counter()
    result = maps.province_shapes()
    elapsed = time.perf_counter() - started
    record_property("province_shapes_cold_seconds", round(elapsed, 3))
    print(f"\nprovince_shapes() cold: {elapsed * 1000:.0f} ms, {sum(len(s.d) for s in result.shapes)} bytes of path")
    assert maps.province_shapes() is result  # cached per process


def test_all_38_provinces_have_a_shape_with_their_official_code_and_name():
    expected = {row["code"]: row["name"] for row in _csv("provinces.csv")}
    shapes = maps.province_shapes().shapes
    codes = [s.code for s in shapes]
    assert len(expected) == 38
    assert len(codes) == len(set(codes)) == 38
    assert set(codes) == set(expected)
    assert codes == sorted(codes)
    for s in shapes:
        assert s.name == expected[s.code]
        assert s.d and _rings(s.d), s.code


def test_the_national_map_is_about_1000_units_wide_and_within_budget():
    m = maps.province_shapes()
    _, _, width, height = _view_box(m)
    assert 990 <= width <= 1010 and 300 < height < 450  # Indonesia is ~46° wide, ~17° tall
    total = sum(len(s.d) for s in m.shapes)
    assert total < PROVINCE_MAP_BUDGET, total


@pytest.mark.parametrize("get", [maps.province_shapes, lambda: maps.regency_shapes("73")], ids=["national", "73"])
def test_every_coordinate_lies_inside_the_view_box_and_the_view_box_fits(get):
    m = get()
    x0, y0, width, height = _view_box(m)
    bounds = [_bounds(s.d) for s in m.shapes]
    minx, miny = min(b[0] for b in bounds), min(b[1] for b in bounds)
    maxx, maxy = max(b[2] for b in bounds), max(b[3] for b in bounds)
    assert x0 <= minx and y0 <= miny and maxx <= x0 + width and maxy <= y0 + height
    # ...and fits: no more than the padding plus rounding left on any side
    slack = maps.PADDING + 1.5
    assert minx - x0 <= slack and miny - y0 <= slack
    assert x0 + width - maxx <= slack and y0 + height - maxy <= slack
    assert max(width, height) == pytest.approx(maps.MAP_SIZE, abs=1.5)


def test_the_projection_puts_north_up_and_west_left():
    by_code = {s.code: _bounds(s.d) for s in maps.province_shapes().shapes}
    aceh, papua, ntt, kaltara = by_code["11"], by_code["91"], by_code["53"], by_code["65"]
    assert aceh[2] < papua[0]  # all of Sumatra's tip lies west of Papua
    assert aceh[0] == pytest.approx(maps.PADDING, abs=1.5)  # Aceh (Pulau Weh, Simeulue) is the western edge
    assert aceh[1] < ntt[1] and kaltara[1] < ntt[1]  # y grows southwards


def test_regency_shapes_of_sulawesi_selatan():
    m = maps.regency_shapes("73")
    expected = {row["code"]: row["name"] for row in _csv("regencies.csv") if row["province_code"] == "73"}
    codes = [s.code for s in m.shapes]
    assert "73.22" in codes
    assert {s.code: s.name for s in m.shapes}["73.22"] == "Kabupaten Luwu Utara"
    assert all(c.startswith("73.") for c in codes)
    assert set(codes) == set(expected) and len(codes) == len(set(codes)) == 24
    assert all(s.d for s in m.shapes)


def test_regency_shapes_accepts_other_spellings_and_refuses_unknown_provinces():
    assert maps.regency_shapes(73) is maps.regency_shapes(" 73 ") is maps.regency_shapes("73")
    with pytest.raises(LookupError):
        maps.regency_shapes("99")
    with pytest.raises(ValueError):
        maps.regency_shapes("73.22")
    assert maps.normalize_regency_code("7322") == maps.normalize_regency_code("73.22") == "73.22"
    assert maps.normalize_regency_code("73-1") == "73.01"


def test_every_province_has_a_small_regency_map_with_all_its_regencies():
    expected = {}
    for row in _csv("regencies.csv"):
        expected.setdefault(row["province_code"], set()).add(row["code"])
    assert sum(len(v) for v in expected.values()) == 514
    sizes = {}
    for province in sorted(expected):
        m = maps.regency_shapes(province)
        assert {s.code for s in m.shapes} == expected[province], province
        assert all(s.d for s in m.shapes), province
        _, _, width, height = _view_box(m)
        for s in m.shapes:
            minx, miny, maxx, maxy = _bounds(s.d)
            assert 0 <= minx and 0 <= miny and maxx <= width and maxy <= height, (province, s.code)
        sizes[province] = sum(len(s.d) for s in m.shapes)
    assert max(sizes.values()) < REGENCY_MAP_BUDGET, max(sizes.items(), key=lambda kv: kv[1])


def test_polygons_multipolygons_holes_and_islets():
    """Synthetic shapes, 10° squares: a Polygon with a hole, a MultiPolygon with a far islet
    too small to draw, and a feature that is only a speck (kept: every shape is drawn)."""
    ring = Polygon(box(0, 0, 10, 10).exterior.coords, [box(4, 4, 6, 6).exterior.coords])
    island = MultiPolygon([box(20, 0, 30, 10), box(60, -5, 60.001, -4.999)])
    speck = box(12, 12, 12.0001, 12.0001)
    m = maps._build([("02", "island", island), ("01", "ring", ring), ("03", "speck", speck)])
    assert [s.code for s in m.shapes] == ["01", "02", "03"]
    rings = {s.code: _rings(s.d) for s in m.shapes}
    assert len(rings["01"]) == 2  # exterior and hole
    assert len(rings["02"]) == 1  # the islet is dropped...
    assert len(rings["03"]) == 1  # ...but a shape that is all speck is kept
    _, _, width, height = _view_box(m)
    assert width == pytest.approx(1000, abs=1) and height < width  # fitted without the far islet
    # the hole winds the other way, so fill-rule nonzero draws it too
    area = [sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(r, r[1:] + r[:1], strict=True)) for r in rings["01"]]
    assert area[0] * area[1] < 0


# --- Colours ---------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["volume", "negative"])
def test_colour_scale_gets_darker_as_the_value_grows(scheme):
    colours = [maps.color_scale(v, 100, scheme) for v in range(0, 101)]
    assert colours[0] == maps.NEUTRAL
    luminance = [_wcag_luminance(c) for c in colours[1:]]
    assert all(a >= b for a, b in zip(luminance, luminance[1:], strict=False))  # monotonic
    assert len(set(colours[1:])) == 5  # five classes, plus the neutral grey
    assert maps.color_scale(250, 100, scheme) == colours[-1]  # above vmax: the darkest class
    for nothing in (None, 0, -3, float("nan")):
        assert maps.color_scale(nothing, 100, scheme) == maps.NEUTRAL
    for no_scale in (0, None, float("nan")):
        assert maps.color_scale(5, no_scale, scheme) == maps.NEUTRAL
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colours)


def test_volume_is_blue_and_negative_is_red():
    r, g, b = maps._hex_to_rgb(maps.color_scale(90, 100, "volume"))
    assert b > r and b > g
    r, g, b = maps._hex_to_rgb(maps.color_scale(90, 100, "negative"))
    assert r > g and r > b
    with pytest.raises(ValueError):
        maps.color_scale(1, 2, "positive")


@pytest.mark.parametrize("steps", range(maps.MIN_STEPS, maps.MAX_STEPS + 1))
@pytest.mark.parametrize("scheme", ["volume", "negative"])
def test_text_on_every_fill_meets_wcag_aa(scheme, steps):
    palette = maps.palette(scheme, steps)
    assert len(palette) == steps
    for fill in (maps.NEUTRAL, *palette):
        assert _wcag_contrast(fill, maps.text_color(fill)) >= 4.5, fill
    assert maps.text_color(palette[-1]) == maps.WHITE  # the darkest steps carry white text
    assert maps.text_color(palette[0]) == maps.DARK  # the light ones dark text
    assert maps.text_color(maps.NEUTRAL) == maps.DARK
    assert maps.contrast_ratio("#ffffff", "#000000") == pytest.approx(21)


@pytest.mark.parametrize("vmax", [1, 3, 7, 10, 99, 100, 1234])
def test_volume_legend_matches_the_colour_scale(vmax):
    entries = maps.legend(vmax, "volume")
    assert entries[0] == ("0", maps.NEUTRAL)
    by_value = {}
    for label, colour in entries[1:]:
        first, _, last = label.replace(".", "").partition("–")
        for v in range(int(first), int(last or first) + 1):
            by_value[v] = colour
    assert sorted(by_value) == list(range(1, vmax + 1))  # every count is in exactly one entry
    for v, colour in by_value.items():
        assert maps.color_scale(v, vmax, "volume") == colour, v


def test_legend_labels():
    assert maps.legend(100, "volume") == [
        ("0", maps.NEUTRAL),
        *zip(["1–20", "21–40", "41–60", "61–80", "81–100"], maps.palette("volume", 5), strict=True),
    ]
    assert [label for label, _ in maps.legend(5000, "volume", steps=2)] == ["0", "1–2.500", "2.501–5.000"]
    negative = maps.legend(0.5, "negative")
    assert [label for label, _ in negative] == ["0%", "0–10%", "10–20%", "20–30%", "30–40%", "40–50%"]
    assert [c for _, c in negative[1:]] == list(maps.palette("negative", 5))
    assert maps.legend(0.01, "negative")[1][0] == "0,0–0,2%"
    assert maps.legend(0, "volume") == maps.legend(None, "volume") == [("0", maps.NEUTRAL)]


# --- Line chart ------------------------------------------------------------------------------


def _points(s):
    return [tuple(float(v) for v in p.split(",")) for p in s["points"].split()]


def test_line_chart_draws_every_point_inside_the_plot():
    labels = [f"{d} Mei" for d in range(1, 31)]
    series = {"haji": [d % 7 * 3 for d in range(30)], "zakat": [d for d in range(30)], "umrah": [0] * 30}
    chart = charts.line_chart(series, labels)
    plot = chart["plot"]
    assert [s["name"] for s in chart["series"]] == ["haji", "zakat", "umrah"]
    assert len({s["color"] for s in chart["series"]}) == 3
    assert all(s["color"] in charts.PALETTE for s in chart["series"])
    for s in chart["series"]:
        points = _points(s)
        assert len(points) == 30
        assert all(plot["left"] <= x <= plot["right"] and plot["top"] <= y <= plot["bottom"] for x, y in points)
        assert [x for x, _ in points] == sorted(x for x, _ in points)
    zakat = _points(chart["series"][1])
    assert zakat[0][1] == plot["bottom"] and zakat[-1][1] < zakat[0][1]  # bigger is higher
    assert chart["max_value"] == 29 and chart["series"][1]["max"] == 29
    ticks = [t["value"] for t in chart["y_ticks"]]
    assert ticks[0] == 0 and ticks[-1] == chart["y_max"] >= 29 and 3 <= len(ticks) <= 7
    steps = {b - a for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1 and steps.pop() in (1, 2, 5, 10, 20, 50)
    assert float(chart["y_ticks"][0]["y"]) == plot["bottom"] and float(chart["y_ticks"][-1]["y"]) == plot["top"]
    assert len(chart["x_labels"]) <= 8 and chart["x_labels"][-1]["label"] == "30 Mei"
    # The last label ends at the right edge, not cut by it ("07/12 06" on a phone).
    assert chart["x_labels"][-1]["anchor"] == "end" and chart["x_labels"][1]["anchor"] == "middle"
    # On a phone every other date is left out (app.css), counted back from the latest, which stays.
    assert [x["minor"] for x in chart["x_labels"]][::-1] == [i % 2 == 1 for i in range(len(chart["x_labels"]))]
    week = charts.line_chart({"haji": [1] * 8}, [f"{d:02d}/12" for d in range(1, 9)])
    assert [x["label"] for x in week["x_labels"] if not x["minor"]] == ["02/12", "04/12", "06/12", "08/12"]
    assert not chart["empty"]
    fewer = charts.line_chart({"haji": list(range(30))}, [f"{d} Mei" for d in range(1, 31)], max_labels=4)
    assert len(fewer["x_labels"]) <= 4 and fewer["x_labels"][-1]["label"] == "30 Mei"


def test_line_chart_empty_one_point_and_zero_data():
    empty = charts.line_chart({}, [])
    assert empty["empty"] and empty["series"] == [] and empty["x_labels"] == []
    assert [t["value"] for t in empty["y_ticks"]] == [0, 1]

    no_values = charts.line_chart({"haji": []}, [])
    assert no_values["empty"] and no_values["series"][0]["points"] == "" and no_values["series"][0]["max"] == 0

    one = charts.line_chart({"haji": [4]}, ["1 Mei"])
    (point,) = _points(one["series"][0])
    plot = one["plot"]
    assert point[0] == (plot["left"] + plot["right"]) / 2 and plot["top"] <= point[1] < plot["bottom"]
    assert one["x_labels"] == [{"label": "1 Mei", "x": one["series"][0]["coords"][0]["x"], "index": 0,
                                "anchor": "middle", "minor": False}]

    zeros = charts.line_chart({"haji": [0, 0, 0], "zakat": [0, None, 0]}, ["a", "b", "c"])
    assert zeros["empty"] and zeros["max_value"] == 0 and zeros["y_max"] >= 1
    assert all(y == plot["bottom"] for s in zeros["series"] for _, y in _points(s))


def test_line_chart_more_series_than_colours_are_told_apart_by_dashes():
    series = {f"topik {i}": [i, i + 1] for i in range(9)}
    styles = [(s["color"], s["dasharray"]) for s in charts.line_chart(series, ["a", "b"])["series"]]
    assert len(set(styles)) == 9


@pytest.mark.parametrize("vmax, ticks", [(1, [0, 1]), (5, [0, 1, 2, 3, 4, 5]), (37, [0, 10, 20, 30, 40])])
def test_nice_ticks(vmax, ticks):
    assert charts.nice_ticks(vmax) == ticks
