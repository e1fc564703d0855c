"""Offline basemap layers (roads, railways, rivers, water, built-up areas, towns, airfields, Aleppo city detail).

Built once from ../shared/reference/basemap (OpenStreetMap 2021 extracts, Natural Earth, GeoNames, OCHA) by
`python -m geo.basemap`: only what an analyst reads on a conflict map is kept, lines are simplified with
Douglas-Peucker, tiny pieces are dropped and coordinates are rounded, so the map stays small enough to send
with every rerun. The files in geo/basemap/ derived from OpenStreetMap stay under ODbL 1.0 (see README Credits).
Pure: no streamlit or pydeck here.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path

BASEMAP_DIR = Path(__file__).resolve().parent / "basemap"
SOURCE_DIR = Path(__file__).resolve().parents[2] / "shared" / "reference" / "basemap"
ALEPPO_BOX = (36.95, 36.06, 37.40, 36.36)  # lon_min, lat_min, lon_max, lat_max of the city-detail layers
CREDITS = (
    "© OpenStreetMap contributors (ODbL)",
    "Natural Earth",
    "GeoNames (CC BY 4.0)",
    "OCHA COD-AB (CC BY-IGO)",
)
ROAD_RANK = {"motorway": 0, "trunk": 1, "primary": 2, "secondary": 3, "tertiary": 4, "minor": 5, "rail": 6}
TOWN_MIN_POPULATION_ABROAD = 40_000  # across the border only the bigger towns orient the reader
# Airfields that matter in the war, in English (our own exonyms), keyed by the OSM label's name; the position
# is OSM's. Unnamed OSM labels are matched by position instead (Kuweires has no name in the 2021 tiles).
AIRFIELD_NAMES = {
    "قاعدة حميميم الجوية": "Hmeimim Air Base",
    "مطار المزة": "Mezzeh Airport",
    "قاعدة مرج رهيل الجوية": "Marj Ruhayyil Air Base",
    "مطار الثعلة": "Tha'la Airport",
    "مطار دمشق الدولي": "Damascus Int'l Airport",
    "قاعدة خلخلة الجوية": "Khalkhalah Air Base",
    "قاعدة القصير الجوية": "Al-Qusayr Air Base",
    "مطار حماه": "Hama Air Base",
    "قاعدة عفيص الجوية": "Taftanaz Air Base",
    "قاعدة ضمير العسكرية": "Dumayr Air Base",
    "قاعدة شيرات الجوية": "Shayrat Air Base",
    "An Nasiriya Air Base": "Nasiriyah Air Base",
    "مطار عسكري منق": "Menagh Air Base",
    "Abu ad Duhur Air Base": "Abu al-Duhur Air Base",
    "مطار حلب الدولي": "Aleppo Int'l Airport",
    "مطار السين العسكري": "Al-Sin Air Base",
    "قاعدة تياس الجوية": "Tiyas (T4) Air Base",
    "مطار الجراح": "Jirah Air Base",
    "مطار تدمر": "Palmyra Airport",
    "Tabqa Military Airbase": "Tabqa Air Base",
    "مطار دير الزور العسكري": "Deir ez-Zor Air Base",
    "مطار القامشلي الدولي": "Qamishli Airport",
    "Rumeilan Air Base": "Rumeilan Air Base",
}
AIRFIELD_BY_POSITION = {(37.5797, 36.1874): "Kuweires Air Base"}
# Aleppo landmarks the seed's reports name, in English (our own words), found in OSM by their name and near
# the given point (several OSM points can share a name).
LANDMARKS = (
    ("Citadel", "قلعة حلب", 37.1628, 36.1994),
    ("al-Kindi Hospital", "مشفى الكندي", 37.1828, 36.2672),
    ("Military Academy", "الأكاديمية العسكرية", 37.0947, 36.1815),
    ("Artillery College", "كلية المدفعية", 37.1175, 36.1603),
    ("Cement factory", "معمل الاسمنت", 37.1438, 36.1516),
    ("University of Aleppo", "جامعة حلب", 37.1217, 36.2104),
    ("Aleppo Stadium", "استاد حلب الدولي", 37.1176, 36.1850),
    ("Handarat camp", "Handarat refugees camp", 37.1728, 36.2694),
    ("National Museum", "National Museum of Aleppo", 37.1503, 36.2034),
    ("Ramouseh bus garage", "كراج الراموسة", 37.1268, 36.1654),
    ("Air Force Intelligence", "فرع المخابرات الجوية", 37.1069, 36.2291),
    ("Hanano Barracks", "ثكنة هنانو", 37.1698, 36.2090),
    ("Sheikh Najjar industrial city", None, 37.2580, 36.2630),
)


def simplify(points: list, tolerance: float) -> list:
    """Douglas-Peucker on lon/lat degrees: drop the vertices within `tolerance` of the line that skips them.

    >>> simplify([[0, 0], [1, 0.001], [2, 0], [3, 5]], 0.01)
    [[0, 0], [2, 0], [3, 5]]
    >>> simplify([[0, 0]], 1.0)
    [[0, 0]]
    """
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:  # iterative, so a long river cannot exhaust the recursion limit
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first][:2], points[last][:2]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        worst, worst_at = -1.0, first
        for i in range(first + 1, last):
            x, y = points[i][:2]
            distance = abs(dy * (x - x1) - dx * (y - y1)) / norm if norm else math.hypot(x - x1, y - y1)
            if distance > worst:
                worst, worst_at = distance, i
        if worst > tolerance:
            keep[worst_at] = True
            stack += [(first, worst_at), (worst_at, last)]
    return [p for p, kept in zip(points, keep) if kept]


def _rounded(points: list, digits: int) -> list:
    out: list = []
    for lon, lat, *_ in points:
        point = [round(lon, digits), round(lat, digits)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def _length(points: list) -> float:
    return sum(math.hypot(b[0] - a[0], b[1] - a[1]) for a, b in zip(points, points[1:]))


def _area(ring: list) -> float:
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:]))) / 2


def _line(coordinates: list, tolerance: float, digits: int, min_length: float) -> list | None:
    """A simplified, rounded line, or None when it is shorter than min_length degrees."""
    if _length(coordinates) < min_length:
        return None
    line = _rounded(simplify(coordinates, tolerance), digits)
    return line if len(line) >= 2 else None


def _polygons(geometry: dict, tolerance: float, digits: int, min_area: float) -> list:
    """The geometry's polygons, simplified and rounded, without parts or holes smaller than min_area deg²."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    out = []
    for polygon in polygons:
        rings = []
        for ring in polygon:
            if _area(ring) < min_area:
                if not rings:
                    break  # the outer ring is too small: drop the polygon
                continue
            simple = _rounded(simplify(ring, tolerance), digits)
            if len(simple) >= 4:
                rings.append(simple)
            elif not rings:
                break
        if rings:
            out.append(rings)
    return out


def _feature(geometry: dict, **properties) -> dict:
    return {"type": "Feature", "properties": {k: v for k, v in properties.items() if v not in (None, "")}, "geometry": geometry}


def _read(source_dir: Path, name: str) -> list[dict]:
    return json.loads((source_dir / f"{name}.geojson").read_text(encoding="utf-8"))["features"]


def _lines(features, *, tolerance, digits=5, min_length=0.0, properties=lambda p: {}, keep=lambda p: True) -> list[dict]:
    out = []
    for f in features:
        if not keep(f["properties"]) or f["geometry"]["type"] != "LineString":
            continue
        line = _line(f["geometry"]["coordinates"], tolerance, digits, min_length)
        if line:
            out.append(_feature({"type": "LineString", "coordinates": line}, **properties(f["properties"])))
    return out


def _areas(features, *, tolerance, digits=5, min_area=0.0, properties=lambda p: {}, keep=lambda p: True) -> list[dict]:
    out = []
    for f in features:
        if not keep(f["properties"]) or f["geometry"]["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polygons = _polygons(f["geometry"], tolerance, digits, min_area)
        if polygons:
            geometry = {"type": "Polygon", "coordinates": polygons[0]} if len(polygons) == 1 else {"type": "MultiPolygon", "coordinates": polygons}
            out.append(_feature(geometry, **properties(f["properties"])))
    return out


def _point(lon: float, lat: float) -> dict:
    return {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]}


def _towns(source_dir: Path) -> list[dict]:
    """GeoNames places: every Syrian one (cities500), the bigger ones across the border; English names only."""
    out = []
    for f in _read(source_dir, "syria_places_geonames"):
        p = f["properties"]
        if p["countrycode"] != "SY" and p["population"] < TOWN_MIN_POPULATION_ABROAD:
            continue
        lon, lat = f["geometry"]["coordinates"][:2]
        out.append(_feature(_point(lon, lat), name=p["name"], population=int(p["population"]), country=p["countrycode"],
                            geonameid=int(p["geonameid"])))
    return sorted(out, key=lambda f: -f["properties"]["population"])


def _airfields(source_dir: Path) -> list[dict]:
    out = []
    for f in _read(source_dir, "syria_aerodromes"):
        if f["geometry"]["type"] != "Point" or f["properties"].get("kind") != "aerodrome_label":
            continue
        lon, lat = f["geometry"]["coordinates"][:2]
        name = AIRFIELD_NAMES.get(f["properties"].get("name", "")) or AIRFIELD_BY_POSITION.get((round(lon, 4), round(lat, 4)))
        if name:
            out.append(_feature(_point(lon, lat), name=name, icao=f["properties"].get("icao")))
    return out


def _landmarks(source_dir: Path) -> list[dict]:
    pois = _read(source_dir, "aleppo_pois")
    out = []
    for english, osm_name, lon, lat in LANDMARKS:
        found = [f["geometry"]["coordinates"] for f in pois if osm_name and f["properties"].get("name") == osm_name]
        nearest = min(found, key=lambda c: math.hypot(c[0] - lon, c[1] - lat), default=None)
        if nearest and math.hypot(nearest[0] - lon, nearest[1] - lat) < 0.01:
            out.append(_feature(_point(*nearest[:2]), name=english, source="OSM"))
        else:  # no OSM point: our own placement on the OSM landuse it names
            out.append(_feature(_point(lon, lat), name=english, source="placed by hand on OSM landuse"))
    return out


def _road_props(p: dict) -> dict:
    return {"class": p["class"], "ref": p.get("ref")}


def build_layers(source_dir: Path = SOURCE_DIR) -> dict[str, list[dict]]:
    """Every shipped layer's features, from the reference files."""
    major = lambda p: p["class"] in ("motorway", "trunk", "primary")  # noqa: E731
    return {
        "roads": _lines(_read(source_dir, "syria_roads_major"), tolerance=0.0012, digits=4, min_length=0.02,
                        properties=_road_props),
        "railways": _lines(_read(source_dir, "syria_railways"), tolerance=0.003, digits=4, min_length=0.05),
        "rivers": _lines(_read(source_dir, "syria_waterways"), tolerance=0.0015, digits=4, min_length=0.08,
                         keep=lambda p: p["class"] == "river" and (p.get("name_en") or p.get("name")),
                         properties=lambda p: {"name": p.get("name_en")}),
        "water": _areas(_read(source_dir, "syria_water_bodies"), tolerance=0.0015, digits=4, min_area=0.0003),
        "builtup": _areas(_read(source_dir, "syria_builtup_osm"), tolerance=0.0015, digits=4, min_area=0.0003),
        "towns": _towns(source_dir),
        "airfields": _airfields(source_dir),
        "aleppo_roads": _lines(_read(source_dir, "aleppo_roads"), tolerance=0.0001, digits=4, min_length=0.002,
                               keep=lambda p: p["class"] != "rail" and not major(p), properties=_road_props),
        "aleppo_major_roads": _lines(_read(source_dir, "aleppo_roads"), tolerance=0.00008, digits=4, min_length=0.001,
                                     keep=major, properties=_road_props),
        "aleppo_streets": _lines(_read(source_dir, "aleppo_streets_minor"), tolerance=0.00015, digits=4, min_length=0.008,
                                 keep=lambda p: p["class"] == "minor"),
        "aleppo_builtup": _areas(_read(source_dir, "aleppo_builtup"), tolerance=0.0003, digits=4, min_area=0.00002),
        "aleppo_landuse": _areas(_read(source_dir, "aleppo_landuse"), tolerance=0.0001, digits=4, min_area=0.000005,
                                 keep=lambda p: p["class"] in ("military", "industrial", "cemetery"),
                                 properties=lambda p: {"class": p["class"]}),
        "aleppo_water": _lines(_read(source_dir, "aleppo_water"), tolerance=0.00005, digits=5, min_length=0.004,
                               keep=lambda p: p["class"] in ("river", "canal", "stream"),
                               properties=lambda p: {"name": p.get("name_en")}),
        "aleppo_landmarks": _landmarks(source_dir),
    }


def _outside_box(features: list[dict], box: tuple[float, float, float, float]) -> list[dict]:
    """The features not wholly inside the box (a country road inside the city gives way to the city's finer one)."""
    lon_min, lat_min, lon_max, lat_max = box

    def inside(feature: dict) -> bool:
        return all(lon_min <= lon <= lon_max and lat_min <= lat <= lat_max for lon, lat in _points(feature["geometry"]))

    return [feature for feature in features if not inside(feature)]


def derived_layers(layers: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Layers made from other shipped layers: the country roads outside Aleppo's city-detail box."""
    return {"roads_outside_aleppo": _outside_box(layers["roads"], ALEPPO_BOX)}


LAYERS = ("roads", "roads_outside_aleppo", "railways", "rivers", "water", "builtup", "towns", "airfields", "aleppo_roads", "aleppo_major_roads",
          "aleppo_streets", "aleppo_builtup", "aleppo_landuse", "aleppo_water", "aleppo_landmarks")


def build_basemap(source_dir: Path = SOURCE_DIR, out_dir: Path = BASEMAP_DIR) -> dict[str, dict[str, int]]:
    """Write the shipped layers; returns features and bytes per layer."""
    out_dir.mkdir(parents=True, exist_ok=True)
    report = {}
    layers = build_layers(source_dir)
    for name, features in (layers | derived_layers(layers)).items():
        text = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":"))
        (out_dir / f"{name}.geojson").write_text(text, encoding="utf-8")
        report[name] = {"features": len(features), "bytes": len(text.encode())}
    return report


@lru_cache(maxsize=None)
def load_layer(name: str) -> dict:
    """One shipped basemap layer as a GeoJSON FeatureCollection (read once per process)."""
    if name not in LAYERS:
        raise ValueError(f"basemap layer must be one of {LAYERS}, got {name!r}")
    return json.loads((BASEMAP_DIR / f"{name}.geojson").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def feature_boxes(name: str) -> tuple[tuple[float, float, float, float], ...]:
    """Each feature's lon_min, lat_min, lon_max, lat_max, in the layer's order: to send only what is near the view."""
    boxes = []
    for f in load_layer(name)["features"]:
        points = list(_points(f["geometry"]))
        lons, lats = [p[0] for p in points], [p[1] for p in points]
        boxes.append((min(lons), min(lats), max(lons), max(lats)))
    return tuple(boxes)


def _points(geometry: dict):
    coordinates = geometry["coordinates"]
    depth = {"Point": 0, "LineString": 1, "Polygon": 2, "MultiPolygon": 3}[geometry["type"]]
    stack = [(coordinates, depth)]
    while stack:
        item, level = stack.pop()
        if level == 0:
            yield item
        else:
            stack += [(child, level - 1) for child in item]


def _spaced_points(lines: list[list], spacing: float) -> list[tuple[float, float]]:
    """Vertices along the lines, longest line first, every `spacing` degrees of length and as far from each other."""
    chosen: list[tuple[float, float]] = []
    for line in sorted(lines, key=_length, reverse=True):
        if _length(line) < spacing / 3:
            break
        travelled, next_at = 0.0, min(spacing, _length(line)) / 2
        for a, b in zip(line, line[1:]):
            travelled += math.hypot(b[0] - a[0], b[1] - a[1])
            if travelled >= next_at:
                next_at += spacing
                if all(math.hypot(b[0] - x, b[1] - y) >= spacing for x, y in chosen):
                    chosen.append((b[0], b[1]))
    return chosen


@lru_cache(maxsize=None)
def river_label_points() -> tuple[tuple[str, float, float], ...]:
    """Where to write each named river: on its longest stretches, about a degree apart."""
    by_name: dict[str, list] = {}
    for f in load_layer("rivers")["features"]:
        if f["properties"].get("name"):
            by_name.setdefault(f["properties"]["name"], []).append(f["geometry"]["coordinates"])
    return tuple((name, lon, lat) for name, lines in sorted(by_name.items()) for lon, lat in _spaced_points(lines, 1.0))


@lru_cache(maxsize=None)
def road_ref_points() -> tuple[tuple[str, float, float], ...]:
    """Where to write the numbers of the M-roads (M4, M5...): on their longest pieces, about 0.8 degree apart."""
    by_ref: dict[str, list] = {}
    for f in load_layer("roads")["features"]:
        ref = f["properties"].get("ref", "")
        if re.fullmatch(r"M\d+", ref):
            by_ref.setdefault(ref, []).append(f["geometry"]["coordinates"])
    return tuple((ref, lon, lat) for ref, lines in sorted(by_ref.items()) for lon, lat in _spaced_points(lines, 0.8))


def is_in_aleppo(lon: float, lat: float, margin: float = 0.0) -> bool:
    """Whether a point lies in the box the city-detail layers cover (widened by margin degrees)."""
    lon_min, lat_min, lon_max, lat_max = ALEPPO_BOX
    return lon_min - margin <= lon <= lon_max + margin and lat_min - margin <= lat <= lat_max + margin


if __name__ == "__main__":
    print(json.dumps(build_basemap(), indent=1))
