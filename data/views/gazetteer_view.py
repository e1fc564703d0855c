"""Tables for the Places and Sources pages: the gazetteer with event counts, and sources with claim counts."""

from __future__ import annotations

import pandas as pd

from data.model.dataset import Dataset


def places_table(ds: Dataset) -> pd.DataFrame:
    """One row per place: names, kind, parent, coordinates, precision, where they come from, events there."""
    events_here = ds.events["place_id"].value_counts()
    inside = {p: len(ds.place_tree.descendants(p)) for p in ds.places["place_id"]}
    events_inside = {
        p: int(ds.events["place_id"].isin(list(ds.place_tree.descendants(p))).sum()) if inside[p] > 1 else int(events_here.get(p, 0))
        for p in ds.places["place_id"]
    }
    table = pd.DataFrame(
        {
            "place": ds.places["name"],
            "kind": ds.places["kind"],
            "in": ds.places["parent_id"].map(ds.place_tree.names).fillna(""),
            "aliases": ds.places["aliases"].str.replace("|", " · ", regex=False),
            "lat": ds.places["lat"].round(5),
            "lon": ds.places["lon"].round(5),
            "precision_m": ds.places["precision_m"].astype(int),
            "coord_source": ds.places["coord_source"],
            "events_here": ds.places["place_id"].map(events_here).fillna(0).astype(int),
            "events_inside": ds.places["place_id"].map(events_inside).astype(int),
            "place_id": ds.places["place_id"],
        }
    )
    return table.sort_values(["events_inside", "place"], ascending=[False, True], ignore_index=True)


def sources_table(ds: Dataset) -> pd.DataFrame:
    """One row per source: outlet, title, publication date and how it was established, claims it carries."""
    claims_per_source = ds.claims["source_id"].value_counts()
    events_per_source = ds.claims[ds.claims["event_id"].ne("")].groupby("source_id")["event_id"].nunique()
    table = pd.DataFrame(
        {
            "outlet": ds.sources["outlet"],
            "title": ds.sources["title"],
            "published": ds.sources["published"].dt.strftime("%Y-%m-%d").fillna(""),
            "published_basis": ds.sources["published_basis"],
            "outlet_basis": ds.sources["outlet_basis"] if "outlet_basis" in ds.sources else "",
            "claims": ds.sources["source_id"].map(claims_per_source).fillna(0).astype(int),
            "events": ds.sources["source_id"].map(events_per_source).fillna(0).astype(int),
            "document": ds.sources["document"],
            "url": ds.sources["url"],
            "source_id": ds.sources["source_id"],
        }
    )
    return table.sort_values(["published", "source_id"], ignore_index=True)
