"""A small map for an office's public page: its region's shape (the regency or city of a
Kankemenag, the province of a Kanwil) with a marker where the desk is, as inline SVG.

Our own drawing from the shipped boundaries (data/*-simplified.geojson, MIT, see
data/LICENSE-geo): no map tiles, no CDN, nothing fetched from anyone. Without coordinates
the marker sits at a point inside the region, and the page says it is the region only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import shapely
from shapely.geometry import Point, Polygon, shape

from satupintu.organization.models import Level, Office

SIZE = 300.0  # SVG units on the longer side
PADDING = 12.0
# Offices of the centre: the map shows DKI Jakarta.
PUSAT_REGION = "31"


@dataclass(frozen=True)
class OfficeMap:
    view_box: str
    region_name: str
    region_path: str
    marker_x: float
    marker_y: float
    exact: bool  # the office's own coordinates (else a point inside the region)


@lru_cache(maxsize=2)
def _shapes(filename: str) -> dict[str, tuple[str, object]]:
    text = resources.files("satupintu.organization").joinpath("data", filename).read_text(encoding="utf-8")
    result: dict[str, tuple[str, object]] = {}
    for feature in json.loads(text)["features"]:
        code = str(feature["properties"]["code"]).strip()
        if filename.startswith("provinces"):
            code = code.zfill(2)
        result[code] = (str(feature["properties"]["name"]).strip(), shape(feature["geometry"]))
    return result


def _region(office: Office) -> tuple[str, object] | None:
    if office.level == Level.KANKEMENAG:
        return _shapes("regencies-simplified.geojson").get(office.code)
    code = (office.province_code or office.code) if office.level == Level.KANWIL else PUSAT_REGION
    return _shapes("provinces-simplified.geojson").get(code)


def _ring(coords: list[tuple[float, float]]) -> str:
    points = [f"{x:.1f} {y:.1f}" for x, y in coords[:-1]] if len(coords) > 3 else []
    return "M" + " ".join(points) + "Z" if len(points) >= 3 else ""


def office_map(office: Office) -> OfficeMap | None:
    """The office's region with its marker, or None when the region has no shipped shape."""
    region = _region(office)
    if region is None:
        return None
    name, geometry = region
    exact = office.latitude is not None and office.longitude is not None
    point = Point(float(office.longitude), float(office.latitude)) if exact else geometry.representative_point()  # type: ignore[arg-type,attr-defined]
    minx, miny, maxx, maxy = shapely.total_bounds([geometry, point])
    scale = (SIZE - 2 * PADDING) / max(maxx - minx, maxy - miny, 1e-9)

    def project(coords):  # type: ignore[no-untyped-def]
        out = coords.copy()
        out[:, 0] = (coords[:, 0] - minx) * scale + PADDING
        out[:, 1] = (maxy - coords[:, 1]) * scale + PADDING  # north up
        return out

    projected = shapely.transform(geometry, project).simplify(0.4, preserve_topology=True)
    path = "".join(
        _ring(list(polygon.exterior.coords)) + "".join(_ring(list(hole.coords)) for hole in polygon.interiors)
        for polygon in shapely.get_parts(projected) if isinstance(polygon, Polygon)
    )
    marker = shapely.transform(point, project)
    width = round((maxx - minx) * scale + 2 * PADDING, 1)
    height = round((maxy - miny) * scale + 2 * PADDING, 1)
    return OfficeMap(view_box=f"0 0 {width} {height}", region_name=name, region_path=path,
                     marker_x=round(marker.x, 1), marker_y=round(marker.y, 1), exact=exact)
