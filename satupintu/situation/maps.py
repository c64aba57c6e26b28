"""Choropleth maps of Indonesia for the Situation Room, rendered server-side as inline SVG.

Shapes come from the shipped boundary files (``organization/data/*-simplified.geojson``,
cahyadsn/wilayah_boundaries, MIT, see ``data/LICENSE-geo`` and ``data/SOURCES-geo.md``).
They are projected once per process with a plain equirectangular projection (Indonesia lies
on the equator, so the distortion is negligible), y flipped, scaled so the map is MAP_SIZE
(1000) units on its longer side, simplified, and written as SVG path data with coordinates
rounded to 0.1.

Template sketch::

    <svg viewBox="{{ map.view_box }}" role="img" aria-label="...">
      {% for s in map.shapes %}
        <path d="{{ s.d }}" fill="..." fill-rule="evenodd"><title>{{ s.name }}</title></path>
      {% endfor %}
    </svg>

Use ``fill-rule="evenodd"`` (rings are also oriented so that ``nonzero`` works) and a thin
stroke (e.g. ``stroke="#fff" stroke-width=".4" stroke-linejoin="round"``): neighbouring
shapes are simplified one by one, so shared borders may differ by up to about half a unit.

Colours: ``color_scale`` bins a value into ``steps`` classes of a sequential palette (blue for
volume, red for the negative share), ``text_color`` picks white or black text for a fill with at
least WCAG AA contrast (4.5:1) and ``legend`` lists the classes for a key.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

import numpy as np
import shapely
from shapely.geometry import Polygon

from satupintu.core.numbers import whole

Scheme = Literal["volume", "negative"]

MAP_SIZE = 1000.0  # the larger side of a map, in SVG units, padding included
PADDING = 4.0  # units of empty border around the shapes
SIMPLIFY_TOLERANCE = 0.5  # units; half a pixel when the map is drawn 1000 px wide
MIN_RING_AREA = 0.5  # units²; smaller islands and holes are dropped (a shape keeps its largest part)


@dataclass(frozen=True)
class Shape:
    code: str  # Kemendagri code: "73" for a province, "73.22" for a regency or city
    name: str
    d: str  # SVG path data, absolute coordinates


@dataclass(frozen=True)
class MapShapes:
    view_box: str  # "0 0 width height"
    shapes: tuple[Shape, ...]  # sorted by code; a tuple because the result is shared (cached)

    @property
    def width(self) -> float:
        return float(self.view_box.split()[2])

    @property
    def height(self) -> float:
        return float(self.view_box.split()[3])


# --- Codes -----------------------------------------------------------------------------------


def normalize_province_code(code: object) -> str:
    """ "73", 73, " 73 " -> "73"."""
    digits = re.sub(r"\D", "", str(code))
    if len(digits) == 1:
        digits = "0" + digits
    if len(digits) != 2:
        raise ValueError(f"not a province code: {code!r}")
    return digits


def normalize_regency_code(code: object) -> str:
    """ "73.22", "7322", 7322, "73-22" -> "73.22"."""
    parts = re.findall(r"\d+", str(code))
    if len(parts) == 2 and len(parts[0]) <= 2 and len(parts[1]) <= 2:
        return f"{int(parts[0]):02d}.{int(parts[1]):02d}"
    if len(parts) == 1 and len(parts[0]) == 4:
        return f"{parts[0][:2]}.{parts[0][2:]}"
    raise ValueError(f"not a regency code: {code!r}")


# --- Geometry --------------------------------------------------------------------------------


def _load(filename: str) -> list[tuple[str, str, object]]:
    """(code, name, lon/lat geometry) of every feature of a shipped GeoJSON file. GEOS parses the
    geometries (several times faster than building them from Python lists)."""
    text = resources.files("satupintu.organization").joinpath("data", filename).read_text(encoding="utf-8")
    collection = shapely.from_geojson(text)  # a FeatureCollection becomes a GeometryCollection, same order
    features = json.loads(text)["features"]
    geometries = list(collection.geoms)
    if len(geometries) != len(features):
        raise ValueError(f"{filename}: {len(features)} features but {len(geometries)} geometries")
    return [
        (str(f["properties"]["code"]), str(f["properties"]["name"]).strip(), g)
        for f, g in zip(features, geometries, strict=True)
    ]


def _polygons(geometry) -> list[Polygon]:
    """The non-empty polygons of a Polygon or MultiPolygon (or of a collection's polygonal members)."""
    return [p for p in shapely.get_parts(geometry) if isinstance(p, Polygon) and not p.is_empty]


def _format_tenths(t: int) -> str:
    """An integer number of tenths as the shortest decimal: 123 -> "12.3", 120 -> "12"."""
    whole, tenth = divmod(t, 10)
    return f"{whole}.{tenth}" if tenth else str(whole)


def _ring_path(coords: np.ndarray) -> str | None:
    """One closed ring as "Mx yx y...Z" with coordinates rounded to 0.1; None when it collapses."""
    tenths = np.rint(coords * 10).astype(np.int64)
    if len(tenths) > 1 and (tenths[0] == tenths[-1]).all():
        tenths = tenths[:-1]  # "Z" closes the ring
    if len(tenths) > 1:
        keep = np.ones(len(tenths), dtype=bool)
        keep[1:] = (np.diff(tenths, axis=0) != 0).any(axis=1)
        tenths = tenths[keep]
    if len(tenths) < 3:
        return None
    points = [f"{_format_tenths(x)} {_format_tenths(y)}" for x, y in tenths.tolist()]
    return "M" + " ".join(points) + "Z"


def _shape_path(polygons: list[Polygon]) -> str:
    """Path data of a shape's (projected) parts, largest first. Holes below MIN_RING_AREA are
    dropped; the largest part is always drawn, as a speck if it is smaller than the rounding."""
    rings: list[str] = []
    for i, polygon in enumerate(polygons):
        simplified = polygon.simplify(SIMPLIFY_TOLERANCE, preserve_topology=True)
        for part in _polygons(simplified) or [polygon]:
            part = shapely.orient_polygons(part)  # all exteriors one way, holes the other (for nonzero)
            exterior = _ring_path(np.asarray(part.exterior.coords))
            if exterior is None:
                if i or rings:
                    continue
                exterior = _ring_path(np.asarray(polygon.exterior.coords)) or _speck(polygon)
            rings.append(exterior)
            for hole in part.interiors:
                if Polygon(hole).area >= MIN_RING_AREA and (path := _ring_path(np.asarray(hole.coords))):
                    rings.append(path)
    return "".join(rings)


def _speck(polygon: Polygon) -> str:
    """A 0.2-unit square at the polygon's representative point, for a shape smaller than the rounding."""
    p = polygon.representative_point()
    x, y = int(round(p.x * 10)), int(round(p.y * 10))
    corners = [(x - 1, y - 1), (x + 1, y - 1), (x + 1, y + 1), (x - 1, y + 1)]
    return "M" + " ".join(f"{_format_tenths(a)} {_format_tenths(b)}" for a, b in corners) + "Z"


def _scale(bounds: np.ndarray) -> float:
    """SVG units per degree so that the bounds fit MAP_SIZE on their longer side, padding included."""
    minx, miny, maxx, maxy = bounds
    return (MAP_SIZE - 2 * PADDING) / max(maxx - minx, maxy - miny, 1e-9)


def _build(features: list[tuple[str, str, object]]) -> MapShapes:
    """Project (code, name, lon/lat geometry) to a map about MAP_SIZE units across and draw it.

    Parts smaller than MIN_RING_AREA on the map are dropped first (every shape keeps its largest
    part), then the map is fitted to what is left, so far-off specks do not shrink the map."""
    if not features:
        raise LookupError("no shapes to draw")
    first_scale = _scale(shapely.total_bounds([g for _, _, g in features]))
    min_area = MIN_RING_AREA / first_scale**2  # in degrees²
    kept: list[tuple[str, str, list[Polygon]]] = []
    for code, name, geometry in sorted(features, key=lambda f: f[0]):
        parts = sorted(_polygons(geometry), key=lambda p: p.area, reverse=True)  # largest first
        kept.append((code, name, parts[:1] + [p for p in parts[1:] if p.area >= min_area]))
    bounds = shapely.total_bounds([p for _, _, parts in kept for p in parts])
    minx, miny, maxx, maxy = bounds
    scale = _scale(bounds)

    def project(coords: np.ndarray) -> np.ndarray:
        out = np.empty_like(coords)
        out[:, 0] = (coords[:, 0] - minx) * scale + PADDING
        out[:, 1] = (maxy - coords[:, 1]) * scale + PADDING  # north up
        return out

    shapes = [
        Shape(code=code, name=name, d=_shape_path([shapely.transform(p, project) for p in parts]))
        for code, name, parts in kept
    ]
    width = math.ceil((maxx - minx) * scale + 2 * PADDING)
    height = math.ceil((maxy - miny) * scale + 2 * PADDING)
    return MapShapes(view_box=f"0 0 {width} {height}", shapes=tuple(shapes))


@lru_cache(maxsize=1)
def province_shapes() -> MapShapes:
    """The 38 provinces, Indonesia about 1000 units wide."""
    return _build([(normalize_province_code(c), n, g) for c, n, g in _load("provinces-simplified.geojson")])


@lru_cache(maxsize=1)
def _regencies_by_province() -> dict[str, list[tuple[str, str, object]]]:
    """Every regency and city (lon/lat geometry), grouped by province code. Parsed once per process."""
    groups: dict[str, list[tuple[str, str, object]]] = {}
    for code, name, geometry in _load("regencies-simplified.geojson"):
        code = normalize_regency_code(code)
        groups.setdefault(code[:2], []).append((code, name, geometry))
    return groups


def regency_shapes(province_code: str) -> MapShapes:
    """The regencies and cities of one province, the province fitted to about 1000 units on its
    longer side. Raises LookupError for an unknown province code."""
    return _regency_shapes(normalize_province_code(province_code))


@lru_cache(maxsize=64)
def _regency_shapes(province_code: str) -> MapShapes:
    features = _regencies_by_province().get(province_code)
    if not features:
        raise LookupError(f"no regencies for province {province_code!r}")
    return _build(features)


# --- Colours ---------------------------------------------------------------------------------

NEUTRAL = "#e4e4e7"  # no data or zero
WHITE = "#ffffff"
# Pure black: with it, every fill reaches 4.5:1 against white or black (the worst case is 4.58:1),
# so text_color() meets WCAG AA on any colour, interpolated ones included.
DARK = "#000000"

# Sequential ramps, light to dark: ColorBrewer Blues and Reds (Cynthia Brewer, Apache-2.0
# licence), their lightest tints left out so that the first class stands apart from NEUTRAL.
_RAMPS: dict[str, tuple[str, ...]] = {
    "volume": ("#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"),
    "negative": ("#fcbba1", "#fc9272", "#fb6a4a", "#ef3b2c", "#cb181d", "#a50f15", "#67000d"),
}
MIN_STEPS, MAX_STEPS = 2, 9


def _hex_to_rgb(colour: str) -> tuple[int, int, int]:
    h = colour.strip().lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    if len(h) != 6:
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


@lru_cache(maxsize=32)
def palette(scheme: Scheme, steps: int = 5) -> tuple[str, ...]:
    """The `steps` class colours of a scheme, light to dark, spread evenly along its ramp (colours
    between two ramp stops are blended in sRGB)."""
    ramp = _RAMPS.get(scheme)
    if ramp is None:
        raise ValueError(f"unknown colour scheme: {scheme!r}")
    if not MIN_STEPS <= steps <= MAX_STEPS:
        raise ValueError(f"steps must be between {MIN_STEPS} and {MAX_STEPS}, not {steps!r}")
    colours = []
    for i in range(steps):
        position = i * (len(ramp) - 1) / (steps - 1)
        low = min(int(position), len(ramp) - 2)
        t = position - low
        a, b = _hex_to_rgb(ramp[low]), _hex_to_rgb(ramp[low + 1])
        colours.append("#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b, strict=True)))
    return tuple(colours)


def _step(value: float | None, vmax: float | None, steps: int) -> int | None:
    """The class of a value, 0..steps-1; None for no data, zero or less, or no scale."""
    if value is None or vmax is None or not (value > 0) or not (vmax > 0):  # also catches NaN
        return None
    position = value * steps / vmax  # in this order, exact for whole numbers: 70 * 10 / 100 == 7.0
    return min(max(math.ceil(position) - 1, 0), steps - 1)


def color_scale(value: float | None, vmax: float | None, scheme: Scheme, steps: int = 5) -> str:
    """The fill for a value on a 0..vmax scale: NEUTRAL grey for 0 / None / no scale, else one of
    `steps` classes of equal width, light to dark (blue for "volume", red for "negative").
    Values above vmax get the darkest class."""
    colours = palette(scheme, steps)
    step = _step(value, vmax, steps)
    return NEUTRAL if step is None else colours[step]


def _luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of "#rrggbb" (or "#rgb")."""
    channels = [c / 255 for c in _hex_to_rgb(hex_colour)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours, 1..21."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_color(fill: str) -> str:
    """White or black text for a fill ("#rrggbb"), whichever contrasts more; that is always at
    least 4.58:1 (WCAG AA). Dark fills get white, light fills black."""
    return WHITE if contrast_ratio(fill, WHITE) >= contrast_ratio(fill, DARK) else DARK


def _format_number(value: float) -> str:
    return whole(value)


def legend(vmax: float | None, scheme: Scheme, steps: int = 5) -> list[tuple[str, str]]:
    """(label, colour) for a map key, matching `color_scale(..., steps=steps)`: first the neutral
    grey ("0", also meaning no data), then one entry per class (lower bound excluded, upper
    included). "volume" counts get whole-number ranges ("1–20", "1.001–2.000"); classes that no
    whole number falls in are left out. "negative" shares are fractions 0..1, shown as percentages
    ("20–40%"). With no scale (vmax 0 / None) only the grey entry is returned."""
    colours = palette(scheme, steps)
    percent = scheme == "negative"
    entries = [("0%" if percent else "0", NEUTRAL)]
    if vmax is None or not (vmax > 0):
        return entries
    decimals = 0 if vmax * 100 / steps >= 2 else 1 if vmax * 100 / steps >= 0.2 else 2
    for i, colour in enumerate(colours):
        lower, upper = vmax * i / steps, vmax * (i + 1) / steps
        if percent:
            label = f"{lower * 100:.{decimals}f}–{upper * 100:.{decimals}f}%".replace(".", ",")
        else:
            first, last = math.floor(lower) + 1, math.floor(upper)
            if first > last:
                continue
            label = _format_number(first) if first == last else f"{_format_number(first)}–{_format_number(last)}"
        entries.append((label, colour))
    return entries
