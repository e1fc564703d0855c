"""What the map shows: one mark per place with its filtered events, side, status and uncertainty."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from data.filters import Selection
from data.taxonomy import SIDE_LABELS, SIDES

SIDE_ORDER = (*SIDES, "unknown")
# Okabe-Ito, a palette readable with the common colour-vision deficiencies.
SIDE_COLOURS: dict[str, tuple[int, int, int]] = {
    "government": (213, 94, 0),
    "government_ally": (230, 159, 0),
    "opposition": (0, 114, 178),
    "jihadist": (86, 180, 233),
    "isis": (0, 0, 0),
    "sdf": (0, 158, 115),
    "international": (204, 121, 167),
    "monitor": (120, 120, 120),
    "media": (160, 160, 160),
    "civilian": (240, 228, 66),
    "analyst": (170, 170, 170),
    "other": (190, 190, 190),
    "unknown": (200, 200, 200),
}
STATUS_ORDER = ("contested", "corroborated", "single-source", "unclaimed")
MAX_TOOLTIP_EVENTS = 5


def places_for_map(selection: Selection) -> pd.DataFrame:
    """One row per place holding filtered events: position, uncertainty, counts by side and status.

    Columns: place_id, name, kind, lat, lon, precision_m, n_events, side (most frequent lead side),
    n_contested, n_corroborated, n_single, mark_lat, mark_lon (spread apart when places share
    coordinates), tooltip (plain text).
    """
    ds = selection.dataset
    events = ds.events
    mask = selection.event_mask
    place_pos = events["place_pos"].to_numpy()[mask]
    placed = place_pos >= 0
    place_pos = place_pos[placed]
    n_places = len(ds.places)
    counts = np.bincount(place_pos, minlength=n_places)
    present = np.flatnonzero(counts)
    if present.size == 0:
        return _empty_places()
    side_codes = events["lead_side"].cat.codes.to_numpy()[mask][placed]
    by_side = np.bincount(place_pos * len(SIDE_ORDER) + side_codes, minlength=n_places * len(SIDE_ORDER))
    by_side = by_side.reshape(n_places, len(SIDE_ORDER))[present]
    status_codes = events["status"].cat.codes.to_numpy()[mask][placed]
    status_names = list(events["status"].cat.categories)
    by_status = np.bincount(place_pos * len(status_names) + status_codes, minlength=n_places * len(status_names))
    by_status = by_status.reshape(n_places, len(status_names))[present]
    places = ds.places.iloc[present]
    out = pd.DataFrame(
        {
            "place_id": places["place_id"].to_numpy(),
            "name": places["name"].to_numpy(),
            "kind": places["kind"].to_numpy(),
            "lat": places["lat"].to_numpy(),
            "lon": places["lon"].to_numpy(),
            "precision_m": places["precision_m"].to_numpy(),
            "coord_source": places["coord_source"].to_numpy(),
            "n_events": counts[present],
            "side": [SIDE_ORDER[i] for i in by_side.argmax(axis=1)],
        }
    )
    for status in STATUS_ORDER:
        column = f"n_{status.replace('-', '_')}"
        out[column] = by_status[:, status_names.index(status)] if status in status_names else 0
    _spread_shared_coordinates(out)
    out["tooltip"] = _tooltips(selection, out)
    return out.sort_values(["n_events", "place_id"], ascending=[False, True], ignore_index=True)


def count_unplaced(selection: Selection) -> int:
    """Filtered events the map cannot show because they have no place."""
    return int((selection.dataset.events["place_pos"].to_numpy()[selection.event_mask] < 0).sum())


def _empty_places() -> pd.DataFrame:
    columns = ["place_id", "name", "kind", "lat", "lon", "precision_m", "coord_source", "n_events", "side"]
    columns += [f"n_{s.replace('-', '_')}" for s in STATUS_ORDER] + ["mark_lat", "mark_lon", "tooltip"]
    return pd.DataFrame({name: pd.Series(dtype=object) for name in columns})


def _spread_shared_coordinates(places: pd.DataFrame) -> None:
    """Places at the same point get marks on a small ring around it, so each stays clickable."""
    places["mark_lat"] = places["lat"].astype(float)
    places["mark_lon"] = places["lon"].astype(float)
    key = places["lat"].round(4).astype(str) + "," + places["lon"].round(4).astype(str)
    for _, index in places.groupby(key).groups.items():
        if len(index) < 2:
            continue
        ring_m = 350.0
        for k, row in enumerate(sorted(index)):
            angle = 2 * math.pi * k / len(index)
            lat = places.at[row, "lat"]
            places.at[row, "mark_lat"] = lat + (ring_m * math.cos(angle)) / 111_320
            places.at[row, "mark_lon"] = places.at[row, "lon"] + (ring_m * math.sin(angle)) / (111_320 * max(math.cos(math.radians(lat)), 0.01))


def _tooltips(selection: Selection, places: pd.DataFrame) -> list[str]:
    """Plain-text tooltips: place, precision, counts by status, and the first few events."""
    events = selection.events
    by_place = events[events["place_id"].isin(places["place_id"])].sort_values("day_start")
    firsts = by_place.groupby("place_id", sort=False).head(MAX_TOOLTIP_EVENTS)
    lines_by_place: dict[str, list[str]] = {}
    for place_id, start, summary, status in zip(firsts["place_id"], firsts["date_start"], firsts["summary"], firsts["status"]):
        lines_by_place.setdefault(place_id, []).append(f"{start:%Y-%m-%d} [{status}] {_short(summary, 90)}")
    tooltips = []
    for row in places.itertuples(index=False):
        status_bits = [f"{getattr(row, 'n_' + s.replace('-', '_'))} {s}" for s in STATUS_ORDER if getattr(row, "n_" + s.replace("-", "_"))]
        header = f"{_short(row.name, 80)} ({row.kind}, ±{_distance(row.precision_m)})"
        lines = [header, f"{row.n_events} events: " + ", ".join(status_bits), f"Mostly: {SIDE_LABELS.get(row.side, row.side)}"]
        lines += lines_by_place.get(row.place_id, [])
        if row.n_events > MAX_TOOLTIP_EVENTS:
            lines.append(f"… and {row.n_events - MAX_TOOLTIP_EVENTS} more")
        tooltips.append("\n".join(lines))
    return tooltips


def _short(text: str, limit: int) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _distance(metres: float) -> str:
    return f"{metres / 1000:.1f} km" if metres >= 1000 else f"{metres:.0f} m"
