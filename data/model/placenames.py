"""Events that name their place instead of giving its id: resolved through the dataset's own places, then the geocoder."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict

import numpy as np
import pandas as pd

from data.errors import RowProblem
from data.model.validate import line_numbers
from geo.names import name_key

_SLUG = re.compile(r"[^a-z0-9]+")


def _slug(text: str) -> str:
    """A Latin slug of a name; a name in Arabic only (OSM's) gets a short hash, so two names never share an id."""
    return _SLUG.sub("-", name_key(text)).strip("-")[:80] or f"place-{hashlib.sha1(text.encode()).hexdigest()[:10]}"


def _local_index(places: pd.DataFrame) -> dict[str, set[str]]:
    index: dict[str, set[str]] = defaultdict(set)
    for place_id, name, aliases in zip(places["place_id"], places["name"], places["aliases"]):
        for spelling in [place_id.replace("-", " "), name, *str(aliases).split("|")]:
            if key := name_key(spelling):
                index[key].add(place_id)
    return index


def _row_for(geocoder, match, place_id: str, query: str) -> dict[str, str]:
    provenance = f"{match.coord_source} (geocoded from the name '{query[:60]}' by {match.provider}, score {match.score:.0f})"
    return {
        "place_id": place_id,
        "name": match.name,
        "aliases": query if query != match.name else "",
        "kind": match.kind if match.kind else "town",
        "parent_id": "",
        "lat": f"{match.lat:.6f}",
        "lon": f"{match.lon:.6f}",
        "precision_m": f"{float(match.precision_m or 5000):.0f}",
        "coord_source": provenance,
        "pcode": "",
    }


def _with_ancestors(geocoder, place_id: str, known: set[str]) -> list[dict[str, str]]:
    """The gazetteer rows of a place and of each parent the dataset lacks, so the hierarchy stays whole."""
    rows = []
    current: str | None = place_id
    while current and current not in known:
        try:
            place = geocoder.place(current)
        except LookupError:  # a parent the gazetteer does not hold: cut the chain there
            if rows:
                rows[-1]["parent_id"] = ""
            break
        rows.append(
            {
                "place_id": place.place_id,
                "name": place.name,
                "aliases": "|".join(place.aliases),
                "kind": place.kind,
                "parent_id": place.parent_id,
                "lat": "" if place.lat is None else f"{place.lat:.6f}",
                "lon": "" if place.lon is None else f"{place.lon:.6f}",
                "precision_m": "" if place.precision_m is None else f"{place.precision_m:.0f}",
                "coord_source": place.coord_source,
                "pcode": place.pcode,
            }
        )
        known.add(current)
        current = place.parent_id or None
    return rows


def resolve_place_names(
    raw_tables: dict[str, pd.DataFrame], files: dict[str, str], *, geocoder=None
) -> tuple[dict[str, pd.DataFrame], list[RowProblem]]:
    """Replace event place names by place ids; add the gazetteer places they resolve to.

    A value of `events.place_id` that is not an id of the dataset's places is taken as a name: first
    matched against the dataset's own names and aliases, then geocoded. An ambiguous or unknown name
    stays as it is and comes back as a problem naming the candidates, so the row is refused.
    """
    places, events = raw_tables["places"], raw_tables["events"]
    known = set(places["place_id"])
    values = events["place_id"]
    unknown_mask = values.ne("").to_numpy() & ~values.isin(known).to_numpy()
    if not unknown_mask.any():
        return raw_tables, []
    if geocoder is None:
        from geo.geocoder import default_geocoder

        geocoder = default_geocoder()
    local = _local_index(places)
    mapping: dict[str, str] = {}
    reasons: dict[str, str] = {}
    new_rows: list[dict[str, str]] = []
    for name in pd.unique(values[unknown_mask]):
        ids = local.get(name_key(name), set())
        if len(ids) == 1:
            mapping[name] = next(iter(ids))
            continue
        if len(ids) > 1:
            reasons[name] = f"place name is ambiguous in this dataset: {', '.join(sorted(ids))}; give the place id"
            continue
        match = geocoder.geocode(name)
        if match is None:
            reasons[name] = "unknown place id, and no place of that name in the dataset or the gazetteer"
        elif match.is_ambiguous:
            options = ", ".join(f"{c.place_id or c.name} ({c.lat:.3f}, {c.lon:.3f})" for c in match.candidates[:5])
            reasons[name] = f"place name is ambiguous: {options}; give the place id"
        elif match.place_id:
            rows = _with_ancestors(geocoder, match.place_id, known)
            if rows and name not in rows[0]["aliases"].split("|"):
                rows[0]["aliases"] = "|".join(filter(None, [rows[0]["aliases"], name]))  # the spelling this data uses
            new_rows.extend(rows)
            mapping[name] = match.place_id
        else:
            place_id = f"{match.provider}-{_slug(match.name)}"
            if place_id not in known:
                new_rows.append(_row_for(geocoder, match, place_id, name))
                known.add(place_id)
            mapping[name] = place_id
    resolved = raw_tables.copy()
    if new_rows:
        added = pd.DataFrame(new_rows).reindex(columns=places.columns, fill_value="")
        resolved["places"] = pd.concat([places, added.fillna("")], ignore_index=True)
    resolved["events"] = events.assign(place_id=values.map(lambda v: mapping.get(v, v)))
    lines = line_numbers(events)
    problems = [
        RowProblem(files["events"], int(lines[pos]), "place_id", values.iloc[pos], reasons[values.iloc[pos]])
        for pos in np.flatnonzero(unknown_mask)
        if values.iloc[pos] in reasons
    ]
    return resolved, problems
