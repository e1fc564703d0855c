"""Events per city neighbourhood (OCHA polygons), for the map's choropleth at city scale.

An event counts in a neighbourhood when its place is that neighbourhood (same OCHA pcode) or a point sure enough
to lie in one (CITY_PRECISION_M); places vaguer than that (a district of several neighbourhoods, a facility
located within kilometres) stay as their own marks and are not spread over polygons they may not be in.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.model.dataset import Dataset
from data.views.palette import SIDE_ORDER
from geo.containment import locate_points
from geo.outlines import load_outline

CITY_PRECISION_M = 1500


def neighbourhood_features() -> list[dict]:
    """The shipped OCHA neighbourhood polygons (Aleppo and Homs)."""
    return load_outline("neighbourhoods")["features"]


def place_neighbourhoods(ds: Dataset) -> np.ndarray:
    """For each place row, the index of its neighbourhood polygon, or -1 (by pcode, else by a precise point)."""
    features = neighbourhood_features()
    by_pcode = {f["properties"]["pcode"]: i for i, f in enumerate(features)}
    places = ds.places
    pcodes = places["pcode"].fillna("").astype(str).to_numpy() if "pcode" in places.columns else np.full(len(places), "")
    found = np.array([by_pcode.get(code, -1) for code in pcodes], dtype=np.int64)
    precise = (found < 0) & (pd.to_numeric(places["precision_m"], errors="coerce").fillna(np.inf).to_numpy() <= CITY_PRECISION_M)
    if precise.any():
        rows = np.flatnonzero(precise)
        found[rows] = locate_points(features, places["lat"].to_numpy(dtype=float)[rows], places["lon"].to_numpy(dtype=float)[rows])
    return found


def neighbourhood_counts(ds: Dataset, event_mask: np.ndarray, place_hoods: np.ndarray) -> pd.DataFrame:
    """One row per neighbourhood holding the events of `event_mask`: pcode, name, city, n_events, side (most
    frequent lead side), label_lat, label_lon, feature (the polygon's index in neighbourhood_features()), and
    place_id: the place a click on the polygon selects (clicked_place_of)."""
    events = ds.events
    place_pos = events["place_pos"].to_numpy()[event_mask]
    placed = place_pos >= 0
    hood = place_hoods[place_pos[placed]] if place_hoods.size else np.zeros(0, dtype=np.int64)
    inside = hood >= 0
    if not inside.any():
        return pd.DataFrame(columns=["pcode", "name", "city", "n_events", "side", "label_lat", "label_lon", "feature", "place_id"])
    hood = hood[inside]
    place_of_event = place_pos[placed][inside]
    sides = events["lead_side"].cat.codes.to_numpy()[event_mask][placed][inside]
    features = neighbourhood_features()
    counts = np.bincount(hood, minlength=len(features))
    by_side = np.bincount(hood * len(SIDE_ORDER) + sides, minlength=len(features) * len(SIDE_ORDER)).reshape(len(features), len(SIDE_ORDER))
    present = np.flatnonzero(counts)
    props = [features[i]["properties"] for i in present]
    return pd.DataFrame({
        "pcode": [p["pcode"] for p in props],
        "name": [p["name"] for p in props],
        "city": [p.get("city", "") for p in props],
        "n_events": counts[present],
        "side": [SIDE_ORDER[i] for i in by_side[present].argmax(axis=1)],
        "label_lat": [p["label_lat"] for p in props],
        "label_lon": [p["label_lon"] for p in props],
        "feature": present,
        "place_id": clicked_place_of(ds, hood, place_of_event, present, [p["pcode"] for p in props]),
    }).sort_values(["n_events", "name"], ascending=[False, True], ignore_index=True)


def clicked_place_of(ds: Dataset, hood: np.ndarray, place_pos: np.ndarray, present: np.ndarray, pcodes: list[str]) -> list[str]:
    """For each neighbourhood in `present`, the place a click on it selects: the gazetteer's entry for the
    neighbourhood itself (same OCHA pcode) when its events are shown, else the place in it with the most of the
    shown events (ties: the gazetteer's order). Its marks stay clickable too; the polygon is a larger target.

    hood, place_pos: per shown event inside a neighbourhood, the polygon's index and the place's row."""
    place_ids = ds.places["place_id"].astype(str).to_numpy()
    place_pcodes = ds.places["pcode"].fillna("").astype(str).to_numpy() if "pcode" in ds.places.columns else np.full(len(place_ids), "")
    frame = pd.DataFrame({"hood": hood, "place": place_pos})
    counts = frame.groupby(["hood", "place"]).size().rename("n").reset_index()
    chosen = {}
    for hood_index, group in counts.groupby("hood"):
        chosen[int(hood_index)] = group.sort_values(["n", "place"], ascending=[False, True])["place"].to_numpy()
    picked = []
    for index, pcode in zip(present, pcodes):
        rows = chosen.get(int(index), np.zeros(0, dtype=np.int64))
        own = [row for row in rows if pcode and place_pcodes[row] == pcode]
        picked.append(place_ids[own[0] if own else rows[0]] if len(rows) else "")
    return picked
