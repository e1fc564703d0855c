"""The map in Chromium, offline: roads, water and labels drawn at country and city scale from files fetched once;
every filtered place inside the frame or named as outside; the frame buttons write the position into the link."""

from __future__ import annotations


import pytest

from data.views.palette import SIDE_COLOURS
from data.views.view import ViewState
from pages.ui.deck import LAND, ROAD_COLOURS, WATER
from tests.browser.atlas_page import (
    MAIN,
    artifact,
    drawn_marks,
    map_frame_of,
    map_image,
    map_marks,
    marks_missing,
    near_colour,
    open_app,
    poll,
    query_of,
    wait_idle,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]
BASEMAP_FILE = "component/pages.ui.deck.basemap/"


def _count(image, wanted) -> int:
    """Pixels of the canvas that match a predicate (sampled every 2 px: enough to tell drawn from not drawn)."""
    width, height = image.size
    return sum(1 for x in range(0, width, 2) for y in range(0, height, 2) if wanted(image.getpixel((x, y))))


def _is_road(pixel) -> bool:
    return any(near_colour(pixel, colour, 14) for colour in ROAD_COLOURS)


def _is_text(pixel) -> bool:
    return max(pixel) < 120  # labels are dark grey to black on a light map; nothing else on it is that dark


def _until_drawn(page, view_name: str, wanted, what: str):
    """Poll the canvas until `wanted(image)` holds (the browser fetches the basemap files after the first frame)."""
    try:
        poll(lambda: wanted(map_image(page)), what=what, page=page, timeout_s=25)
    except AssertionError:
        pass  # the caller's assertion says what is missing
    image = map_image(page)
    image.save(artifact(f"map-{view_name}.png"))
    return image


@pytest.mark.parametrize("query, scale", [("at=syria", "country"), ("place=aleppo", "city")])
def test_roads_water_and_labels_draw_offline(seed_server, new_page, query, scale):
    page, seen = new_page()
    open_app(page, f"{seed_server.url}?{query}")
    wait_idle(page)

    def drawn(image) -> bool:
        return _count(image, _is_road) > 150 and _count(image, _is_text) > 250

    image = _until_drawn(page, f"scale-{scale}", drawn, f"roads and labels at {scale} scale")
    roads, text = _count(image, _is_road), _count(image, _is_text)
    assert roads > 150, f"{scale}: {roads} road pixels (sampled): the basemap's roads are not drawn"
    assert text > 250, f"{scale}: {text} dark label pixels (sampled): no place or town names"
    assert _count(image, lambda p: near_colour(p, LAND, 6)) > 2000, "the land colour is missing"
    if scale == "country":
        assert _count(image, lambda p: near_colour(p, WATER, 12)) > 40, "lakes and the sea are not drawn"
    fetched = [url for url in seen.requests if BASEMAP_FILE in url]
    assert any(url.endswith("/roads_outside_aleppo.geojson") for url in fetched)
    assert seen.external_requests == [] and seen.page_errors == [] and seen.console_errors == []


def test_basemap_files_are_fetched_once_not_on_every_rerun(seed_server, new_page):
    page, seen = new_page()
    open_app(page, f"{seed_server.url}?place=aleppo")  # a city view: the country's and the city's layers
    poll(lambda: any(url.endswith("/aleppo_streets.geojson") for url in seen.requests), what="the city's streets file", page=page)
    wait_idle(page)
    before = [url for url in seen.requests if BASEMAP_FILE in url]
    for _ in range(2):  # four reruns with other marks and frames, all at city scale
        page.locator(".st-key-map_zoom_in button").first.click()
        poll(lambda: "map" in query_of(page.url), what="a map position in the URL", page=page)
        wait_idle(page)
        page.locator(".st-key-map_fit button").first.click()
        poll(lambda: "map" not in query_of(page.url), what="the map position cleared", page=page)
        wait_idle(page)
    after = [url for url in seen.requests if BASEMAP_FILE in url]
    assert len(before) >= 10 and len(set(before)) == len(before), "a basemap file was fetched twice on the first render"
    assert after == before, f"fetched again on reruns: {after[len(before):]}"


@pytest.mark.parametrize("name, view", [
    ("august-2016", ViewState(date_from=__import__("datetime").date(2016, 8, 1), date_to=__import__("datetime").date(2016, 8, 31))),
    ("aleppo", ViewState(places=("aleppo",))),
    ("contested", ViewState(statuses=("contested",))),
    ("nubl-selected", ViewState(selected_place="nubl")),
])
def test_every_filtered_place_is_inside_the_map(seed_server, seed, new_page, name, view):
    _places, frame = map_frame_of(seed, view)
    assert not frame.outside, "these views need no 'outside' list: the frame must hold every place"
    marks = drawn_marks(seed, view)
    page, seen = new_page(fresh=False)
    query = "&".join(f"{key}={value}" for key, values in view.to_query().items() for value in values)
    open_app(page, f"{seed_server.url}?{query}")
    image = _until_drawn(page, f"places-{name}", lambda image: not marks_missing(image, marks), "every place's mark")
    assert not marks_missing(image, marks)
    assert seen.page_errors == [] and seen.console_errors == []


def test_places_outside_the_story_frame_are_named_and_one_click_shows_them(seed_server, seed, new_page):
    page, seen = new_page(fresh=False)
    open_app(page, seed_server.url)
    _places, frame = map_frame_of(seed, ViewState())
    assert frame.basis == "story"
    notes = page.locator(MAIN).inner_text()
    assert "Outside the map (" in notes and "Manbij (1 event" in notes
    page.get_by_role("button", name="Show every place").click()
    poll(lambda: "map" in query_of(page.url), what="the wider frame in the URL", page=page)
    wait_idle(page)
    wider = ViewState.from_query(query_of(page.url))[0]
    assert "Outside the map (" not in page.locator(MAIN).inner_text()
    marks = drawn_marks(seed, wider)
    assert {"manbij", "atman", "homs-old-city"} <= {mark[0] for mark in marks}
    # at country scale the city's marks overlap one another: every mark must be on the canvas, and the places that
    # were outside must now be drawn in their own colours
    were_outside = {o.place_id for o in frame.outside}
    far = [mark for mark in marks if mark[0] in were_outside]
    image = _until_drawn(page, "show-every-place", lambda image: not marks_missing(image, far), "the far places' marks")
    assert not marks_missing(image, far)
    assert not [m for m in marks_missing(image, marks) if m[1] == "outside the canvas"]
    assert seen.page_errors == []


def test_zoom_travels_in_the_link_and_reopens_the_same_map(seed_server, seed, new_page):
    page, _ = new_page(fresh=False)
    open_app(page, f"{seed_server.url}?place=aleppo")
    _places, frame = map_frame_of(seed, ViewState(places=("aleppo",)))
    page.locator(".st-key-map_zoom_in button").first.click()
    poll(lambda: "map" in query_of(page.url), what="the map position in the URL", page=page)
    link = page.url
    view = ViewState.from_query(query_of(link))[0]
    assert view.map_position[2] == pytest.approx(frame.zoom + 1, abs=0.01)
    assert view.map_position[:2] == pytest.approx((frame.latitude, frame.longitude), abs=1e-4)
    fresh, seen = new_page()
    open_app(fresh, link)
    marks = drawn_marks(seed, view)
    image = _until_drawn(fresh, "zoomed-link", lambda image: not marks_missing(image, marks), "the zoomed marks")
    assert not marks_missing(image, marks)
    fresh.locator(".st-key-map_fit button").first.click()
    poll(lambda: "map" not in query_of(fresh.url), what="fit to the filters", page=fresh)
    assert query_of(fresh.url) == {"place": ["aleppo"]}
    assert seen.page_errors == []


def test_an_area_known_only_to_the_country_is_listed_and_selectable(seed_server, new_page):
    page, _ = new_page(fresh=False)
    open_app(page, seed_server.url)
    page.get_by_role("button", name="Syria · 3", exact=True).click()
    poll(lambda: query_of(page.url).get("at") == ["syria"], what="the country selected", page=page)
    wait_idle(page)
    assert "selected place: Syria" in page.locator(MAIN).inner_text()
    image = map_image(page)
    outline = SIDE_COLOURS["government"]
    assert _count(image, lambda p: near_colour(p, outline, 40)) > 30, "Syria's outline is not drawn in its side's colour"
