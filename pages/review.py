"""Review articles: paste or upload news reports, check the extractor's candidate events and claims, save the accepted ones."""

from __future__ import annotations

from datetime import date

import streamlit as st

from data.extract import extract
from data.extract.confidence import DEFAULT_REVIEW_THRESHOLD
from data.extract.review import SORT_ORDERS, Article, build_dataset, claims_frame, dataset_hash, events_frame, merge_suggestions, rank_candidates
from pages.ui.loading import load_view_data
from pages.ui.widgets import enter_through_app, navigation_ui

try:
    from pages.ui.auth import require_editor
except ImportError:  # the gate lives in another module; without it the page stays closed
    require_editor = None

enter_through_app()
navigation_ui()
st.title("Review articles", anchor=False)
if require_editor is None:
    st.error("The editor login (pages/ui/auth.py) is missing, so reviewing is switched off.")
    st.stop()
if not require_editor():
    st.stop()


@st.cache_resource(show_spinner="Loading the geocoder…")
def _geocoder():
    try:
        from data.model.dataset import SEED_DIR
        from geo.geocoder import Geocoder

        return Geocoder(places=str(SEED_DIR / "places.csv"))
    except Exception:  # extraction still works with place names only
        return None


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


base = load_view_data(("seed",))
st.caption("Candidates are suggestions from fixed rules: tick what is right, fix any field, merge repeats into an "
           "existing event, then save. The article text is shown as plain text, never rendered.")

with st.form("articles"):
    pasted = st.text_area("Paste an article (plain text)", height=180, key="paste")
    uploads = st.file_uploader("…or upload .txt files", type=["txt"], accept_multiple_files=True, key="files")
    left, right = st.columns(2)
    outlet = left.text_input("Outlet (optional)", key="outlet")
    dated = right.checkbox("I know the publication date", key="dated")
    published = right.date_input("Published", value=date.today(), key="published", disabled=False)
    submitted = st.form_submit_button("Extract candidates", type="primary")

if submitted:
    texts = [("pasted.txt", pasted)] if pasted.strip() else []
    for upload in uploads or []:
        try:
            texts.append((upload.name, upload.getvalue().decode("utf-8")))
        except UnicodeDecodeError:
            st.warning(f"Skipped a file that is not UTF-8 text: {upload.name!r}")
    articles = [Article(name, text, extract(text, outlet=outlet or None, published=published if dated else None,
                                            actors=base.actor_index, geocoder=_geocoder()))
                for name, text in texts]
    st.session_state["review"] = [(a, events_frame(a), claims_frame(a)) for a in articles]

reviewed = st.session_state.get("review", [])
if not reviewed:
    st.info("Paste or upload an article to start.")
    st.stop()

left, right = st.columns(2)
threshold = left.slider("Show candidates with a confidence of at least", 0.0, 1.0, DEFAULT_REVIEW_THRESHOLD, 0.05,
                        key="review_threshold", help="Confidence is calibrated: about that share of such candidates were right "
                        "on our test reports. Hidden candidates are not saved.")
order = right.selectbox("Order", list(SORT_ORDERS), key="review_order")
edited = []
for index, (article, all_events, all_claims) in enumerate(reviewed):
    result = article.extraction
    events, hidden_events = rank_candidates(all_events, threshold=threshold, order=order)
    claims, hidden_claims = rank_candidates(all_claims, threshold=threshold, order=order)
    with st.expander(f"Article {index + 1}: {_count(len(events), 'event')}, {_count(len(claims), 'claim')}", expanded=index == 0):
        st.text(f"File: {article.name}\nPublished: {result.published or 'unknown'} ({result.published_basis})")
        if hidden_events or hidden_claims:
            st.caption(f"{_count(hidden_events, 'event')} and {_count(hidden_claims, 'claim')} below confidence {threshold:.2f} "
                       "are hidden and will not be saved.")
        text_col, cand_col = st.columns([1, 2])
        with text_col:
            st.text_area("Article text (read only)", article.text, height=420, disabled=True, key=f"text_{index}")
        with cand_col:
            suggestions = {row.candidate_id: merge_suggestions(row._asdict(), base) for row in events.itertuples(index=False)}
            options = sorted({""} | {s for found in suggestions.values() for s in found})
            events_out = st.data_editor(  # keyed by the filter too: a new filter starts the table afresh
                events, key=f"events_{index}_{threshold:.2f}_{order}", hide_index=True, width="stretch", disabled=["candidate_id", "confidence", "rule", "span_start", "span_end", "evidence"],
                column_config={"accept": st.column_config.CheckboxColumn(),
                               "merge_into": st.column_config.SelectboxColumn(options=options, help="an existing event this repeats"),
                               "evidence": st.column_config.TextColumn(width="large"),
                               "date_start": st.column_config.DateColumn(), "date_end": st.column_config.DateColumn()})
            claims_out = st.data_editor(
                claims, key=f"claims_{index}_{threshold:.2f}_{order}", hide_index=True, width="stretch", disabled=["candidate_id", "confidence", "rule", "span_start", "span_end", "evidence"],
                column_config={"accept": st.column_config.CheckboxColumn(),
                               "stance": st.column_config.SelectboxColumn(options=["asserts", "denies", "disputes", "uncertain"]),
                               "evidence": st.column_config.TextColumn(width="large")})
        st.dataframe({"candidate": list(suggestions), "may be the same as": [", ".join(v) or "—" for v in suggestions.values()]},
                     hide_index=True, width="stretch")
        pick = st.selectbox("Show the evidence of", [*events_out["candidate_id"], *claims_out["candidate_id"]], key=f"pick_{index}")
        row = (events_out[events_out["candidate_id"] == pick].to_dict("records") or claims_out[claims_out["candidate_id"] == pick].to_dict("records"))
        if row:
            st.text(f"characters {row[0]['span_start']}–{row[0]['span_end']} · rule {row[0]['rule']} · confidence {row[0]['confidence']}")
            st.code(article.text[int(row[0]["span_start"]) : int(row[0]["span_end"])], language=None, wrap_lines=True)
        edited.append((article, events_out, claims_out))

st.divider()
name = st.text_input("Save the accepted candidates as dataset", value="Reviewed articles", key="dataset_name")
if st.button("Save accepted", type="primary", key="save"):
    dataset = build_dataset(edited, base, geocoder=_geocoder())
    if dataset.problems:
        st.warning(f"{len(dataset.problems)} rows were left out; fix them and save again:")
        st.dataframe({"problem": [str(p) for p in dataset.problems]}, hide_index=True, width="stretch")
    if dataset.events.empty and dataset.claims.empty:
        st.warning("Nothing accepted to save.")
        st.stop()
    from data.store.datasets import DatasetStore

    dataset_id = DatasetStore().save(dataset, name, file_hash=dataset_hash(edited), fmt="review",
                                     file_name=", ".join(a.name for a, _, _ in edited)[:200])
    st.success(f"Saved {_count(len(dataset.events), 'event')} and {_count(len(dataset.claims), 'claim')} as dataset {dataset_id}.")
