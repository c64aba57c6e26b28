"""Where is this? A point (latitude, longitude) to the regency it lies in, and so to its
Kankemenag. Boundaries: simplified regency polygons from cahyadsn/wilayah_boundaries (MIT,
data/LICENSE-geo), loaded once per process into a spatial index."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from shapely import STRtree
from shapely.geometry import Point, shape


@lru_cache(maxsize=1)
def _index() -> tuple[STRtree, list[str], list[object]]:
    text = resources.files("satupintu.organization").joinpath("data", "regencies-simplified.geojson").read_text(
        encoding="utf-8"
    )
    features = json.loads(text)["features"]
    geometries = [shape(f["geometry"]) for f in features]
    return STRtree(geometries), [f["properties"]["code"] for f in features], geometries


def regency_code_at(latitude: float, longitude: float) -> str | None:
    """The Kemendagri code of the regency or city containing the point, or None (at sea, abroad)."""
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    tree, codes, geometries = _index()
    point = Point(longitude, latitude)
    for i in tree.query(point):
        if geometries[i].covers(point):  # type: ignore[attr-defined]
            return codes[i]
    return None
