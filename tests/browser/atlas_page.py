"""Drive the Claim Atlas page in Chromium the way an analyst does: sidebar filters, table rows, the share popover.

Streamlit reruns the script after each interaction, so every helper waits for a visible outcome (a tag, a URL,
a caption) instead of sleeping for a fixed time.
"""

from __future__ import annotations

import math
import re
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
MAP_CANVAS = '[data-testid="stDeckGlJsonChart"] canvas'
TIMELINE = '[data-testid="stVegaLiteChart"]'
TIMELINE_MARKS = TIMELINE + " g.mark-symbol.role-mark path"  # event marks, not the legend's symbols
TIMELINE_BARS = TIMELINE + " g.mark-rect.role-mark path"  # counts mode
TIMELINE_PLOT = TIMELINE + " g.role-frame.root > g > path.background"  # the plot area, inside the axes
TIMELINE_TOOLTIP = "#vg-tooltip-element"
STATUS = '[data-testid="stStatusWidget"]'
ALERT = '[data-testid="stAlert"]'
EXCEPTION = '[data-testid="stException"]'
MAIN = '[data-testid="stMain"]'
CAPTION_RE = re.compile(r"^[\d,]+ of [\d,]+ events, [\d,]+ claims")
HEADER_PX = 36  # glide data grid: header row height
ROW_PX = 35  # glide data grid: body row height
MARKER_PX = 15  # the row-marker (selection checkbox) column, centre from the grid's left edge


def script_state(page) -> str:
    """Streamlit's own run state on the app root: initial, running, notRunning, ..."""
    return page.evaluate("() => document.querySelector('[data-testid=\"stApp\"]')?.dataset.testScriptState || ''")


def wait_idle(page, *, settle_ms: int = 250, timeout_ms: int = 45_000) -> None:
    """Wait until the script has finished running and stayed finished for settle_ms (no rerun queued)."""
    deadline = time.monotonic() + timeout_ms / 1000
    quiet_since = None
    while time.monotonic() < deadline:
        if script_state(page) != "notRunning" or page.locator(STATUS).count():
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif (time.monotonic() - quiet_since) * 1000 >= settle_ms:
            return
        page.wait_for_timeout(100)
    raise TimeoutError(f"Streamlit still running after {timeout_ms} ms (state {script_state(page)!r})")


def poll(predicate, *, what: str, timeout_s: float = 20, page=None):
    """Call predicate until it returns something truthy; fail saying what was awaited."""
    deadline = time.monotonic() + timeout_s
    last = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
        except Exception as exc:  # an element that is re-rendering mid-read
            last = exc
        if last and not isinstance(last, Exception):
            return last
        if page is not None:
            page.wait_for_timeout(150)
        else:
            time.sleep(0.15)
    raise AssertionError(f"timed out after {timeout_s} s waiting for {what}; last saw {last!r}")


def open_app(page, url: str, *, wait_for_map: bool = True) -> None:
    """Load a URL of the app and wait until the script has run to its end (and, if asked, the map canvas exists).

    Charts load their code lazily (Vega's and deck.gl's bundles), so elements can appear seconds after the script
    ended; an exception box is in the main bundle and shows at once.
    """
    page.goto(url, wait_until="domcontentloaded")
    wait_idle(page)
    if wait_for_map:
        page.wait_for_selector(MAP_CANVAS, state="attached")


def query_of(url: str) -> dict[str, list[str]]:
    """A URL's query parameters, repeated keys kept, order of values kept."""
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def caption(page) -> str:
    """The 'N of M events, K claims · filters' caption under the title."""
    captions = page.locator(MAIN + ' [data-testid="stCaptionContainer"]')
    return poll(lambda: next((t for t in captions.all_inner_texts() if CAPTION_RE.match(t)), None),
                what="the events/claims caption", page=page)


def multiselect(page, label: str):
    return page.locator('[data-testid="stMultiSelect"]').filter(has=page.get_by_label(label, exact=True))


def tags(page, label: str) -> list[str]:
    """The values a sidebar multiselect shows as tags."""
    return [t for t in multiselect(page, label).locator("[data-tag]").evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")]


def choose(page, label: str, option: str, *, param: str, value: str) -> None:
    """Pick one option of a multiselect (typing to narrow the list); wait until the URL has param=value."""
    box = multiselect(page, label)
    field = box.get_by_label(label, exact=True)
    field.click()
    field.fill(option[:30])
    page.locator('[role="option"]').filter(has_text=option).first.click()
    poll(lambda: option in tags(page, label), what=f"tag {option!r} in {label}", page=page)
    page.keyboard.press("Escape")
    poll(lambda: value in query_of(page.url).get(param, []), what=f"{param}={value} in the URL", page=page)
    wait_idle(page)


def search(page, text: str) -> None:
    """Type a search text and commit it (Enter); wait until the URL has it."""
    field = page.get_by_label("Search summaries and claims", exact=True)
    for _attempt in range(3):  # a rerun that lands while typing can reset the box: type again
        field.fill(text)
        field.press("Enter")
        try:
            poll(lambda: query_of(page.url).get("q") == [text], what=f"q={text!r} in the URL", page=page, timeout_s=8)
            break
        except AssertionError:
            wait_idle(page)
    else:
        raise AssertionError(f"the search box never committed {text!r}")
    wait_idle(page)


def search_text(page) -> str:
    return page.get_by_label("Search summaries and claims", exact=True).input_value()


def share_link(page) -> str:
    """The link the 'Share this view' popover shows."""
    page.get_by_role("button", name=re.compile("Share this view")).click()
    code = page.locator('[data-testid="stPopoverBody"] [data-testid="stCode"], [data-testid="stCode"]').first
    link = poll(lambda: code.inner_text().strip(), what="the share link", page=page)
    page.keyboard.press("Escape")
    return link


def grid_box(page, index: int = -1) -> dict:
    """Bounding box of a data grid on the page (the claim table is the last one)."""
    grids = page.locator(MAIN + ' [data-testid="stDataFrame"]')
    grid = grids.last if index == -1 else grids.nth(index)
    grid.scroll_into_view_if_needed()
    return grid.bounding_box()


def row_point(page, row: int = 0, *, grid_index: int = -1) -> tuple[float, float]:
    """Page coordinates of a row's selection box (0 = first body row) in a data grid."""
    box = grid_box(page, grid_index)
    return box["x"] + MARKER_PX, box["y"] + HEADER_PX + ROW_PX * row + ROW_PX / 2


def select_row(page, row: int = 0, *, grid_index: int = -1) -> None:
    """Tick the selection box of a row (0 = first body row) in a data grid."""
    page.mouse.click(*row_point(page, row, grid_index=grid_index))


def read_cells(page, row: int = 0, *, grid_index: int = -1, max_cells: int = 16) -> list[str]:
    """The texts of a row's cells, read from the grid's own cell overlay (the grid draws on a canvas).

    Double-clicking a read-only cell opens an overlay holding the cell's full text in a textarea;
    arrow keys move along the row, so columns scrolled out of view are read too.
    """
    box = grid_box(page, grid_index)
    y = box["y"] + HEADER_PX + ROW_PX * row + ROW_PX / 2
    page.mouse.dblclick(box["x"] + MARKER_PX + 60, y)
    texts: list[str] = []
    for _ in range(max_cells):
        area = page.locator("textarea.gdg-input")
        try:
            area.wait_for(state="attached", timeout=3000)
            texts.append(area.input_value())
        except Exception:
            texts.append("")
        page.keyboard.press("Escape")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    return texts


def timeline_plot_box(page) -> dict:
    """The timeline's plot area in page pixels (the axes' labels are outside it)."""
    plot = page.locator(TIMELINE_PLOT).first
    plot.wait_for(state="attached")
    plot.scroll_into_view_if_needed()
    return poll(lambda: plot.bounding_box(), what="the timeline's plot area", page=page)


def drag_timeline(page, start: float, end: float, *, height: float = 0.5) -> None:
    """Drag across the timeline from one fraction of the plot's width to another, as a mouse does."""
    box = timeline_plot_box(page)
    y = box["y"] + box["height"] * height
    page.mouse.move(box["x"] + box["width"] * start, y)
    page.mouse.down()
    for step in range(1, 9):
        page.mouse.move(box["x"] + box["width"] * (start + (end - start) * step / 8), y)
    page.mouse.up()


def timeline_mark_centres(page) -> list[tuple[float, float]]:
    """Page coordinates of the centre of each event mark the timeline draws (inside the plot)."""
    plot = timeline_plot_box(page)
    centres = []
    for box in page.locator(TIMELINE_MARKS).evaluate_all(
            "els => els.map(e => { const r = e.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height}; })"):
        x, y = box["x"] + box["w"] / 2, box["y"] + box["h"] / 2
        if box["w"] and plot["x"] <= x <= plot["x"] + plot["width"] and plot["y"] <= y <= plot["y"] + plot["height"]:
            centres.append((x, y))
    return centres


def click_timeline_mark(page, index: int = 0) -> None:
    """Click the index-th event mark of the timeline (in drawing order)."""
    centres = poll(lambda: timeline_mark_centres(page), what="event marks on the timeline", page=page)
    x, y = centres[index]
    page.mouse.move(x, y)
    page.wait_for_timeout(60)
    page.mouse.click(x, y)


def map_frame_of(ds, view):
    """The filtered places and the frame the app opens the map on for a view (the same data-layer call as the page)."""
    from data.views.filters import filter_dataset
    from data.views.map_frame import frame_map
    from data.views.map_view import places_for_map, selected_place_record

    selection = filter_dataset(ds, view)
    places = places_for_map(selection)
    return places, frame_map(places, selected=selected_place_record(selection), position=view.map_position)


def map_marks(ds, view) -> list[tuple[str, float, float, int]]:
    """Each place mark the map draws inside its opening frame: (place id, x and y from the canvas centre in pixels,
    events). Countries and governorates are outlines, not marks; places the frame leaves out are not listed."""
    from data.views.map_frame import BROAD_KINDS, mercator_px

    places, frame = map_frame_of(ds, view)
    outside = {o.place_id for o in frame.outside}
    cx, cy = mercator_px(frame.latitude, frame.longitude, frame.zoom)
    marks = []
    for place in places.itertuples(index=False):
        if place.kind in BROAD_KINDS or place.place_id in outside:
            continue
        x, y = mercator_px(place.mark_lat, place.mark_lon, frame.zoom)
        marks.append((place.place_id, x - cx, y - cy, int(place.n_events)))
    return marks


def drawn_marks(ds, view) -> list[tuple[str, float, float, float, tuple]]:
    """map_marks with each mark's radius and colour as the page draws them: input for marks_missing."""
    from data.views.map_frame import BROAD_KINDS
    from data.views.palette import SIDE_COLOURS
    from pages.ui.deck import mark_radius_px

    places, _frame = map_frame_of(ds, view)
    points = places[~places["kind"].isin(BROAD_KINDS)]
    busiest, sides = int(points["n_events"].max()), dict(zip(points["place_id"], points["side"]))
    return [(place_id, dx, dy, mark_radius_px(n, busiest, len(points)), SIDE_COLOURS[sides[place_id]])
            for place_id, dx, dy, n in map_marks(ds, view)]


def near_colour(pixel, colour, tolerance: int = 45) -> bool:
    return max(abs(a - b) for a, b in zip(pixel, colour)) <= tolerance


def map_image(page):
    """The map canvas as an RGB image (PIL)."""
    import io

    from PIL import Image

    return Image.open(io.BytesIO(page.locator(MAP_CANVAS).screenshot())).convert("RGB")


def marks_missing(image, marks: list[tuple[str, float, float, float, tuple]]) -> list[tuple[str, object]]:
    """The marks (place id, dx, dy from the canvas centre, radius px, colour) not drawn where they belong: outside the
    canvas, or a pixel at their centre of neither their colour nor that of a mark covering them."""
    width, height = image.size
    missing = []
    for place_id, dx, dy, _radius, _colour in marks:
        px, py = width / 2 + dx, height / 2 + dy
        if not (0 <= px < width and 0 <= py < height):
            missing.append((place_id, "outside the canvas"))
            continue
        covering = [c for _, ox, oy, r, c in marks if math.hypot(ox - dx, oy - dy) <= r]
        pixel = image.getpixel((int(px), int(py)))
        if not any(near_colour(pixel, colour) for colour in covering):
            missing.append((place_id, pixel))
    return missing


MAP_TOOLTIP = ".deck-tooltip"


def hover_map_at(page, dx: float, dy: float, *, expect: str | None = None, timeout_s: float = 20) -> tuple[float, float, str]:
    """Hover the map at an offset from the canvas centre until a tooltip shows (starting with `expect`, if given).

    deck.gl picks what a hovered pointer is over, so a click before picking selects nothing. Returns the pointer's
    page coordinates and the tooltip's text.
    """
    canvas = page.locator(MAP_CANVAS).first
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x, y = box["x"] + box["width"] / 2 + dx, box["y"] + box["height"] / 2 + dy
    tip = page.locator(MAP_TOOLTIP).first

    def hovered():
        page.mouse.move(x + 1, y)
        page.mouse.move(x, y)
        text = tip.count() and tip.is_visible() and tip.inner_text(timeout=500).strip()
        return text if text and (expect is None or text.split("\n")[0].startswith(expect)) else None

    what = "a map tooltip" + (f" naming {expect!r}" if expect else "") + f" under the pointer at ({dx:.0f}, {dy:.0f})"
    return x, y, poll(hovered, what=what, page=page, timeout_s=timeout_s)


def click_map_at(page, dx: float, dy: float) -> str:
    """Hover the map at an offset from the canvas centre until a tooltip shows, then press and release there.

    The page is let settle before the canvas is measured: a late layout change moves it by a few pixels, enough to
    land on a neighbouring mark among hundreds. Returns the tooltip's text.
    """
    wait_idle(page)
    _x, _y, text = hover_map_at(page, dx, dy)
    page.mouse.down()
    page.wait_for_timeout(80)
    page.mouse.up()
    return text


def download(page, label: str) -> bytes:
    """Click a download button and return the file's bytes."""
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name=label).click()
    path = info.value.path()
    with open(path, "rb") as handle:
        return handle.read()


def detail_text(page) -> str:
    """The selected event's panel text, '' when no event is selected."""
    blocks = page.locator(MAIN + ' [data-testid="stVerticalBlock"]').filter(has_text="Selected event").filter(has_text="Event id:")
    return blocks.last.inner_text() if blocks.count() else ""


def artifact(name: str) -> Path:
    """A path under test-artifacts/ (git-ignored) for screenshots and logs."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name


# Anything a hostile payload could have become: an element, a handler, a link, formatted text, a flag.
_INJECTED = """() => {
  const found = [];
  const probe = (selector) => { if (document.querySelector(selector)) found.push(selector); };
  ['img[src="x"]', '[onerror]', '[onload]', 'a[href^="javascript" i]', 'iframe', 'svg[onload]', 'embed', 'object',
   '[data-testid="stAlert"] a', '[data-testid="stAlert"] strong', '[data-testid="stAlert"] b',
   '[data-testid="stAlert"] .katex', '[data-testid="stAlert"] img',
   '[data-testid="stCaptionContainer"] a', '[data-testid="stCaptionContainer"] .katex',
   '[data-testid="stMain"] .katex', '[data-testid="stMain"] del', '[data-testid="stSidebar"] .katex'].forEach(probe);
  for (const s of document.querySelectorAll('script')) if (s.textContent.includes('__pwned')) found.push('inline script');
  const h1 = document.querySelectorAll('h1').length;
  if (h1 !== 1) found.push('h1 count ' + h1);
  if (window.__pwned !== undefined) found.push('window.__pwned set');
  return found;
}"""


def injected(page) -> list[str]:
    """What on the page betrays an executed or rendered payload ([] when nothing did)."""
    return page.evaluate(_INJECTED)
