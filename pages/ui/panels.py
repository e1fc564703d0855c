"""The Atlas page's panels: map, timeline, event detail and claim table, drawn from data-layer view models (data shown as text)."""

from __future__ import annotations

import html

import streamlit as st

from data.model.claims import CLAIM_STATUS_RULE, ORIGIN_RULE
from data.model.quantities import NUMBERS_RULE
from data.views.exports import events_download
from data.views.detail import EventDetail
from data.views.filters import Selection
from data.views.city import neighbourhood_counts
from data.views.derived import derived
from data.views.map_frame import frame_map
from data.views.map_view import (broad_places, highlighted_place, legend_label, map_caption, places_for_map,
                                 selected_place_record)
from data.views.view import MAP_ZOOM_RANGE
from data.views.ordering import SORTS
from data.views.table import PAGE_SIZE, claim_rows, page_count, sorted_claim_positions, spreadsheet_safe
from data.views.timeline import axis_days, build_timeline, timeline_caption
from pages.ui.clicks import MAP_KEY, TABLE_KEY, TIMELINE_DRAWN, TIMELINE_KEY, open_picked_row
from pages.ui.deck import BASEMAP_CREDIT, build_deck, legend_items
from pages.ui.text import escape_markdown
from pages.ui.timeline_chart import build_chart


def map_ui(selection: Selection) -> None:
    """The map of the filtered places framed by the data layer, what lies outside it, the places known only to a
    wider area, the frame buttons, its caption and legend, and the button that clears a selected place."""
    view = selection.view
    places = places_for_map(selection)
    frame = frame_map(places, selected=selected_place_record(selection), position=view.map_position)
    hoods = neighbourhood_counts(selection.dataset, selection.event_mask, derived(selection.dataset).place_neighbourhoods)
    st.pydeck_chart(build_deck(places, selected_place=highlighted_place(selection), frame=frame, neighbourhoods=hoods),
                    on_select="rerun", selection_mode="single-object", key=MAP_KEY, height=480)
    _frame_buttons(frame, moved=view.map_position is not None)
    notes = [map_caption(selection, places), frame.outside_caption(), BASEMAP_CREDIT]
    st.caption("  \n".join(escape_markdown(note) for note in notes if note))
    wide = broad_places(places)
    if len(wide):
        st.caption("Known only to a wider area (outlined on the map, not a point); click one to select it:")
        row = st.container(horizontal=True, gap="small")
        for area in wide.head(12).itertuples(index=False):
            if row.button(f"{escape_markdown(area.name, limit=40)} · {int(area.n_events):,}", key=f"broad_{area.place_id}",
                          help=f"{int(area.n_events):,} events known only to this area", width="content"):
                st.session_state["at"], st.session_state["map"] = area.place_id, None
                st.rerun()
        if len(wide) > 12:
            st.caption(f"… and {len(wide) - 12} more areas (the Place filter lists them all).")
    if not places.empty:  # labels are our side names or dataset ids (validated slugs), escaped all the same
        st.html("".join(
            f'<span style="margin-right:10px;white-space:nowrap"><span style="display:inline-block;width:11px;height:11px;'
            f'border-radius:6px;background:rgb{colour};margin-right:4px"></span>{html.escape(legend_label(value, places))}</span>'
            for value, colour in legend_items(places)))
    place_id = view.selected_place
    if place_id:
        name = selection.dataset.place_tree.names.get(place_id, place_id)
        if st.button(f"Clear place selection: {escape_markdown(name, limit=80)}", key="clear_place"):
            st.session_state["at"] = None
            st.rerun()


def _frame_buttons(frame, *, moved: bool) -> None:
    """Zoom in and out (the position then travels in the link), show every filtered place, or go back to fitting."""
    zoom_in, zoom_out, wider, fit = st.columns([1, 1, 3, 3])
    position = frame.position()
    if zoom_in.button("", icon=":material/zoom_in:", key="map_zoom_in", help="Zoom in (kept in the link)"):
        st.session_state["map"] = (position[0], position[1], min(position[2] + 1, MAP_ZOOM_RANGE[1]))
        st.rerun()
    if zoom_out.button("", icon=":material/zoom_out:", key="map_zoom_out", help="Zoom out (kept in the link)"):
        st.session_state["map"] = (position[0], position[1], max(position[2] - 1, MAP_ZOOM_RANGE[0]))
        st.rerun()
    if frame.fit_all and wider.button("Show every place", key="map_fit_all", help="Frame every filtered place, including those outside the map",
                                      icon=":material/zoom_out_map:"):
        st.session_state["map"] = frame.fit_all
        st.rerun()
    if moved and fit.button("Fit the map to the filters", key="map_fit", icon=":material/fit_screen:"):
        st.session_state["map"] = None
        st.rerun()


def timeline_ui(selection: Selection) -> None:
    """The timeline, following the date filter; what it was drawn with is kept to read the next drag or click."""
    timeline = build_timeline(selection)
    axis = axis_days(selection)
    st.session_state[TIMELINE_DRAWN] = (timeline.mode, axis)
    st.vega_lite_chart(build_chart(timeline, axis, selected_event=selection.view.selected_event), on_select="rerun",
                       key=TIMELINE_KEY, width="stretch")
    st.caption(timeline_caption(timeline))


def event_detail_ui(detail: EventDetail, *, in_filter: bool) -> None:
    """Summary, when and where with their precision, actors, fatalities, and every claim with its source."""
    with st.container(border=True):
        top, close = st.columns([6, 1])
        top.markdown("**Selected event** · " + escape_markdown(detail.summary))
        if close.button("Clear", key="clear_event", help="Clear the selected event"):
            st.session_state["ev"] = None
            st.rerun()
        if not in_filter:
            st.caption("This event is outside the current filters.")
        facts = {
            "When": f"{detail.when} (precision: {detail.date_precision})",
            "Where": f"{detail.place} ({detail.place_precision})" if detail.place_precision else detail.place,
            "Coordinates from": detail.place_source or "—",
            "Type": detail.event_type,
            "Actors": detail.actors,
            "Fatalities": detail.fatalities + (f" (from {detail.fatalities_basis})" if detail.fatalities_basis else ""),
            "Claim status": detail.status,
            "Why": detail.status_reason,
            "Event id": detail.event_id,
        }
        st.markdown("  \n".join(f"**{label}:** {escape_markdown(value)}" for label, value in facts.items()), help=CLAIM_STATUS_RULE)
        if detail.numbers is not None and not detail.numbers.empty:
            lines = [f"**{escape_markdown(row.unit)}:** {escape_markdown(row.range)} · {escape_markdown(row.said_by)}"
                     + (" · **numbers disagree (more than 2x apart)**" if row.disagree else "")
                     for row in detail.numbers.rename(columns={"said by": "said_by"}).itertuples(index=False)]
            st.markdown("**Figures claimed** (range per unit; who said each)  \n" + "  \n".join(lines), help=NUMBERS_RULE)
        for sentence in detail.elsewhere:
            st.caption(escape_markdown(sentence) + " (matching rule: overlapping dates within their precision, places within their radii)")
        st.dataframe(detail.claims, hide_index=True, width="stretch",
                     column_config={"statement": st.column_config.TextColumn(width="large")})


@st.fragment
def claim_table_ui(selection: Selection) -> None:
    """One page of the claim table with sorting, paging and downloads of the whole filtered set.

    A fragment: sorting and paging rerun only the table. Selecting a row opens its event (a rerun of the whole page).
    """
    head, sort_col, page_col = st.columns([3, 2, 1])
    head.subheader("Claims", help=CLAIM_STATUS_RULE)
    sort = sort_col.selectbox("Sort", list(SORTS), format_func=SORTS.get, key="claims_sort")
    positions = sorted_claim_positions(selection, sort)
    pages = page_count(len(positions))
    page = page_col.number_input(f"Page (of {pages})", min_value=1, max_value=pages, step=1, key="claims_page")
    page = min(int(page), pages)
    rows = claim_rows(selection, positions[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    picked = st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=TABLE_KEY,
        column_config={
            "statement": st.column_config.TextColumn(width="large"),
            "event": st.column_config.TextColumn(width="medium"),
            "why": st.column_config.TextColumn("why", width="medium", help="Why the event has its status. " + CLAIM_STATUS_RULE),
            "origin": st.column_config.TextColumn("origin", help=ORIGIN_RULE),
            "event_id": None,
            "claim_id": None,
        },
    )
    first = page * PAGE_SIZE - PAGE_SIZE + 1
    st.caption(f"Rows {min(first, len(positions)):,}–{min(page * PAGE_SIZE, len(positions)):,} of {len(positions):,} claims. "
               "An event's assertions come before its denials. Select a row to open its event.")
    left, right = st.columns(2)
    left.download_button("Download filtered events (CSV)", data=lambda: _events_csv(selection), file_name="claim-atlas-events.csv",
                         mime="text/csv", on_click="ignore", key="download_events")
    right.download_button("Download filtered claims (CSV)", data=lambda: _claims_csv(selection), file_name="claim-atlas-claims.csv",
                          mime="text/csv", on_click="ignore", key="download_claims")
    open_picked_row(picked, rows)


def _events_csv(selection: Selection) -> bytes:
    ds = selection.dataset
    events = events_download(selection.events, ds.claims, ds.actor_index.names)
    return spreadsheet_safe(events).to_csv(index=False).encode("utf-8")


def _claims_csv(selection: Selection) -> bytes:
    return spreadsheet_safe(claim_rows(selection, sorted_claim_positions(selection, "date"))).to_csv(index=False).encode("utf-8")
