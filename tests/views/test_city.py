"""Events per city neighbourhood: by the place's OCHA pcode, or by a point sure enough to lie in one polygon."""

from __future__ import annotations

import numpy as np

from data.views.city import CITY_PRECISION_M, neighbourhood_counts, neighbourhood_features
from data.views.derived import derived
from data.views.filters import filter_dataset
from data.views.view import ViewState
from geo.containment import locate_points


def test_places_fall_in_their_neighbourhood_by_pcode_or_precise_point(seed):
    hoods = derived(seed).place_neighbourhoods
    features = neighbourhood_features()
    places = seed.places.reset_index(drop=True)
    for row in places.itertuples():
        found = hoods[row.Index]
        if isinstance(row.pcode, str) and row.pcode.startswith("N"):
            assert features[found]["properties"]["pcode"] == row.pcode, row.place_id
        elif row.precision_m > CITY_PRECISION_M:
            assert found == -1, f"{row.place_id} (±{row.precision_m} m) must not be put in one neighbourhood"
    assert hoods[places.index[places["place_id"] == "syria"][0]] == -1


def test_counts_follow_the_filters(seed):
    hoods = derived(seed).place_neighbourhoods
    everything = neighbourhood_counts(seed, filter_dataset(seed, ViewState()).event_mask, hoods)
    contested = neighbourhood_counts(seed, filter_dataset(seed, ViewState(statuses=("contested",))).event_mask, hoods)
    assert "Ar-Ramouseh Indusrtial District" in set(everything["name"])  # OCHA's own spelling
    assert everything["n_events"].is_monotonic_decreasing
    assert contested["n_events"].sum() < everything["n_events"].sum()
    nothing = neighbourhood_counts(seed, filter_dataset(seed, ViewState(text="no such words anywhere")).event_mask, hoods)
    assert nothing.empty and "pcode" in nothing.columns


def test_point_in_polygon_with_a_hole():
    square = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
    hole = [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]
    features = [{"geometry": {"type": "Polygon", "coordinates": [square, hole]}},
                {"geometry": {"type": "MultiPolygon", "coordinates": [[[[20, 0], [30, 0], [30, 10], [20, 0]]]]}}]
    found = locate_points(features, lats=[1, 5, 8, 2, 50], lons=[1, 5, 22, 28, 5])
    assert found.tolist() == [0, -1, -1, 1, -1]
    labels = [(f["properties"]["label_lat"], f["properties"]["label_lon"]) for f in neighbourhood_features()]
    own = locate_points(neighbourhood_features(), *zip(*labels))
    assert np.array_equal(own, np.arange(len(labels)))  # each OCHA label point lies in its own polygon


def test_a_click_on_a_shaded_neighbourhood_selects_its_own_place_else_its_busiest(seed):
    hoods = derived(seed).place_neighbourhoods
    everything = neighbourhood_counts(seed, filter_dataset(seed, ViewState()).event_mask, hoods).set_index("pcode")
    places = seed.places.set_index("place_id")
    for pcode, row in everything.iterrows():
        assert row["place_id"] in places.index
        assert hoods[seed.places.index[seed.places["place_id"] == row["place_id"]][0]] == row["feature"]  # a place inside it
    assert everything.loc["N0226", "place_id"] == "aleppo-ramouseh"  # the neighbourhood's own gazetteer entry
    # Without Ramouseh's own events the polygon still shades (the academies and the cement factory lie in it):
    # a click then selects the place inside with the most of the shown events.
    others = ("aleppo-ramouseh-military-academies", "aleppo-cement-factory")
    shown = neighbourhood_counts(seed, filter_dataset(seed, ViewState(places=others)).event_mask, hoods).set_index("pcode")
    counts = seed.events[seed.events["place_id"].isin(others)]["place_id"].value_counts()
    assert shown.loc["N0226", "place_id"] == counts.index[0] and counts.iloc[0] > (counts.iloc[1] if len(counts) > 1 else 0)
