"""The control layer in Chromium: Aleppo's Ramouseh complex and east Aleppo drawn in their camp's colour and state
on three days (the screenshots in docs/screenshots/control-*.png), and the as-of day travelling in a shared link."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from data.views.map_frame import mercator_px
from data.views.palette import SIDE_COLOURS
from data.views.view import parse_position
from pages.ui.deck import CONTROL_DARK, CONTROL_MARK_PX
from tests.browser.atlas_page import (MAIN, MAP_CANVAS, artifact, click_map_at, map_image, open_app, poll, query_of, share_link,
                                      wait_idle)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
MAP = "36.212,37.15,11.0"  # Aleppo from the Ramouseh complex (south-west) to Handarat and al-Kindi (north)
PLACES = {  # lat, lon of the seed's places (data/seed/places.csv)
    "academies": (36.1603, 37.11749),  # Ramouseh military academies
    "east": None,  # aleppo-east, read from the seed below
    "farafra": None,
}
CANDIDATES = {"government": SIDE_COLOURS["government"], "opposition": SIDE_COLOURS["opposition"],
              "jihadist": SIDE_COLOURS["jihadist"], "white": (255, 255, 255)}
# day: the camp filling the academies' mark, whether east Aleppo's mark wears the dark (besieged) ring, Farafra's camp
DAYS = [
    ("2016-07-20", "government", True, "opposition"),
    ("2016-08-20", "jihadist", False, "opposition"),
    ("2016-10-10", "jihadist", True, "government"),
]


def _seed_point(place_id: str) -> tuple[float, float]:
    from data.model.dataset import load_dataset

    places = load_dataset().places.set_index("place_id")
    return float(places.loc[place_id, "lat"]), float(places.loc[place_id, "lon"])


def _offset(lat: float, lon: float) -> tuple[float, float]:
    """A point's pixel offset from the canvas centre at the link's map position."""
    c_lat, c_lon, zoom = parse_position(MAP)
    cx, cy = mercator_px(c_lat, c_lon, zoom)
    x, y = mercator_px(lat, lon, zoom)
    return x - cx, y - cy


def _pixel(image, lat: float, lon: float, dx: float = 0.0):
    ox, oy = _offset(lat, lon)
    return image.getpixel((int(image.size[0] / 2 + ox + dx), int(image.size[1] / 2 + oy)))


def _nearest(pixel) -> str:
    return min(CANDIDATES, key=lambda name: math.dist(pixel, CANDIDATES[name]))


def _is_dark_ring(pixel) -> bool:
    return max(abs(a - b) for a, b in zip(pixel, CONTROL_DARK)) <= 50


def _drawn(image, camp: str, ringed: bool, farafra_camp: str) -> bool:
    east = _seed_point("aleppo-east")
    ring = [_pixel(image, *east, dx=dx) for dx in (CONTROL_MARK_PX - 1, CONTROL_MARK_PX, CONTROL_MARK_PX + 1)]
    return (_nearest(_pixel(image, *PLACES["academies"])) == camp
            and any(map(_is_dark_ring, ring)) == ringed
            and _nearest(_pixel(image, *_seed_point("aleppo-farafra"))) == farafra_camp)


@pytest.mark.parametrize("day, camp, ringed, farafra_camp", DAYS, ids=[d[0] for d in DAYS])
def test_the_control_layer_draws_aleppo_on_three_days(seed_server, new_page, day, camp, ringed, farafra_camp):
    page, seen = new_page({"width": 1400, "height": 1300})
    open_app(page, f"{seed_server.url}?show=control&asof={day}&map={MAP}")
    try:
        poll(lambda: _drawn(map_image(page), camp, ringed, farafra_camp), what=f"Aleppo's control drawn for {day}", page=page, timeout_s=30)
    finally:
        image = map_image(page)
        image.save(artifact(f"control-map-{day}.png"))
    assert _nearest(_pixel(image, *PLACES["academies"])) == camp
    east = _seed_point("aleppo-east")
    assert any(_is_dark_ring(_pixel(image, *east, dx=dx)) for dx in (CONTROL_MARK_PX - 1, CONTROL_MARK_PX, CONTROL_MARK_PX + 1)) == ringed
    assert _nearest(_pixel(image, *_seed_point("aleppo-farafra"))) == farafra_camp
    main = page.locator(MAIN).inner_text()
    pretty = f"{int(day[8:])} {__import__('datetime').date.fromisoformat(day):%b %Y}"
    assert f"Control as of {pretty} (the day picked)" in main
    assert seen.page_errors == [] and seen.console_errors == [] and seen.external_requests == []
    # the screenshot: the map with its legend and caption
    chart = page.locator('[data-testid="stDeckGlJsonChart"]').bounding_box()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"control-{day}.png"),
                    clip={"x": chart["x"] - 8, "y": chart["y"] - 8, "width": chart["width"] + 16, "height": chart["height"] + 230})


def test_the_as_of_day_travels_in_a_link(seed_server, new_page):
    page, seen = new_page({"width": 1400, "height": 1300})
    open_app(page, f"{seed_server.url}?show=control&map={MAP}")
    assert "(the data's last day)" in page.locator(MAIN).inner_text()
    field = page.get_by_label("Control as of", exact=True)
    field.fill("2016-07-20")
    field.press("Enter")
    poll(lambda: query_of(page.url).get("asof") == ["2016-07-20"], what="asof=2016-07-20 in the URL after Enter", page=page)
    wait_idle(page)
    link = share_link(page)
    assert "asof=2016-07-20" in link and "show=control" in link
    fresh, fresh_seen = new_page({"width": 1400, "height": 1300})
    open_app(fresh, link)
    assert "Control as of 20 Jul 2016 (the day picked)" in fresh.locator(MAIN).inner_text()
    assert fresh.get_by_label("Control as of", exact=True).input_value() == "2016-07-20"
    poll(lambda: _drawn(map_image(fresh), "government", True, "opposition"), what="the linked day's control drawn", page=fresh, timeout_s=30)
    assert seen.page_errors == [] and fresh_seen.page_errors == [] and fresh_seen.external_requests == []


def test_hostile_text_in_a_control_history_stays_text(hostile_server, new_page):
    """The hostile fixture's one territory change (hx-e7): its summary and claims carry markup and script, shown literally."""
    from tests.browser.atlas_page import injected

    page, seen = new_page()
    open_app(page, f"{hostile_server.url}?at=hx-template&show=control")
    box = page.locator(MAIN + " .st-key-control_history")
    text = poll(lambda: box.inner_text(), what="the control history panel", page=page)
    assert "taken (hx-e7)" in text and '<a href="javascript:window.__pwned=1">link</a>' in text
    assert "<script>window.__pwned=1</script>" in text
    assert injected(page) == [] and seen.dialogs == [] and seen.external_requests == []



def _click_place(page, lat: float, lon: float, dx: float = 0.0) -> str:
    """Hover and click the map at a point (at the link's map position MAP, dx pixels to its right); the tooltip shown."""
    ox, oy = _offset(lat, lon)
    return click_map_at(page, ox + dx, oy)


def _hood_point(pcode: str) -> tuple[float, float]:
    """A point inside an OCHA neighbourhood polygon, well away from every control mark (its polygon is clicked, not a mark)."""
    from data.views.city import neighbourhood_features
    from geo.containment import locate_points
    import numpy as np

    features = neighbourhood_features()
    index = next(k for k, f in enumerate(features) if f["properties"]["pcode"] == pcode)
    ring = features[index]["geometry"]["coordinates"][0]
    ring = ring[0] if isinstance(ring[0][0], list) else ring  # a MultiPolygon's first polygon's outer ring
    lons, lats = [pt[0] for pt in ring], [pt[1] for pt in ring]
    grid = [(lat, lon) for lat in np.linspace(min(lats), max(lats), 40) for lon in np.linspace(min(lons), max(lons), 40)]
    inside = locate_points(features, np.array([g[0] for g in grid]), np.array([g[1] for g in grid])) == index
    from data.model.dataset import load_dataset

    marks = [_offset(lat, lon) for lat, lon in load_dataset().places[["lat", "lon"]].dropna().itertuples(index=False)]
    def room(point):  # pixels to the nearest mark (marks are drawn over polygons and would take the click)
        x, y = _offset(*point)
        return min(math.dist((x, y), m) for m in marks)
    def on_map(point):  # inside the narrowest map the page lays out (500 x 480 px), with a margin
        x, y = _offset(*point)
        return abs(x) <= 220 and abs(y) <= 210
    return max((g for g, ok in zip(grid, inside) if ok and on_map(g)), key=room)


def _selected(page, place_id: str, name: str) -> str:
    """Wait for at=place_id in the URL, then the place's control history; return the history's text."""
    poll(lambda: query_of(page.url).get("at") == [place_id], what=f"at={place_id} after the click", timeout_s=45, page=page)
    wait_idle(page)
    box = page.locator(MAIN + " .st-key-control_history")
    text = poll(lambda: box.inner_text(), what="the control history panel", page=page)
    assert f"Control of {name}" in text
    assert page.get_by_role("button", name=re.compile("Clear place selection")).count() == 1
    return text


@pytest.mark.parametrize("show", ["control", "both"])
def test_a_click_on_a_control_mark_selects_its_place(seed_server, new_page, show):
    """Castello road's control mark (government-held on 20 Aug 2016), 139 px from any other place at MAP; in "both"
    mode the August dates leave it without an event mark, so the pointer is over its control mark alone."""
    page, seen = new_page({"width": 1400, "height": 1300})
    dates = "&from=2016-08-01&to=2016-08-31" if show == "both" else ""
    open_app(page, f"{seed_server.url}?show={show}&asof=2016-08-20&map={MAP}{dates}")
    tooltip = _click_place(page, *_seed_point("aleppo-castello-road"))
    assert tooltip.startswith("Castello road\n20 Aug 2016: held by the Government camp"), tooltip
    text = _selected(page, "aleppo-castello-road", "Castello road")
    assert "held by the Government camp" in text
    assert query_of(page.url)["show"] == [show]
    page.go_back()  # the selection is a step of the browser's history, as an event mark's is
    poll(lambda: "at" not in query_of(page.url), what="Back to the view before the click", page=page)
    poll(lambda: page.locator(MAIN + " .st-key-control_history").count() == 0, what="no place history after Back", page=page)
    assert seen.page_errors == [] and seen.console_errors == [] and seen.external_requests == []


@pytest.mark.parametrize("show", ["control", "both"])
def test_a_click_on_a_shaded_neighbourhood_selects_the_place_it_stands_for(seed_server, new_page, show):
    """Ramouseh's OCHA polygon, clicked away from any mark, selects Ramouseh (its own gazetteer entry); the history
    offers the academies that share the polygon, and a click there selects them."""
    page, seen = new_page({"width": 1400, "height": 1300})
    open_app(page, f"{seed_server.url}?show={show}&asof=2016-08-20&map={MAP}")
    tooltip = _click_place(page, *_hood_point("N0226"))
    assert tooltip.startswith("Ar-Ramouseh Indusrtial District (OCHA N0226): contested"), tooltip
    text = _selected(page, "aleppo-ramouseh", "Ramouseh")
    assert "Also in the OCHA neighbourhood Ar-Ramouseh Indusrtial District" in text
    page.mouse.move(5, 5)  # the tooltip off the map: the screenshot shows the selected place's mark
    page.wait_for_timeout(300)
    map_image(page).save(artifact(f"control-click-neighbourhood-{show}.png"))
    page.get_by_role("button", name=re.compile("Ramouseh military academies")).click()
    _selected(page, "aleppo-ramouseh-military-academies", "Ramouseh military academies")
    assert seen.page_errors == [] and seen.console_errors == [] and seen.external_requests == []


def test_a_click_on_a_neighbourhood_shaded_by_its_events_selects_its_place(seed_server, new_page):
    """With events on the map (no control layer), Ramouseh's polygon is shaded by the events at places in it; a
    click on it, away from any mark, selects Ramouseh as a click on its mark would."""
    page, seen = new_page({"width": 1400, "height": 1300})
    open_app(page, f"{seed_server.url}?map={MAP}")
    tooltip = _click_place(page, *_hood_point("N0226"))
    assert tooltip.startswith("Ar-Ramouseh Indusrtial District (Aleppo neighbourhood, OCHA N0226)"), tooltip
    poll(lambda: query_of(page.url).get("at") == ["aleppo-ramouseh"], what="at=aleppo-ramouseh after the click", timeout_s=45, page=page)
    wait_idle(page)
    clear = page.get_by_role("button", name=re.compile("Clear place selection"))
    assert clear.count() == 1 and "Ramouseh" in clear.inner_text()
    assert seen.page_errors == [] and seen.console_errors == [] and seen.external_requests == []
