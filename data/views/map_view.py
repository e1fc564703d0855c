"""What the map shows: one mark per place with its filtered events, side, status and uncertainty."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from data.model.taxonomy import SIDE_LABELS
from data.views.derived import derived
from data.views.filters import Selection
from data.views.palette import SIDE_ORDER

STATUS_ORDER = ("contested", "conceded", "corroborated", "single-source", "unclaimed")
MAX_TOOLTIP_EVENTS = 5
MAX_PLACE_MARKS = 2000  # above this many places with events, the map shows grid cells instead of places
MAX_EVENT_LINES_PLACES = 400  # above this many places, tooltips give counts only (the event lines cost ~400 B each)
GRID_CELLS_ACROSS = 40  # grid cells along the longer side of the filtered places' extent
GRID_KIND = "grid cell"


def places_for_map(selection: Selection, *, max_places: int = MAX_PLACE_MARKS) -> pd.DataFrame:
    """One row per place holding filtered events: position, uncertainty, counts by side and status.

    Columns: place_id, name, kind, lat, lon, precision_m, n_events, side (most frequent lead side),
    n_contested, n_corroborated, n_single, mark_lat, mark_lon (spread apart when places share
    coordinates), tooltip (plain text).

    When more than `max_places` places hold filtered events, the rows are grid cells instead (kind
    "grid cell", blank place_id, lat/lon the cell's corner, mark_lat/mark_lon the events' centre):
    what the browser receives then stays the same size however many places and events there are.
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
    status_codes = events["status"].cat.codes.to_numpy()[mask][placed]
    status_names = list(events["status"].cat.categories)
    by_side = np.bincount(place_pos * len(SIDE_ORDER) + side_codes, minlength=n_places * len(SIDE_ORDER))
    by_side = by_side.reshape(n_places, len(SIDE_ORDER))[present]
    by_status = np.bincount(place_pos * len(status_names) + status_codes, minlength=n_places * len(status_names))
    by_status = by_status.reshape(n_places, len(status_names))[present]
    if present.size > max_places:
        return _grid_cells(selection, present, counts[present], by_side, by_status, status_names)
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
    if selection.view.colour_by == "dataset":
        codes, names = pd.factorize(events["dataset_id"].to_numpy()[mask][placed])
        by_dataset = np.bincount(place_pos * len(names) + codes, minlength=n_places * len(names))
        out["dataset"] = [str(names[i]) for i in by_dataset.reshape(n_places, len(names))[present].argmax(axis=1)]
    _spread_shared_coordinates(out)
    out["tooltip"] = _tooltips(selection, out, present, with_events=len(out) <= MAX_EVENT_LINES_PLACES)
    return out.sort_values(["n_events", "place_id"], ascending=[False, True], ignore_index=True)


def grid_cell_deg(selection: Selection) -> float:
    """Side of a grid cell in degrees: the placed filtered events' extent over GRID_CELLS_ACROSS, rounded to a
    power-of-two fraction of a degree so cells line up from one view to the next."""
    ds = selection.dataset
    place_pos = ds.events["place_pos"].to_numpy()[selection.event_mask]
    used = np.unique(place_pos[place_pos >= 0])
    if used.size == 0:
        return 1.0
    lat = ds.places["lat"].to_numpy(dtype=float)[used]
    lon = ds.places["lon"].to_numpy(dtype=float)[used]
    span = max(float(lat.max() - lat.min()), float(lon.max() - lon.min()), 1e-3)
    return float(2.0 ** np.ceil(np.log2(span / GRID_CELLS_ACROSS)))


def _grid_cells(selection: Selection, present, counts, by_side, by_status, status_names) -> pd.DataFrame:
    """Filtered events counted per grid cell (cells of equal degrees; a place falls in the cell of its point).

    Built from the per-place counts, so its cost grows with places, not with events.
    """
    ds = selection.dataset
    size = grid_cell_deg(selection)
    lat = ds.places["lat"].to_numpy(dtype=float)[present]
    lon = ds.places["lon"].to_numpy(dtype=float)[present]
    row = np.floor(lat / size).astype(np.int64)
    col = np.floor(lon / size).astype(np.int64)
    cell_of_place = (row - row.min()) * (col.max() - col.min() + 1) + (col - col.min())
    cells, first, cell_index = np.unique(cell_of_place, return_index=True, return_inverse=True)
    n_cells = len(cells)
    n_events = np.bincount(cell_index, weights=counts, minlength=n_cells).astype(np.int64)
    side_sum = np.zeros((n_cells, by_side.shape[1]), dtype=np.int64)
    np.add.at(side_sum, cell_index, by_side)
    status_sum = np.zeros((n_cells, by_status.shape[1]), dtype=np.int64)
    np.add.at(status_sum, cell_index, by_status)
    centre_lat = np.bincount(cell_index, weights=counts * lat, minlength=n_cells) / n_events
    centre_lon = np.bincount(cell_index, weights=counts * lon, minlength=n_cells) / n_events
    places_per_cell = np.bincount(cell_index, minlength=n_cells)
    out = pd.DataFrame(
        {
            "place_id": "",
            "name": [f"{n:,} places" for n in places_per_cell],
            "kind": GRID_KIND,
            "lat": row[first] * size,
            "lon": col[first] * size,
            "precision_m": size * 111_320 / 2,
            "coord_source": f"grid of {size:g} degree cells",
            "n_events": n_events,
            "side": [SIDE_ORDER[i] for i in side_sum.argmax(axis=1)],
        }
    )
    for status in STATUS_ORDER:
        out[f"n_{status.replace('-', '_')}"] = status_sum[:, status_names.index(status)] if status in status_names else 0
    out["mark_lat"] = centre_lat
    out["mark_lon"] = centre_lon
    out["tooltip"] = [
        f"{n_places:,} places in this {size:g}° cell\n{n:,} events: " + ", ".join(
            f"{k:,} {s}" for s, k in zip(STATUS_ORDER, status_counts) if k
        ) + f"\nMostly: {SIDE_LABELS.get(side, side)}\nZoom in with a place filter to see single places."
        for n_places, n, side, *status_counts in zip(
            places_per_cell, n_events, out["side"], *(out[f"n_{s.replace('-', '_')}"] for s in STATUS_ORDER)
        )
    ]
    return out.sort_values(["n_events", "mark_lat"], ascending=[False, True], ignore_index=True)


def count_unplaced(selection: Selection) -> int:
    """Filtered events the map cannot show because they have no place."""
    return int((selection.dataset.events["place_pos"].to_numpy()[selection.event_mask] < 0).sum())


def _empty_places() -> pd.DataFrame:
    columns = ["place_id", "name", "kind", "lat", "lon", "precision_m", "coord_source", "n_events", "side"]
    columns += [f"n_{s.replace('-', '_')}" for s in STATUS_ORDER] + ["mark_lat", "mark_lon", "tooltip"]
    return pd.DataFrame({name: pd.Series(dtype=object) for name in columns})


def _spread_shared_coordinates(places: pd.DataFrame) -> None:
    """Places at the same point get marks on a small ring around it, so each stays clickable."""
    lat = places["lat"].to_numpy(dtype=float)
    lon = places["lon"].to_numpy(dtype=float)
    places["mark_lat"] = lat
    places["mark_lon"] = lon
    shared = pd.DataFrame({"lat": np.round(lat, 4), "lon": np.round(lon, 4)}).duplicated(keep=False).to_numpy()
    if not shared.any():
        return
    key = places["lat"].round(4).astype(str) + "," + places["lon"].round(4).astype(str)
    for _, index in places[shared].groupby(key[shared]).groups.items():
        if len(index) < 2:
            continue
        ring_m = 350.0
        for k, row in enumerate(sorted(index)):
            angle = 2 * math.pi * k / len(index)
            lat = places.at[row, "lat"]
            places.at[row, "mark_lat"] = lat + (ring_m * math.cos(angle)) / 111_320
            places.at[row, "mark_lon"] = places.at[row, "lon"] + (ring_m * math.sin(angle)) / (111_320 * max(math.cos(math.radians(lat)), 0.01))


def _tooltips(selection: Selection, places: pd.DataFrame, present: np.ndarray | None = None, *, with_events: bool = True) -> list[str]:
    """Plain-text tooltips: place, precision, counts by status, and the first few events.

    The first events of each place come from a whole-dataset order by (place, start day, row) computed
    once, so a rerun never sorts or copies the filtered events.
    """
    lines_by_place: dict[str, list[str]] = {}
    if with_events:
        ds = selection.dataset
        order = derived(ds).events_by_place
        chosen = order[selection.event_mask[order]]
        place_pos = ds.events["place_pos"].to_numpy()[chosen]
        chosen, place_pos = chosen[place_pos >= 0], place_pos[place_pos >= 0]
        if present is not None:
            wanted = np.zeros(len(ds.places), dtype=bool)
            wanted[present] = True
            chosen, place_pos = chosen[wanted[place_pos]], place_pos[wanted[place_pos]]
        starts = np.flatnonzero(np.r_[True, place_pos[1:] != place_pos[:-1]]) if place_pos.size else np.zeros(0, dtype=np.int64)
        rank = np.arange(place_pos.size) - np.repeat(starts, np.diff(np.r_[starts, place_pos.size]))
        firsts = ds.events.iloc[chosen[rank < MAX_TOOLTIP_EVENTS]]
        for place_id, start, summary, status in zip(firsts["place_id"], firsts["date_start"], firsts["summary"], firsts["status"]):
            lines_by_place.setdefault(place_id, []).append(f"{start:%Y-%m-%d} [{status}] {_short(summary, 90)}")
    tooltips = []
    for row in places.itertuples(index=False):
        status_bits = [f"{getattr(row, 'n_' + s.replace('-', '_'))} {s}" for s in STATUS_ORDER if getattr(row, "n_" + s.replace("-", "_"))]
        header = f"{_short(row.name, 80)} ({row.kind}, ±{_distance(row.precision_m)})"
        lines = [header, f"{row.n_events} event{'' if row.n_events == 1 else 's'}: " + ", ".join(status_bits), f"Mostly: {SIDE_LABELS.get(row.side, row.side)}"]
        lines += lines_by_place.get(row.place_id, [])
        if with_events and row.n_events > MAX_TOOLTIP_EVENTS:
            lines.append(f"… and {row.n_events - MAX_TOOLTIP_EVENTS} more")
        tooltips.append("\n".join(lines))
    return tooltips


def _short(text: str, limit: int) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _distance(metres: float) -> str:
    return f"{metres / 1000:.1f} km" if metres >= 1000 else f"{metres:.0f} m"


def map_caption(selection: Selection, places: pd.DataFrame) -> str:
    """What the map shows and what it leaves out, in one line under it."""
    in_grid = not places.empty and places["kind"].iloc[0] == GRID_KIND
    shown = "grid cells (too many places to draw one by one: filter to see them)" if in_grid else "places"
    coloured = "the dataset holding most of its events" if "dataset" in places.columns else "leading side"
    notes = [f"{len(places)} {shown}; mark size = events, colour = {coloured}; rings = place uncertainty."]
    unplaced = count_unplaced(selection)
    if unplaced:
        notes.append(f"{unplaced} of the filtered events have no place and are not on the map.")
    return " ".join(notes)


def legend_label(value: str, places: pd.DataFrame) -> str:
    """A legend entry's words: the side's label, or the dataset id when marks are coloured by dataset."""
    return value if "dataset" in places.columns else SIDE_LABELS.get(value, "Unknown side")


def highlighted_place(selection: Selection) -> str | None:
    """The place the map outlines: the selected place, else the selected event's place (looked up only then)."""
    view, events = selection.view, selection.dataset.events
    if view.selected_place or not view.selected_event:
        return view.selected_place
    found = events.loc[events["event_id"] == view.selected_event, "place_id"].head(1).tolist()
    return found[0] if found else None


def selected_place_record(selection: Selection) -> dict | None:
    """The selected place's name, kind, point and uncertainty, for framing it in its surroundings (None if none)."""
    place_id = selection.view.selected_place
    if not place_id:
        return None
    places = selection.dataset.places
    rows = places[places["place_id"] == place_id]
    if rows.empty:
        return None
    row = rows.iloc[0]
    return {"place_id": place_id, "name": str(row["name"]), "kind": str(row["kind"]), "lat": float(row["lat"]),
            "lon": float(row["lon"]), "precision_m": float(row["precision_m"])}


def broad_places(places: pd.DataFrame) -> pd.DataFrame:
    """Places that stand for a whole country or governorate, with their events: listed beside the map, not drawn
    as points (a dot in the middle of a country would say something happened there)."""
    from data.views.map_frame import BROAD_KINDS

    return places[places["kind"].isin(BROAD_KINDS)].reset_index(drop=True) if len(places) else places
