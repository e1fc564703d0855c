"""The Narratives page's Streamlit side: the list, one step beside the map, timeline and claims, and the editors' tools.

A step's view is a shared link's query; it is drawn with the Atlas's own panels. Anything the reader does to those
panels (a click on the map or the timeline, a table row, a zoom button) leaves the narrative for the Atlas with the
step's view so changed: the narrative itself never changes under a reader. All text is shown escaped.
"""

from __future__ import annotations

import re
from dataclasses import replace

import streamlit as st

from data.errors import AtlasError, FilterError
from data.model.dataset import Dataset
from data.narratives.model import Narrative, NarrativeError, Step, check_narrative, make_step
from data.narratives.reading import (
    SEED_FILE, claim_ids_of, find_narrative, seed_narratives, step_evidence, step_link, step_query, vocabulary_of,
)
from data.views.links import link_query
from data.views.view import ViewState, Vocabulary, parse_day
from pages.ui.share import page_address, share_popover_ui
from pages.ui.text import escape_markdown

PAGE = "pages/narratives.py"
ATLAS = "pages/atlas.py"
_PANEL_KEYS = ("at", "ev", "map", "from", "to")  # what the Atlas panels' clicks and buttons write
_SHOWN = "_narrative_step_shown"  # (story, step, the panel values it was drawn with)


@st.cache_resource(show_spinner=False)
def _seed_file_narratives(mtime: float, seed_dir: str) -> tuple[list[Narrative], str | None]:
    """The narratives shipped in data/seed/, checked against the seed the app serves (ATLAS_SEED_DIR may serve other
    data, which they do not fit: then they are left out and the page says why)."""
    from pages.ui.loading import load_view_data

    try:
        return seed_narratives(load_view_data(("seed",))), None
    except NarrativeError as problem:
        return [], ("The narratives shipped with the app do not fit the data served as the seed here "
                    f"({len(problem.problems) or 1} problems), so they are not listed.")


def _store():
    from data.store.datasets import DatasetStore
    from data.store.narratives import NarrativeStore

    return NarrativeStore(DatasetStore())


def all_narratives() -> tuple[list[Narrative], dict[str, int], str | None]:
    """The seed's narratives and the editors' (an editor's version of a seed narrative replaces it), each with its
    stored revision (0: not stored), and a message when the store cannot be read (the seed's still show)."""
    import os

    from pages.ui.loading import SEED_DIR_ENV

    shipped, problem = (_seed_file_narratives(SEED_FILE.stat().st_mtime, os.environ.get(SEED_DIR_ENV, ""))
                        if SEED_FILE.exists() else ([], None))
    try:
        store = _store()
        stored = store.list()
        if store.unreadable:
            problem = (f"{len(store.unreadable)} saved narratives cannot be read and are left out: "
                       + ", ".join(store.unreadable[:5]))
    except (AtlasError, OSError) as exc:  # the store away or unreadable: the shipped narratives still work
        stored, problem = [], f"Narratives saved by editors cannot be read right now ({type(exc).__name__})."
    revisions = {n.narrative_id: r for n, r in stored}
    by_id = {n.narrative_id: n for n in shipped} | {n.narrative_id: n for n, _ in stored}
    return list(by_id.values()), revisions, problem


# --- the list ------------------------------------------------------------------------------------------------------


def narrative_list_ui(narratives: list[Narrative]) -> None:
    """Each narrative: its title as a link to its first step, author, number of steps and summary (all as text)."""
    if not narratives:
        st.info("No narratives yet. An editor can start one below.")
    for narrative in narratives:
        with st.container(border=True):
            st.page_link(PAGE, label=escape_markdown(narrative.title, limit=200), icon=":material/auto_stories:",
                         query_params=step_query(narrative.narrative_id, 1))
            st.caption(escape_markdown(f"{len(narrative.steps)} steps · by {narrative.author or 'unnamed'} · "
                                       f"datasets: {', '.join(narrative.datasets)} · id {narrative.narrative_id}"))
            if narrative.summary:
                st.markdown(escape_markdown(narrative.summary))


# --- one step ------------------------------------------------------------------------------------------------------


def step_view_and_data(step: Step, available: frozenset[str]) -> tuple[ViewState, list[FilterError], Dataset]:
    """The view a step opens and the data it names: datasets first (they decide which ids are valid), as the Atlas does."""
    from pages.ui.loading import load_view_data

    query = {name: list(values) for name, values in step.view.items()}
    wanted, _ = ViewState.from_query({"ds": query["ds"]} if "ds" in query else {}, Vocabulary(datasets=available))
    ds = load_view_data(wanted.datasets)
    view, errors = ViewState.from_query(query, vocabulary_of(ds, available))
    return view, errors, ds


def leave_for_atlas_if_panels_changed(story_id: str, number: int, view: ViewState) -> None:
    """A click or button on the map, timeline or claim table changed what the step shows: open the Atlas on that view.

    The panels write their changes into the session state under the URL's names (pages/ui/clicks.py); comparing
    them with what this step drew them with tells a reader's action from a plain rerun.
    """
    from pages.ui.clicks import apply_chart_clicks

    shown = st.session_state.get(_SHOWN)
    apply_chart_clicks()
    if not shown or shown[:2] != (story_id, number):
        return
    now = {key: st.session_state.get(key) for key in _PANEL_KEYS}
    if now == shown[2]:
        return
    changed = replace(view, selected_place=now["at"], selected_event=now["ev"], map_position=now["map"])
    try:
        changed = replace(changed, date_from=parse_day(now["from"], "from") if now["from"] else None,
                          date_to=parse_day(now["to"], "to", period_end=True) if now["to"] else None)
    except FilterError:
        pass
    st.session_state.pop(_SHOWN, None)
    _forget_atlas_view()
    st.switch_page(ATLAS, query_params=link_query(changed))


def remember_panel_values(story_id: str, number: int, view: ViewState) -> None:
    """Give the panels the step's values, and remember them to notice a reader's change on the next run."""
    values = {"at": view.selected_place, "ev": view.selected_event, "map": view.map_position,
              "from": view.date_from.isoformat() if view.date_from else "", "to": view.date_to.isoformat() if view.date_to else ""}
    for key, value in values.items():
        st.session_state[key] = value
    st.session_state[_SHOWN] = (story_id, number, values)
    _forget_atlas_view()


def _forget_atlas_view() -> None:
    """The Atlas must seed its widgets again from its URL: this page wrote into keys it shares with them."""
    from pages.ui import state

    st.session_state.pop(state._APPLIED, None)


def step_header_ui(narrative: Narrative, number: int) -> None:
    """The narrative's title, where the reader is (progress bar and 'Step 3 of 9'), and the step's title."""
    total = len(narrative.steps)
    st.title(escape_markdown(narrative.title, limit=200), anchor=False)
    st.progress(number / total, text=f"Step {number} of {total}")


def step_text_ui(narrative: Narrative, number: int, step: Step, view: ViewState, ds: Dataset) -> None:
    """The step's title and words, what it rests on, previous/next (arrow keys too), explore from here, its link."""
    st.subheader(escape_markdown(step.title, limit=200), anchor=False)
    if step.text:
        st.markdown(escape_markdown(step.text, limit=3000))
    st.caption(escape_markdown("Showing: " + view.describe(place_names=ds.place_tree.names)))
    back, forward = st.columns(2)
    if back.button("Previous", icon=":material/arrow_back:", key="step_previous", disabled=number <= 1, width="stretch",
                   shortcut="left", help="Previous step (left arrow key)"):
        go_to_step(narrative.narrative_id, number - 1)
    if forward.button("Next", icon=":material/arrow_forward:", icon_position="right", key="step_next",
                      disabled=number >= len(narrative.steps), width="stretch", shortcut="right", help="Next step (right arrow key)"):
        go_to_step(narrative.narrative_id, number + 1)
    st.page_link(ATLAS, label="Explore from here", icon=":material/explore:", query_params=link_query(view),
                 help="Open the Atlas on this step's view, with every filter free to change")
    share_popover_ui("Link to this step", step_link(narrative.narrative_id, number, page_address()),
                     "Copy this link to open this step of the narrative.")


def evidence_ui(ds: Dataset, step: Step, view: ViewState) -> None:
    """The event and the claims the step rests on (statements are our summaries of the sources), as a table of text."""
    evidence = step_evidence(ds, step, view)
    if not evidence.empty:
        st.markdown("**What this step rests on**")
        st.dataframe(evidence, hide_index=True, width="stretch",
                     column_config={"text": st.column_config.TextColumn(width="large"), "id": None})


def steps_index_ui(narrative: Narrative, number: int, container) -> None:
    """Every step as a link (the current one marked), in the sidebar."""
    container.subheader("Steps", anchor=False)
    for i, step in enumerate(narrative.steps, start=1):
        label = f"{i}. {escape_markdown(step.title, limit=80)}"
        container.page_link(PAGE, label=f"**{label}**" if i == number else label, query_params=step_query(narrative.narrative_id, i),
                            disabled=False)


def go_to_step(story_id: str, number: int) -> None:
    """Open another step: the URL changes on the server (so Back and Forward walk through the steps) and the page reruns."""
    st.query_params.from_dict(step_query(story_id, number))
    st.rerun()


def write_step_url(story_id: str, number: int) -> None:
    """The URL says exactly this step (a bad step number is corrected, stray parameters dropped).

    Sent on every run, even when the server's copy already agrees: a page link to this same page (the steps in the
    sidebar) reruns it with the link's parameters without changing the browser's address. The browser adds a
    history entry only when the address changes, so Back and Forward still walk through the steps read.
    """
    st.query_params.from_dict(step_query(story_id, number))


# --- editing -------------------------------------------------------------------------------------------------------


def save_narrative(narrative: Narrative, revision: int, ds: Dataset | None = None) -> bool:
    """Check a narrative as a file would be checked, then store it; say what was wrong (as text) and save nothing on error."""
    from pages.ui.auth import is_editor
    from pages.ui.loading import available_dataset_ids, load_view_data

    if not is_editor():
        st.error("Only an editor can save narratives.")
        return False
    try:
        data = ds if ds is not None else load_view_data(tuple(d for d in narrative.datasets if d in available_dataset_ids()) or ("seed",))
        checked = check_narrative(narrative, vocabulary_of(data, available_dataset_ids()), claim_ids_of(data))
        _store().save(checked, expected_revision=revision)
    except (NarrativeError, AtlasError) as problem:
        st.error(escape_markdown(str(problem), limit=1500), icon="⚠️")
        return False
    return True


def step_editor_ui(narrative: Narrative, number: int, revision: int, ds: Dataset) -> None:
    """Editors only: change this step's title and words, move it earlier or later, delete it."""
    index = number - 1
    step = narrative.steps[index]
    with st.form("edit_step", border=True):
        st.markdown(f"**Edit step {number}**")
        title = st.text_input("Step title", value=step.title, max_chars=120)
        text = st.text_area("Step text", value=step.text, max_chars=1500, height=150)
        saved = st.form_submit_button("Save step")
    if saved:
        try:
            new_step = make_step({"title": title, "text": text, "view": {k: list(v) for k, v in step.view.items()},
                                  "claims": list(step.claims)})
        except NarrativeError as problem:
            st.error(escape_markdown(str(problem)), icon="⚠️")
        else:
            if save_narrative(narrative.with_step_replaced(index, new_step), revision, ds):
                st.rerun()
    earlier, later, delete = st.columns(3)
    if earlier.button("Move earlier", icon=":material/arrow_upward:", key="step_earlier", disabled=index == 0, width="stretch"):
        if save_narrative(narrative.with_step_moved(index, -1), revision, ds):
            go_to_step(narrative.narrative_id, number - 1)
    if later.button("Move later", icon=":material/arrow_downward:", key="step_later", disabled=number >= len(narrative.steps),
                    width="stretch"):
        if save_narrative(narrative.with_step_moved(index, 1), revision, ds):
            go_to_step(narrative.narrative_id, number + 1)
    if delete.button("Delete step", icon=":material/delete:", key="step_delete", disabled=len(narrative.steps) <= 1, width="stretch",
                     help="A narrative keeps at least one step"):
        if save_narrative(narrative.without_step(index), revision, ds):
            go_to_step(narrative.narrative_id, min(number, len(narrative.steps) - 1))
    st.caption("To add a step, open the Atlas (Explore from here), set the view you want and use "
               "“Add this view as a step” there.")


def new_narrative_ui(existing: list[Narrative]) -> None:
    """Editors only: start a narrative (its first step is the default view; replace it from the Atlas)."""
    with st.form("new_narrative", border=True):
        st.markdown("**Start a narrative**")
        title = st.text_input("Title", max_chars=120)
        summary = st.text_area("Summary", max_chars=1200)
        author = st.text_input("Author", max_chars=80)
        created = st.form_submit_button("Create")
    if created:
        base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:50] or "narrative"
        taken = {n.narrative_id for n in existing}
        narrative_id = next(c for c in [base] + [f"{base}-{i}" for i in range(2, 1000)] if c not in taken)
        try:
            first = make_step({"title": "The whole dataset", "text": "", "view": {}})
            narrative = check_narrative(Narrative(narrative_id, title, summary, author, ("seed",), (first,)))
        except NarrativeError as problem:
            st.error(escape_markdown(str(problem)), icon="⚠️")
            return
        if save_narrative(narrative, 0):
            go_to_step(narrative_id, 1)


def import_export_ui(narratives: list[Narrative]) -> None:
    """Editors only: import a narrative file (checked whole: nothing is saved when any part is wrong); export them all."""
    from data.narratives.model import to_json

    st.download_button("Export narratives (JSON)", data=to_json(narratives), file_name="claim-atlas-narratives.json",
                       mime="application/json", on_click="ignore", key="export_narratives")
    uploaded = st.file_uploader("Import a narrative file (JSON)", type=["json"], key="import_narratives")
    if uploaded is not None and st.button("Import these narratives", key="import_narratives_go"):
        from data.store.datasets import DatasetStore
        from data.store.narratives import import_narratives

        try:
            read = import_narratives(DatasetStore(), uploaded.getvalue())
        except (NarrativeError, AtlasError) as problem:
            st.error(escape_markdown(str(problem), limit=3000), icon="⚠️")
        else:
            st.success(f"Imported {len(read)} narratives.")


def add_view_as_step_ui(view: ViewState, ds: Dataset) -> None:
    """On the Atlas, for editors: turn the current view into a new step of a narrative, then open that step."""
    from pages.ui.auth import is_editor
    from pages.ui.loading import available_dataset_ids

    if not is_editor():
        return
    narratives, revisions, _problem = all_narratives()
    if not narratives:
        return
    with st.popover("Add this view as a step", icon=":material/playlist_add:"):
        with st.form("add_step", border=False):
            chosen = st.selectbox("Narrative", [n.narrative_id for n in narratives],
                                  format_func=lambda i: find_narrative(narratives, i).title[:80])  # options are plain text
            title = st.text_input("Step title", max_chars=120)
            text = st.text_area("Step text (your own words)", max_chars=1500)
            added = st.form_submit_button("Add step")
    if added:
        narrative = find_narrative(narratives, chosen)
        try:
            step = make_step({"title": title, "text": text, "view": view.to_query()}, vocabulary_of(ds, available_dataset_ids()))
        except NarrativeError as problem:
            st.error(escape_markdown(str(problem)), icon="⚠️")
            return
        if save_narrative(narrative.with_step(step), revisions.get(chosen, 0), ds):
            st.switch_page(PAGE, query_params=step_query(chosen, len(narrative.steps) + 1))
