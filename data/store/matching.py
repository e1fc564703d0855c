"""Cross-dataset matching: which events of one dataset may be the same as events of another, and how to say so."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.importers.resolve import haversine_m

# Days added on each side of an event's dates before comparing: a day-precise event may be reported under the
# next or previous day (time zones, night-time events, reporting lag); week and month events already carry
# their uncertainty in their range.
DATE_SLACK_DAYS = {"day": 1, "week": 0, "month": 0, "range": 0}
MATCH_COLUMNS = ["left_event_id", "right_event_id", "distance_km", "days_apart"]
_NO_DAY = np.iinfo(np.int32).min


def match_events(
    left: pd.DataFrame,
    left_places: pd.DataFrame,
    right: pd.DataFrame,
    right_places: pd.DataFrame,
    *,
    chunk_size: int = 5_000,
) -> pd.DataFrame:
    """Candidate pairs (left event, right event) that may describe the same event. The rule, in one place:

    1. Dates: each event's range [date_start, date_end], widened by DATE_SLACK_DAYS for its date_precision,
       overlaps the other's widened range.
    2. Places: both events have a place with coordinates, and the distance between the two points is at most
       the sum of both places' precision radii (each true location lies within its radius, so two reports of
       one event cannot be further apart than that).
    Events without a date or a place never match. Returns MATCH_COLUMNS: days_apart is 0 when the unwidened
    ranges overlap, else the gap in days.

    Vectorised: right events are grouped by how long they last and sorted by start, so each left event only
    meets right events starting inside its window (binary search), chunk by chunk.
    """
    lp = _points(left, left_places)
    rp = _points(right, right_places)
    if lp is None or rp is None:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(MATCH_COLUMNS, (str, str, float, int))})
    found = []
    duration = rp["end_w"] - rp["start_w"]
    for low, high in ((0, 3), (3, 10), (10, 40), (40, None)):
        group = (duration >= low) & (duration < high) if high is not None else duration >= low
        if not group.any():
            continue
        part = {key: value[group] for key, value in rp.items()}
        order = np.argsort(part["start_w"], kind="stable")
        part = {key: value[order] for key, value in part.items()}
        longest = int((part["end_w"] - part["start_w"]).max())
        for begin in range(0, len(lp["start_w"]), chunk_size):
            chunk = {key: value[begin : begin + chunk_size] for key, value in lp.items()}
            found.append(_pairs(chunk, part, longest))
    pairs = pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=MATCH_COLUMNS)
    return pairs.sort_values(["left_event_id", "distance_km", "right_event_id"], kind="stable").reset_index(drop=True)


def _points(events: pd.DataFrame, places: pd.DataFrame) -> dict[str, np.ndarray] | None:
    """Per event with a date and a located place: widened day range, true day range, point and radius."""
    located = places.set_index("place_id")
    place_id = events["place_id"].astype(str)
    known = place_id.isin(located.index).to_numpy() & events["date_start"].notna().to_numpy()
    if not known.any():
        return None
    ev = events[known]
    pid = place_id[known]
    start = _days(ev["date_start"])
    end = _days(ev["date_end"].fillna(ev["date_start"]))
    slack = ev["date_precision"].map(DATE_SLACK_DAYS).fillna(0).to_numpy(dtype=np.int64)
    lat = located["lat"].reindex(pid).to_numpy(dtype=float)
    lon = located["lon"].reindex(pid).to_numpy(dtype=float)
    radius = located["precision_m"].reindex(pid).fillna(0).to_numpy(dtype=float)
    ok = ~(np.isnan(lat) | np.isnan(lon))
    return {
        "event_id": ev["event_id"].to_numpy(dtype=object)[ok],
        "start": start[ok],
        "end": end[ok],
        "start_w": (start - slack)[ok],
        "end_w": (end + slack)[ok],
        "lat": lat[ok],
        "lon": lon[ok],
        "radius": radius[ok],
    }


def _days(dates: pd.Series) -> np.ndarray:
    return (pd.to_datetime(dates).to_numpy(dtype="datetime64[D]") - np.datetime64("1970-01-01", "D")).astype(np.int64)


def _pairs(left: dict[str, np.ndarray], right: dict[str, np.ndarray], longest: int) -> pd.DataFrame:
    """All date- and place-compatible pairs between a chunk of left events and right events sorted by start."""
    lo = np.searchsorted(right["start_w"], left["start_w"] - longest, side="left")
    hi = np.searchsorted(right["start_w"], left["end_w"], side="right")
    counts = np.maximum(hi - lo, 0)
    total = int(counts.sum())
    if total == 0:
        return pd.DataFrame(columns=MATCH_COLUMNS)
    li = np.repeat(np.arange(len(counts)), counts)
    offsets = np.repeat(np.cumsum(counts) - counts, counts)
    ri = np.repeat(lo, counts) + (np.arange(total) - offsets)
    overlap = right["end_w"][ri] >= left["start_w"][li]
    li, ri = li[overlap], ri[overlap]
    distance = haversine_m(lat1=left["lat"][li], lon1=left["lon"][li], lat2=right["lat"][ri], lon2=right["lon"][ri])
    near = distance <= left["radius"][li] + right["radius"][ri]
    li, ri, distance = li[near], ri[near], distance[near]
    gap = np.maximum(0, np.maximum(left["start"][li] - right["end"][ri], right["start"][ri] - left["end"][li]))
    return pd.DataFrame(
        {
            "left_event_id": left["event_id"][li],
            "right_event_id": right["event_id"][ri],
            "distance_km": np.round(distance / 1000, 2),
            "days_apart": gap.astype(int),
        }
    )


def describe_events(events: pd.DataFrame, places: pd.DataFrame, *, source: str) -> str:
    """One sentence on a set of (matched) events: how many, where, when, and how many deaths.

    Deaths: the sum of a `fatalities_best` column where there is one (UCDP's best estimate), else the sum of
    fatalities_low ("at least").

    >>> ev = pd.DataFrame({"place_id": ["r", "r", "r"], "date_start": pd.to_datetime(["2016-08-05", "2016-08-06", "2016-08-07"]),
    ...                    "date_end": pd.to_datetime(["2016-08-05", "2016-08-06", "2016-08-07"]),
    ...                    "fatalities_low": [10, 20, 5], "fatalities_best": ["12", "24", "5"]})
    >>> describe_events(ev, pd.DataFrame({"place_id": ["r"], "name": ["Ramouseh"]}), source="UCDP")
    'UCDP records 3 events in Ramouseh on 5-7 August 2016, 41 deaths best estimate'
    >>> describe_events(ev.iloc[:0], pd.DataFrame({"place_id": [], "name": []}), source="ACLED")
    'ACLED records no matching event'
    """
    n = len(events)
    if n == 0:
        return f"{source} records no matching event"
    names = events["place_id"].map(dict(zip(places["place_id"], places["name"]))).dropna()
    counts = names[names.ne("")].value_counts()
    if counts.empty:
        where = "at no named place"
    elif len(counts) == 1:
        where = f"in {counts.index[0]}"
    elif len(counts) == 2:
        where = f"in {counts.index[0]} and {counts.index[1]}"
    else:
        where = f"in {counts.index[0]}, {counts.index[1]} and {len(counts) - 2} more {'place' if len(counts) == 3 else 'places'}"
    when = format_range(pd.to_datetime(events["date_start"]).min(), pd.to_datetime(events["date_end"].fillna(events["date_start"])).max())
    best = pd.to_numeric(events["fatalities_best"], errors="coerce") if "fatalities_best" in events else pd.Series(dtype=float)
    low = pd.to_numeric(events["fatalities_low"], errors="coerce") if "fatalities_low" in events else pd.Series(dtype=float)
    if best.notna().any():
        total = int(best.sum())
        deaths = f"{total} {'death' if total == 1 else 'deaths'} best estimate"
    elif low.notna().any():
        total = int(low.sum())
        deaths = f"at least {total} {'death' if total == 1 else 'deaths'}"
    else:
        deaths = "no death count"
    return f"{source} records {n} {'event' if n == 1 else 'events'} {where} on {when}, {deaths}"


def format_range(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """Dates as people write them.

    >>> format_range(pd.Timestamp("2016-08-05"), pd.Timestamp("2016-08-07"))
    '5-7 August 2016'
    >>> format_range(pd.Timestamp("2016-07-30"), pd.Timestamp("2016-08-02"))
    '30 July - 2 August 2016'
    >>> format_range(pd.Timestamp("2016-12-30"), pd.Timestamp("2017-01-02"))
    '30 December 2016 - 2 January 2017'
    >>> format_range(pd.Timestamp("2016-08-05"), pd.Timestamp("2016-08-05"))
    '5 August 2016'
    """
    if start == end:
        return f"{start.day} {start:%B %Y}"
    if start.year != end.year:
        return f"{start.day} {start:%B %Y} - {end.day} {end:%B %Y}"
    if start.month != end.month:
        return f"{start.day} {start:%B} - {end.day} {end:%B %Y}"
    return f"{start.day}-{end.day} {end:%B %Y}"
