"""Every interaction the README documents, done with a mouse and a keyboard in Chromium, on the seed and at 100,000 events.

Each test drives the page as an analyst does and checks what the analyst would see change: the address bar (the
share link), the "N of M events" caption, the selected event's panel, and that no exception box ever appears.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from data.model.dataset import load_dataset
from data.views.filters import filter_dataset
from data.views.view import ViewState
from tests.browser.atlas_page import (
    EXCEPTION,
    TIMELINE_BARS,
    TIMELINE_MARKS,
    artifact,
    caption,
    choose,
    click_map_at,
    click_timeline_mark,
    detail_text,
    drag_timeline,
    map_marks,
    open_app,
    poll,
    query_of,
    select_row,
    tags,
    timeline_plot_box,
    wait_idle,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]


@pytest.fixture(scope="module", params=["seed", "synth"])
def app(request):
    """(server, dataset) for the seed and for the 100,000-event synthetic dataset."""
    if request.param == "seed":
        return request.getfixturevalue("seed_server"), load_dataset()
    folder = request.getfixturevalue("synth_dir")
    return request.getfixturevalue("synth_server"), load_dataset(folder, dataset_id="seed")


def _data_days(ds) -> tuple[date, date]:
    return ds.events["date_start"].min().date(), ds.events["date_end"].max().date()


def _busiest_month(ds) -> tuple[date, date]:
    month = ds.events["date_start"].dt.to_period("M").value_counts().idxmax()
    return month.start_time.date(), month.end_time.date()


def _busy_day(ds) -> date:
    """The busiest day whose events the timeline still draws one by one (at most MAX_EVENT_MARKS)."""
    from data.views.timeline import MAX_EVENT_MARKS

    counts = ds.events.loc[ds.events["date_start"] == ds.events["date_end"], "date_start"].value_counts()
    for day in counts.index[:400]:
        n = filter_dataset(ds, ViewState(date_from=day.date(), date_to=day.date())).n_events
        if 2 <= n <= MAX_EVENT_MARKS:
            return day.date()
    raise AssertionError("no day with few enough events to draw them one by one")


def _dates_in_url(page) -> tuple[date, date]:
    query = query_of(page.url)
    return date.fromisoformat(query["from"][0]), date.fromisoformat(query["to"][0])


def _settled(page) -> None:
    wait_idle(page)
    assert page.locator(EXCEPTION).count() == 0, page.locator(EXCEPTION).all_inner_texts()


def test_timeline_drag_inside_a_month_sets_dates_within_it(app, new_page):
    server, ds = app
    first, last = _busiest_month(ds)
    page, seen = new_page(fresh=False)
    open_app(page, f"{server.url}?from={first}&to={last}")
    timeline_plot_box(page)
    drag_timeline(page, 0.3, 0.6)
    poll(lambda: query_of(page.url).get("from") != [str(first)], what="new dates after the drag", page=page)
    _settled(page)
    start, end = _dates_in_url(page)
    assert first <= start <= end <= last and (start, end) != (first, last)
    expected = filter_dataset(ds, ViewState(date_from=start, date_to=end))
    assert caption(page).startswith(f"{expected.n_events:,} of ")
    assert seen.page_errors == [] and seen.console_errors == []


def test_timeline_drag_over_the_whole_axis_keeps_within_the_data(app, new_page):
    server, ds = app
    first, last = _data_days(ds)
    page, seen = new_page(fresh=False)
    open_app(page, server.url)
    timeline_plot_box(page)
    drag_timeline(page, 0.0, 1.0)
    poll(lambda: "from" in query_of(page.url), what="dates after dragging over the whole timeline", page=page)
    _settled(page)
    start, end = _dates_in_url(page)
    assert first <= start <= end <= last
    assert (end - start).days >= 0.9 * (last - first).days
    assert seen.page_errors == [] and seen.console_errors == []


def test_timeline_click_opens_the_event(app, new_page):
    server, ds = app
    day = _busy_day(ds)
    page, seen = new_page(fresh=False)
    open_app(page, f"{server.url}?from={day}&to={day}")
    poll(lambda: page.locator(TIMELINE_MARKS).count(), what="event marks on the timeline", page=page)
    click_timeline_mark(page, 0)
    event_id = poll(lambda: query_of(page.url).get("ev"), what="ev= after clicking an event on the timeline", page=page)[0]
    _settled(page)
    assert event_id in set(filter_dataset(ds, ViewState(date_from=day, date_to=day)).events["event_id"])
    assert event_id in poll(lambda: detail_text(page), what="the event's detail panel", page=page)
    assert query_of(page.url)["from"] == [str(day)], "opening an event changed the dates"
    assert seen.page_errors == [] and seen.console_errors == []


def test_timeline_click_on_a_bar_sets_its_dates(synth_server, synth_dir, new_page):
    ds = load_dataset(synth_dir, dataset_id="seed")
    page, seen = new_page(fresh=False)
    open_app(page, synth_server.url)
    bars = poll(lambda: page.locator(TIMELINE_BARS).count(), what="count bars on the timeline", page=page)
    assert bars > 10
    bar = page.locator(TIMELINE_BARS).nth(bars // 2)
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + max(box["height"] - 3, 1))
    poll(lambda: "from" in query_of(page.url), what="dates after clicking a bar", page=page)
    _settled(page)
    start, end = _dates_in_url(page)
    assert 0 <= (end - start).days <= 31
    first, last = _data_days(ds)
    assert first <= start <= last
    assert seen.page_errors == [] and seen.console_errors == []


def test_map_click_selects_the_place(app, new_page):
    server, ds = app
    place_id, dx, dy, _ = max(map_marks(ds, ViewState()), key=lambda m: m[3])  # the busiest place's mark
    page, seen = new_page(fresh=False)
    open_app(page, server.url)
    tooltip = click_map_at(page, dx, dy)
    selected = poll(lambda: query_of(page.url).get("at"), what="at= after clicking a map mark", page=page)[0]
    _settled(page)
    name = ds.place_tree.names[selected]
    assert name in tooltip, f"selected {selected} ({name}), but the pointer was over: {tooltip}"
    assert f"selected place: {name}" in caption(page)
    assert page.get_by_role("button", name="Clear place selection").count() == 1
    in_place = filter_dataset(ds, ViewState(selected_place=selected))
    assert caption(page).startswith(f"{in_place.n_events:,} of ")
    assert seen.page_errors == [] and seen.console_errors == []


def test_table_row_opens_its_event(app, new_page):
    server, ds = app
    first, last = _busiest_month(ds)
    page, seen = new_page(fresh=False)
    open_app(page, f"{server.url}?from={first}&to={last}")
    select_row(page, 1)
    event_id = poll(lambda: query_of(page.url).get("ev"), what="ev= after selecting a table row", page=page)[0]
    _settled(page)
    assert event_id in poll(lambda: detail_text(page), what="the event's detail panel", page=page)
    assert query_of(page.url)["from"] == [str(first)]
    assert seen.page_errors == [] and seen.console_errors == []


@pytest.mark.parametrize(("label", "typed", "param", "expected"), [
    ("From", "2016-08-06", "from", "2016-08-06"),
    ("To", "2016-08", "to", "2016-08-31"),
])
def test_a_typed_date_applies_on_enter(seed_server, new_page, label, typed, param, expected):
    page, seen = new_page(fresh=False)
    open_app(page, seed_server.url)
    field = page.get_by_label(label, exact=True)
    field.fill(typed)
    field.press("Enter")  # focus stays in the field: Enter alone must apply the date
    poll(lambda: query_of(page.url).get(param) == [expected], what=f"{param}={expected} after Enter", page=page)
    _settled(page)
    assert field.input_value() == expected
    day = date.fromisoformat(expected)
    assert f"{day.day} {day:%b %Y}" in caption(page)
    assert seen.page_errors == [] and seen.console_errors == []


def test_a_typed_date_that_cannot_be_read_is_explained(seed_server, new_page):
    page, seen = new_page(fresh=False)
    open_app(page, f"{seed_server.url}?from=2016-08-01")
    field = page.get_by_label("From", exact=True)
    field.fill("6 Aug")
    field.press("Enter")
    warning = poll(lambda: page.get_by_text("must be a date like 2016-08-06").count(), what="the date warning", page=page)
    _settled(page)
    assert warning and query_of(page.url) == {"from": ["2016-08-01"]}
    assert seen.page_errors == []


def test_reset_page_switches_and_back_forward_keep_the_view(seed_server, new_page):
    ds = load_dataset()
    page, seen = new_page(fresh=False)
    open_app(page, seed_server.url)
    everything = caption(page)
    choose(page, "Claim status", "contested", param="status", value="contested")
    after_status = (page.url, caption(page))
    timeline_plot_box(page)
    drag_timeline(page, 0.55, 0.95)
    poll(lambda: "from" in query_of(page.url), what="dates after the drag", page=page)
    _settled(page)
    after_drag = (page.url, caption(page))
    assert query_of(page.url)["status"] == ["contested"]

    # Another page and back through the sidebar: the view goes along.
    page.get_by_role("link", name="Places").first.click()
    poll(lambda: "/places" in page.url, what="the Places page", page=page)
    _settled(page)
    assert query_of(page.url) == query_of(after_drag[0])
    page.get_by_role("link", name="Atlas").first.click()
    poll(lambda: "/places" not in page.url, what="the Atlas page", page=page)
    _settled(page)
    assert query_of(page.url) == query_of(after_drag[0])
    assert caption(page) == after_drag[1]
    assert tags(page, "Claim status") == ["contested"]

    # Back: the view before the drag, then before the status; Forward brings the drag back.
    for _ in range(2):  # the two page switches
        page.go_back()
        _settled(page)
    poll(lambda: query_of(page.url) == query_of(after_drag[0]), what="the dragged view after going back over the page switches", page=page)
    page.go_back()
    poll(lambda: query_of(page.url) == query_of(after_status[0]), what="the view before the drag after Back", page=page)
    poll(lambda: caption(page) == after_status[1], what="the caption before the drag", page=page)
    poll(lambda: page.get_by_label("From", exact=True).input_value() == "", what="an empty From field after Back", page=page)
    page.go_back()
    poll(lambda: query_of(page.url) == {}, what="the first view after Back", page=page)
    poll(lambda: caption(page) == everything, what="the unfiltered caption", page=page)
    assert tags(page, "Claim status") == []
    page.go_forward()
    poll(lambda: query_of(page.url) == query_of(after_status[0]), what="the status view after Forward", page=page)
    poll(lambda: tags(page, "Claim status") == ["contested"], what="the status tag after Forward", page=page)

    page.get_by_role("button", name="Reset all filters").click()
    poll(lambda: query_of(page.url) == {}, what="an empty query after Reset", page=page)
    _settled(page)
    assert caption(page) == everything
    assert page.get_by_label("From", exact=True).input_value() == ""
    page.screenshot(path=artifact("interactions-after-reset.png"))
    assert seen.page_errors == [] and seen.console_errors == []
    assert len(ds.events) == int(everything.split(" of ")[0].replace(",", ""))


def test_the_axis_follows_the_date_filter(seed_server, new_page):
    page, _ = new_page(fresh=False)
    open_app(page, f"{seed_server.url}?from=2016-08-01&to=2016-08-31")
    labels = poll(lambda: page.locator('[data-testid="stVegaLiteChart"] .role-axis-label text').all_text_contents(),
                  what="the timeline's axis labels", page=page)
    assert any("Aug" in label for label in labels) and not any(":" in label for label in labels), labels
    one_day = date(2016, 8, 6)
    open_app(page, f"{seed_server.url}?from={one_day}&to={one_day + timedelta(days=0)}")
    labels = poll(lambda: page.locator('[data-testid="stVegaLiteChart"] .role-axis-label text').all_text_contents(),
                  what="the axis labels of a one-day view", page=page)
    assert not any(":" in label or "PM" in label or "AM" in label for label in labels), f"sub-day ticks: {labels}"
