"""The Import page's panels: saved datasets with links to the map, an upload that imports and saves, rename and delete."""

from __future__ import annotations

import streamlit as st

from data.errors import AtlasError
from data.importers import problems_csv, problems_frame
from data.store.datasets import DatasetStore, StoreError
from data.store.imports import save_bytes
from data.views.links import link_query
from pages.ui.loading import forget_dataset_list
from pages.ui.text import escape_markdown

RESULT_KEY = "_import_result"
FORMAT_LABELS = {"": "Detect from the file", "acled": "ACLED export (CSV)", "ucdp": "UCDP GED (CSV)", "atlas": "Claim Atlas zip (five CSVs)"}


def saved_datasets_ui(store: DatasetStore) -> None:
    """The saved datasets, each with links that open the atlas on it (alone, or over the seed's claims)."""
    st.subheader("Saved datasets", anchor=False)
    infos = store.list()
    if not infos:
        st.caption("No saved datasets yet. The bundled seed dataset is always available.")
        return
    st.dataframe(
        [
            {"name": i.name, "id": i.dataset_id, "format": i.format, "file": i.file_name, "events": i.counts.get("events", 0),
             "claims": i.counts.get("claims", 0), "saved (UTC)": i.created.strftime("%Y-%m-%d %H:%M")}
            for i in infos
        ],
        hide_index=True,
        width="stretch",
    )
    for info in infos:
        left, right = st.columns(2)
        left.page_link("pages/atlas.py", label=f"Open {escape_markdown(info.name)} on the map", icon=":material/map:", query_params=link_query(datasets=(info.dataset_id,)))
        right.page_link("pages/atlas.py", label="…over the seed's claims", icon=":material/layers:", query_params=link_query(datasets=("seed", info.dataset_id)))


def import_ui(store: DatasetStore) -> None:
    """Upload, choose the format, import with a progress bar; the counts and refused rows stay on the page."""
    st.subheader("Import a file", anchor=False)
    upload = st.file_uploader("ACLED or UCDP GED CSV, or a zip of our five CSVs", type=["csv", "zip"], key="import_file")
    fmt = st.selectbox("Format", list(FORMAT_LABELS), format_func=FORMAT_LABELS.get, key="import_format")
    name = st.text_input("Name", key="import_name", placeholder="e.g. ACLED Syria 2016", max_chars=200)
    if upload is not None and st.button("Import", type="primary", key="import_go"):
        bar = st.progress(0.0, text="Starting")
        try:
            # streamed into the store in one transaction (data/store/imports.py): memory does not grow with the file
            dataset_id, result = save_bytes(store, upload.getvalue(), upload.name, fmt or None, name=name,
                                            progress=lambda f, m: bar.progress(min(f, 1.0), text=m))
        except (AtlasError, ValueError) as exc:
            bar.empty()
            st.error("The file was not imported; nothing was saved.")
            st.code(str(exc), language=None)
            return
        bar.progress(1.0, text="Saved")
        forget_dataset_list()
        st.session_state[RESULT_KEY] = (result.summary(dataset_id), list(result.rejected), list(result.warnings))
    if RESULT_KEY in st.session_state:
        summary, rejected, warnings = st.session_state[RESULT_KEY]
        cells = st.columns(5)
        for cell, (label, key) in zip(cells, [("Rows read", "rows_read"), ("Stored", "rows_stored"), ("Rejected", "rows_rejected"),
                                             ("Places resolved", "places_resolved"), ("Unresolved", "places_unresolved")]):
            cell.metric(label, f"{summary[key]:,}")
        st.text(f"Dataset id: {summary['dataset_id']}")
        st.page_link("pages/atlas.py", label="Open it on the map", icon=":material/map:", query_params=link_query(datasets=(summary["dataset_id"],)))
        if rejected:
            st.caption("Rejected rows (line numbers count the header as line 1):")
            st.dataframe(problems_frame(rejected), hide_index=True, width="stretch")
            st.download_button("Download rejected rows (CSV)", problems_csv(rejected), file_name="rejected_rows.csv", mime="text/csv")
        if warnings:
            st.caption("Kept, with a warning:")
            st.dataframe(problems_frame(warnings), hide_index=True, width="stretch")


def manage_ui(store: DatasetStore) -> None:
    """Rename or delete a saved dataset (the seed cannot be changed here)."""
    infos = store.list()
    if not infos:
        return
    st.subheader("Rename or delete", anchor=False)
    labels = {i.dataset_id: f"{i.name} ({i.dataset_id})" for i in infos}
    chosen = st.selectbox("Dataset", list(labels), format_func=labels.get, key="manage_dataset")
    new_name = st.text_input("New name", key="manage_name", max_chars=200)
    rename, delete = st.columns(2)
    if rename.button("Rename", key="manage_rename", disabled=not new_name.strip()):
        try:
            store.rename(chosen, new_name)
        except (StoreError, ValueError) as exc:
            st.code(str(exc), language=None)
        else:
            forget_dataset_list()
            st.rerun()
    sure = delete.checkbox("Yes, delete it and all its rows", key="manage_sure")
    if delete.button("Delete", key="manage_delete", disabled=not sure):
        store.delete(chosen)
        forget_dataset_list()
        st.session_state.pop(RESULT_KEY, None)
        st.rerun()
