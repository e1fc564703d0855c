"""Light outline layers for a map that must stay readable offline (no tiles).

Built once from ../shared/reference (Natural Earth countries, OCHA governorates and city
neighbourhoods) by `python -m geo.outlines`, and shipped in geo/outlines/ so the app never
needs ../shared at run time. Coordinates are rounded and only the region around Syria is kept.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

OUTLINE_DIR = Path(__file__).resolve().parent / "outlines"
REFERENCE_DIR = Path(__file__).resolve().parents[2] / "shared" / "reference"
REGION = (24.0, 27.0, 52.0, 43.0)  # lon_min, lat_min, lon_max, lat_max around Syria
NEIGHBOURHOOD_CITIES = ("Aleppo", "Homs")
LAYERS = ("countries", "governorates", "neighbourhoods")


def _round_ring(ring: list, digits: int) -> list:
    out: list = []
    for lon, lat, *_ in ring:
        point = [round(lon, digits), round(lat, digits)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def _round_geometry(geometry: dict, digits: int) -> dict:
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [_round_ring(r, digits) for r in geometry["coordinates"]]}
    if geometry["type"] == "MultiPolygon":
        return {
            "type": "MultiPolygon",
            "coordinates": [[_round_ring(r, digits) for r in polygon] for polygon in geometry["coordinates"]],
        }
    raise ValueError(f"unexpected geometry type {geometry['type']!r}")


def _touches_region(geometry: dict) -> bool:
    rings = geometry["coordinates"] if geometry["type"] == "Polygon" else [r for p in geometry["coordinates"] for r in p]
    lon_min, lat_min, lon_max, lat_max = REGION
    return any(lon_min <= lon <= lon_max and lat_min <= lat <= lat_max for ring in rings for lon, lat, *_ in ring)


def build_outlines(reference_dir: Path = REFERENCE_DIR, out_dir: Path = OUTLINE_DIR) -> dict[str, int]:
    """Write the three outline files from the reference data; returns features written per layer."""
    out_dir.mkdir(parents=True, exist_ok=True)
    countries = json.loads((reference_dir / "naturalearth" / "countries_110m.geojson").read_text(encoding="utf-8"))
    admin1 = json.loads((reference_dir / "ocha" / "syria_admin1.geojson").read_text(encoding="utf-8"))
    hoods = json.loads((reference_dir / "ocha" / "syria_city_neighbourhoods.geojson").read_text(encoding="utf-8"))
    layers = {
        "countries": [
            {"type": "Feature", "properties": {"name": f["properties"].get("name", "")}, "geometry": _round_geometry(f["geometry"], 3)}
            for f in countries["features"]
            if _touches_region(f["geometry"])
        ],
        "governorates": [
            {
                "type": "Feature",
                "properties": {"name": f["properties"]["adm1_name"], "pcode": f["properties"]["adm1_pcode"]},
                "geometry": _round_geometry(f["geometry"], 3),
            }
            for f in admin1["features"]
        ],
        "neighbourhoods": [
            {
                "type": "Feature",
                "properties": {
                    "name": f["properties"]["name_en"],
                    "city": f["properties"]["city_en"],
                    "pcode": f["properties"]["pcode"],
                    "label_lat": round(f["properties"]["centroid_lat"], 5),
                    "label_lon": round(f["properties"]["centroid_lon"], 5),
                },
                "geometry": _round_geometry(f["geometry"], 4),
            }
            for f in hoods["features"]
            if f["properties"]["city_en"] in NEIGHBOURHOOD_CITIES
        ],
    }
    counts = {}
    for name, features in layers.items():
        path = out_dir / f"{name}.geojson"
        path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")), encoding="utf-8")
        counts[name] = len(features)
    return counts


@lru_cache(maxsize=None)
def load_outline(name: str) -> dict:
    """One shipped outline layer as a GeoJSON FeatureCollection (read once per process)."""
    if name not in LAYERS:
        raise ValueError(f"outline must be one of {LAYERS}, got {name!r}")
    return json.loads((OUTLINE_DIR / f"{name}.geojson").read_text(encoding="utf-8"))


if __name__ == "__main__":
    print(json.dumps(build_outlines()))
