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
from data.views.control_view import camp_label
from data.views.palette import SIDE_COLOURS
from data.model.taxonomy import SIDE_LABELS
from data.views.ordering import SORTS
from data.views.table import PAGE_SIZE, claim_rows, page_count, sorted_claim_positions, spreadsheet_safe
from data.views.timeline import axis_days, build_timeline, timeline_caption
from pages.ui.clicks import MAP_KEY, TABLE_KEY, TIMELINE_DRAWN, TIMELINE_KEY, open_picked_row
from pages.ui.deck import BASEMAP_CREDIT, build_deck, control_legend_items, legend_items
from pages.ui.text import escape_markdown
from pages.ui.timeline_chart import build_chart


def map_ui(selection: Selection) -> None:
    """The map of the filtered places framed by the data layer, what lies outside it, the places known only to a
    wider area, the frame buttons, its caption and legend, and the button that clears a selected place."""
    view = selection.view
    places = places_for_map(selection)
    control = control_map_of(selection)
    if control is not None and control.only:
        places = control.places
    frame = frame_map(places, selected=selected_place_record(selection), position=view.map_position)
    hoods = None if control is not None else neighbourhood_counts(selection.dataset, selection.event_mask,
                                                                  derived(selection.dataset).place_neighbourhoods)
    st.pydeck_chart(build_deck(places, selected_place=view.selected_place if control is not None and control.only
                               else highlighted_place(selection), frame=frame, neighbourhoods=hoods, control=control),
                    on_select="rerun", selection_mode="single-object", key=MAP_KEY, height=480)
    _frame_buttons(frame, moved=view.map_position is not None)
    if control is not None:
        control_legend_ui(control)
        if control.only:
            places = places.iloc[:0]  # no event marks: no event caption, areas or side legend
    only_control = control is not None and control.only  # the map draws places' control, not events: count places
    notes = [map_caption(selection, places) if not only_control else "",
             frame.outside_caption(states=control.states() if only_control else None), BASEMAP_CREDIT]
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


def control_inputs(selection: Selection, *, where: str = "map"):
    """The control of the view's data (data.views.control_view, cached per dataset), its control claims and any
    claims file that had to be left out."""
    import os

    from data.model.dataset import SEED_DIR
    from data.views.control_view import AUTO_INFER_MAX_EVENTS, control_for, has_control
    from pages.ui.loading import SEED_DIR_ENV, view_control_claims

    ds = selection.dataset
    seed_folder = os.environ.get(SEED_DIR_ENV) or SEED_DIR
    claims, problems = view_control_claims(ds, tuple(selection.view.datasets), str(seed_folder))
    if len(ds.events) > AUTO_INFER_MAX_EVENTS and not has_control(ds, claims) and not st.session_state.get("_control_asked"):
        if st.button(f"Infer who held what from these {len(ds.events):,} events (this can take a minute)", key=f"control_infer_{where}",
                     icon=":material/history:"):
            st.session_state["_control_asked"] = True
            st.rerun()
        return None, claims, problems
    with st.spinner("Inferring control…"):
        return control_for(ds, claims), claims, problems


def control_map_of(selection: Selection):
    """The control layer the view asks for (show=control or both), or None."""
    if selection.view.map_shows == "events":
        return None
    from data.views.city import neighbourhood_features
    from data.views.control_view import control_map

    control, _, problems = control_inputs(selection)
    for problem in problems:
        st.warning(escape_markdown(problem, limit=600), icon="⚠️")
    if control is None:
        return None
    return control_map(selection.dataset, control, selection.view, place_hoods=derived(selection.dataset).place_neighbourhoods,
                       features=neighbourhood_features())


def control_legend_ui(control) -> None:
    """What the control marks mean (swatches drawn from the map's own styles), the day, what the data can tell, and the rule."""
    from data.model.control import CONTROL_RULE
    from data.views.control_view import CONTROL_LEGEND

    swatches = []
    for state, style in control_legend_items():
        fill, line, width = style["fill"], style["line"], min(style["width"], 4)
        inner = ";box-shadow:inset 0 0 0 1px #fff" if state == "contested" else ""
        swatches.append(
            f'<span style="margin-right:12px;white-space:nowrap" title="{html.escape(CONTROL_LEGEND[state])}">'
            f'<span style="display:inline-block;width:12px;height:12px;border-radius:7px;vertical-align:middle;'
            f'background:rgba({fill[0]},{fill[1]},{fill[2]},{fill[3] / 255:.2f});border:{width}px solid '
            f'rgba({line[0]},{line[1]},{line[2]},{line[3] / 255:.2f}){inner};margin-right:4px"></span>{html.escape(state)}</span>')
    camps = sorted({c for c in control.places["camp"] if c}) if len(control.places) else []
    for camp in camps:
        colour = SIDE_COLOURS.get(camp, SIDE_COLOURS["unknown"])
        swatches.append(f'<span style="margin-right:10px;white-space:nowrap"><span style="display:inline-block;width:11px;height:11px;'
                        f'border-radius:6px;background:rgb{colour};margin-right:4px"></span>{html.escape(camp_label(camp))}</span>')
    st.html('<div style="font-size:0.85rem">' + "".join(swatches) + "</div>")
    st.caption(escape_markdown(control.caption()) + "  \n" + escape_markdown(
        "Held: " + CONTROL_LEGEND["held"] + ". Besieged: " + CONTROL_LEGEND["besieged"] + ". Contested: " + CONTROL_LEGEND["contested"]
        + ". Unknown: " + CONTROL_LEGEND["unknown"] + ". At city scale the OCHA neighbourhood of a place whose control is known "
        "takes the same style. " + control.note))
    with st.expander("How control is inferred (the rule)"):
        st.markdown(CONTROL_RULE)


def control_history_ui(selection: Selection) -> None:
    """The selected place's control over time: each interval with its dates, state and camp, the events it rests
    on (click one to open it) and its claims, all as text; then editors may add a control claim."""
    from data.model.control import ControlError
    from data.views.control_view import as_of_day, control_history, steps_around

    place_id = selection.view.selected_place
    if not place_id:
        return
    ds = selection.dataset
    control, claims, problems = control_inputs(selection, where="history")
    if control is None:
        return
    try:
        steps = control_history(ds, control, place_id, claims)
    except ControlError:
        return
    name = ds.place_tree.names.get(place_id, place_id)
    with st.container(border=True, key="control_history"):
        st.markdown("**Control of " + escape_markdown(name, limit=120) + "**", help=CONTROL_RULE_HELP)
        if len(steps) == 1 and steps[0].state == "unknown":
            st.caption("No evidence speaks to who held this place on any day: it is unknown, not guessed.")
        _neighbourhood_mates_ui(selection, control, place_id)
        day = as_of_day(selection.view, ds)[0] if selection.view.map_shows != "events" else None
        first, shown = steps_around(steps, day)
        if len(shown) < len(steps):
            st.caption(f"Steps {first + 1:,}–{first + len(shown):,} of {len(steps):,}, around "
                       + (f"the map's day ({day.day} {day:%b %Y})" if day else "the latest") + ".")
        for k, step in enumerate(shown, start=first):
            current = day is not None and (not step.start or step.start <= day.isoformat()) and (not step.end or day.isoformat() <= step.end)
            mark = f" ← on the map's day ({day.day} {day:%b %Y})" if current else ""
            st.markdown(f"**{escape_markdown(step.when)}**: {escape_markdown(step.what)}{escape_markdown(mark)}"
                        + (f"  \n{escape_markdown(step.basis, limit=400)}" if step.state != "unknown" else ""))
            for event_id, label in step.events:
                if st.button(escape_markdown(label, limit=140), key=f"control_ev_{k}_{event_id}", icon=":material/open_in_new:",
                             help="Open this evidence event", type="tertiary"):
                    st.session_state["ev"] = event_id
                    st.rerun()
            if step.n_events > len(step.events):
                st.caption(f"… and {step.n_events - len(step.events):,} more events")
            if step.claims:
                listed = [escape_markdown(label, limit=260) for _, label in step.claims]
                more = f"  \n… and {step.n_claims - len(step.claims):,} more claims" if step.n_claims > len(step.claims) else ""
                st.caption("Claims: " + "  \n".join(listed) + more)
        control_claim_form_ui(selection, place_id, claims)


def _neighbourhood_mates_ui(selection: Selection, control, place_id: str) -> None:
    """The other places whose control shades the same OCHA neighbourhood, as buttons that select them (a click on
    the shaded polygon selects only one of them)."""
    from data.views.city import neighbourhood_features
    from data.views.control_view import neighbourhood_mates

    hood, mates = neighbourhood_mates(selection.dataset, control, place_id, derived(selection.dataset).place_neighbourhoods,
                                      neighbourhood_features())
    if not mates:
        return
    st.caption(f"Also in the OCHA neighbourhood {escape_markdown(hood, limit=80)}, and shading it on the control map:")
    row = st.container(horizontal=True, gap="small")
    for mate_id, name in mates[:12]:
        if row.button(escape_markdown(name, limit=60), key=f"control_mate_{mate_id}", help="Select this place", width="content"):
            st.session_state["at"], st.session_state["ev"] = mate_id, None
            st.rerun()


CAMP_HELP = ("Camps are the fighting parties only (a government and its allies are one camp), the ones the control "
             "rule paints: monitors, media, international bodies and analysts hold no ground. When one of them says "
             "who held the place, name it as the claimant.")
CONTROL_RULE_HELP = "Each step rests on the events and claims listed under it. Open 'How control is inferred' under the map (Map shows: control) for the whole rule."


def control_claim_form_ui(selection: Selection, place_id: str, claims) -> None:
    """An editor's claim 'camp X held this place on day D', with its source: checked and stored beside the dataset
    (data/store/control_claims.py), then fed to the same rule. Never a colour painted by hand."""
    from data.model.control.claims_table import CLAIM_STANCES, CLAIM_STATES
    from data.model.claims import PARTY_CAMPS
    from data.store.control_claims import add_editor_claim
    from data.views.control_view import new_claim_row
    from pages.ui.auth import require_editor
    from pages.ui.loading import forget_dataset_list

    done = st.session_state.pop("_control_claim_saved", None)
    if done:
        st.success(escape_markdown(done), icon="✅")
    with st.expander("Add a control claim (editors)"):
        if not require_editor():
            return
        ds = selection.dataset
        sources = sorted(ds.sources["source_id"])
        with st.form("control_claim_form", clear_on_submit=False):
            st.caption(CAMP_HELP)
            left, right = st.columns(2)
            camp = left.selectbox("Camp", list(PARTY_CAMPS), format_func=lambda s: SIDE_LABELS.get(s, s), key="cc_camp",
                                  help=CAMP_HELP)
            state = right.selectbox("State", list(CLAIM_STATES), key="cc_state")
            stance = left.selectbox("Stance", list(CLAIM_STANCES), key="cc_stance",
                                    help="asserts: the camp held (besieged, contested) it; denies: it did not hold it then")
            dataset_id = right.selectbox("Dataset", list(selection.view.datasets), key="cc_dataset")
            start = left.text_input("From (YYYY-MM-DD)", key="cc_from", max_chars=10)
            end = right.text_input("Until (blank: until later evidence)", key="cc_to", max_chars=10)
            source = st.selectbox("Source", sources, key="cc_source")
            claimant = left.text_input("Claimant (who says it)", key="cc_claimant", max_chars=200)
            editor = right.text_input("Your name", key="cc_editor", max_chars=100)
            spans = st.columns(2)
            span_start = spans[0].text_input("Sentence starts at character (optional)", key="cc_span_start", max_chars=9)
            span_end = spans[1].text_input("Sentence ends at character (optional)", key="cc_span_end", max_chars=9)
            statement = st.text_area("Statement, in your own words", key="cc_statement", max_chars=1000)
            submitted = st.form_submit_button("Add control claim")
        if submitted:
            taken = set(claims["control_claim_id"]) if len(claims) else set()
            row = new_claim_row(place_id=place_id, camp=camp, state=state, stance=stance, date_start=start, date_end=end,
                                source_id=source, claimant=claimant, statement=statement, editor=editor,
                                span_start=span_start, span_end=span_end, taken_ids=taken)
            problems = add_editor_claim(ds, dataset_id, row, taken_ids=taken)
            if problems:
                st.error(escape_markdown("Not added, nothing was stored: " + "; ".join(str(p) for p in problems), limit=800))
            else:
                st.session_state["_control_claim_saved"] = f"Added control claim {row['control_claim_id']}; the control rule now uses it."
                forget_dataset_list()  # the store's version moved: read the claims again now, not a second later
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
