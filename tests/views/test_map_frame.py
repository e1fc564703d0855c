"""Where the map opens: every filtered place inside with a margin, the story's city with the rest named, one place
in its surroundings, an area by its outline, and the link's own position."""

from __future__ import annotations

from datetime import date

import pytest

from data.views.filters import filter_dataset
from data.views.map_frame import MAP_HEIGHT_PX, MAP_WIDTH_PX, SYRIA_VIEW, frame_map, in_frame, mercator_px
from data.views.map_view import places_for_map, selected_place_record
from data.views.view import ViewState

AUGUST_2016 = ViewState(date_from=date(2016, 8, 1), date_to=date(2016, 8, 31))


def _frame(ds, view):
    selection = filter_dataset(ds, view)
    places = places_for_map(selection)
    return places, frame_map(places, selected=selected_place_record(selection), position=view.map_position)


@pytest.mark.parametrize("view", [AUGUST_2016, ViewState(places=("aleppo",)), ViewState(places=("manbij",)),
                                  ViewState(statuses=("contested",))])
def test_every_filtered_place_is_inside_with_a_margin(seed, view):
    places, frame = _frame(seed, view)
    assert frame.basis == "all" and not frame.outside
    cx, cy = mercator_px(frame.latitude, frame.longitude, frame.zoom)
    for row in places[~places["kind"].isin(("country", "governorate"))].itertuples():
        x, y = mercator_px(row.mark_lat, row.mark_lon, frame.zoom)
        assert abs(x - cx) <= MAP_WIDTH_PX / 2 - 20 and abs(y - cy) <= MAP_HEIGHT_PX / 2 - 20, row.place_id  # not on the edge


def test_august_2016_shows_aleppo_and_manbij_together(seed):
    _, frame = _frame(seed, AUGUST_2016)
    assert in_frame(frame, 36.20, 37.16) and in_frame(frame, 36.53, 37.95)
    assert 7.5 <= frame.zoom <= 9.5  # the region between them, not the whole country


def test_most_events_in_one_city_frame_the_city_and_name_what_lies_outside(seed):
    places, frame = _frame(seed, ViewState())
    assert frame.basis == "story" and frame.zoom >= 8
    assert in_frame(frame, 36.2, 37.15)  # Aleppo
    outside = {o.place_id: o for o in frame.outside}
    assert {"manbij", "homs-old-city", "atman"} <= set(outside)
    assert outside["manbij"].direction == "E" and 60 < outside["manbij"].distance_km < 100
    caption = frame.outside_caption()
    assert caption.startswith("Outside the map (") and "Manbij (1 event, " in caption and "km E)" in caption
    assert frame.fit_all is not None
    widest = frame_map(places, position=frame.fit_all)
    assert not widest.outside  # the "show every place" frame holds them all


def test_one_selected_place_is_shown_in_its_surroundings(seed):
    _, frame = _frame(seed, ViewState(selected_place="nubl"))
    assert frame.basis == "place" and in_frame(frame, 36.3735, 37.0)
    # at least 10 km of surroundings on each side (towns and roads around it, not a lone dot), and not the whole region
    for d_lat, d_lon in ((0.09, 0), (-0.09, 0), (0, 0.11), (0, -0.11)):
        assert in_frame(frame, 36.3735 + d_lat, 37.0 + d_lon)
    assert not in_frame(frame, 36.2, 37.16)  # Aleppo, 20 km away, is not needed to show Nubl


def test_a_selected_country_is_framed_by_its_outline(seed):
    _, frame = _frame(seed, ViewState(selected_place="syria"))
    assert frame.basis == "place" and 4.5 <= frame.zoom <= 6.5
    for lat, lon in ((37.1, 42.2), (32.5, 36.5), (35.5, 35.9), (36.8, 37.0)):  # its corners: NE, S, W coast, N
        assert in_frame(frame, lat, lon)


def test_the_links_map_position_wins_and_says_what_it_leaves_out(seed):
    _, frame = _frame(seed, ViewState(map_position=(36.2, 37.15, 11.0)))
    assert (frame.latitude, frame.longitude, frame.zoom) == (36.2, 37.15, 11.0) and frame.basis == "link"
    assert "manbij" in {o.place_id for o in frame.outside}


def test_nothing_filtered_shows_syria(seed):
    _, frame = _frame(seed, ViewState(text="no such words anywhere"))
    assert frame.view() == SYRIA_VIEW and not frame.outside
