"""The control layer's view models on the seed: the as-of day, who held Ramouseh, Farafra and east Aleppo on three
days, neighbourhood polygons, a place's history with its evidence, what imported data can tell, editors' claims."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from data.model.control import CONTROL_CLAIM_COLUMNS, CONTROL_CLAIMS_FILE
from data.model.dataset import SEED_DIR, load_dataset
from data.store.control_claims import add_editor_claim, claims_folder
from data.store.duckdb_store import DuckDBStore
from data.views.city import neighbourhood_features, place_neighbourhoods
from data.views.control_view import (as_of_day, control_claims_for, control_for, control_history, control_map,
                                     control_neighbourhoods, neighbourhood_mates, new_claim_row, precision_note)
from data.views.view import ViewState
from tests.conftest import SHARED

DAY = dt.date.fromisoformat


@pytest.fixture(scope="module")
def seed():
    return load_dataset(SEED_DIR)


@pytest.fixture(scope="module")
def seed_claims(seed):
    claims, problems = control_claims_for(seed, ("seed",), seed_folder=SEED_DIR, store_path="/nonexistent/atlas.duckdb")
    assert problems == []
    return claims


def _map(ds, claims, day: str, shows: str = "control"):
    view = ViewState(control_day=DAY(day), map_shows=shows)
    return control_map(ds, control_for(ds, claims), view, place_hoods=place_neighbourhoods(ds), features=neighbourhood_features())


def _states(control) -> dict[str, tuple[str, str]]:
    return {row.place_id: (row.state, row.camp) for row in control.places.itertuples(index=False)}


def test_the_as_of_day_is_the_picked_day_else_the_end_of_the_dates_else_the_data(seed):
    assert as_of_day(ViewState(control_day=DAY("2016-08-20"), date_to=DAY("2016-09-30")), seed) == (DAY("2016-08-20"), "the day picked")
    assert as_of_day(ViewState(date_to=DAY("2016-09-30")), seed) == (DAY("2016-09-30"), "the end of the date filter")
    last = seed.events["date_end"].max().date()
    assert as_of_day(ViewState(), seed) == (last, "the data's last day")


def test_no_control_layer_when_the_map_shows_events(seed, seed_claims):
    assert _map(seed, seed_claims, "2016-08-20", shows="events") is None
    assert _map(seed, seed_claims, "2016-08-20", shows="both").only is False


# (day, place, state, camp): the Ramouseh complex and east Aleppo before the breakthrough, after it, and in October
THREE_DAYS = [
    ("2016-07-20", "aleppo-ramouseh", "held", "government"),
    ("2016-07-20", "aleppo-ramouseh-military-academies", "held", "government"),
    ("2016-07-20", "aleppo-east", "besieged", "opposition"),
    ("2016-07-20", "aleppo-farafra", "held", "opposition"),
    ("2016-08-20", "aleppo-ramouseh", "contested", "jihadist"),  # state media deny the breakthrough
    ("2016-08-20", "aleppo-ramouseh-military-academies", "held", "jihadist"),
    ("2016-08-20", "aleppo-east", "unknown", ""),  # nothing in the seed says who held it then: not guessed
    ("2016-08-20", "aleppo-west", "held", "government"),
    ("2016-10-10", "aleppo-east", "besieged", "opposition"),
    ("2016-10-10", "aleppo-farafra", "held", "government"),
    ("2016-10-10", "aleppo-handarat-camp", "held", "government"),
    ("2016-10-10", "aleppo", "contested", ""),  # divided: districts held by two camps
]


@pytest.mark.parametrize("day, place_id, state, camp", THREE_DAYS, ids=[f"{d}-{p}" for d, p, _, _ in THREE_DAYS])
def test_aleppo_on_three_days(seed, seed_claims, day, place_id, state, camp):
    control = _map(seed, seed_claims, day)
    assert _states(control)[place_id] == (state, camp)
    row = control.places.set_index("place_id").loc[place_id]
    assert row["state"] in row["tooltip"] or state in row["tooltip"]
    if state != "unknown":
        assert row["event_ids"] or row["claim_ids"]  # every drawn state rests on something


def test_places_without_any_evidence_are_counted_not_drawn(seed, seed_claims):
    control = _map(seed, seed_claims, "2016-08-20")
    drawn = set(control.places["place_id"])
    assert "aleppo-ramouseh" in drawn and not drawn & {"syria", "aleppo-governorate"}  # governorates say nothing
    history = control_for(seed, seed_claims).intervals
    silent = [p for p, intervals in history.items() if all(i.state == "unknown" for i in intervals)]
    assert not drawn & set(silent) and control.n_without_evidence > 0
    assert f"{control.n_without_evidence} places with no evidence" in control.caption()
    assert control.caption().startswith("Control as of 20 Aug 2016 (the day picked)")


def test_neighbourhood_polygons_take_the_state_of_the_places_in_them(seed, seed_claims):
    by_day = {day: _map(seed, seed_claims, day).neighbourhoods.set_index("pcode") for day in ("2016-07-20", "2016-08-20", "2016-10-10")}
    assert (by_day["2016-07-20"].loc["N0226", "state"], by_day["2016-07-20"].loc["N0226", "camp"]) == ("held", "government")
    # the academies (held) and Ramouseh (contested) lie in one polygon, both the jihadist camp's: contested
    assert (by_day["2016-08-20"].loc["N0226", "state"], by_day["2016-08-20"].loc["N0226", "camp"]) == ("contested", "jihadist")
    assert set(by_day["2016-08-20"].loc["N0226", "places"]) == {"aleppo-ramouseh", "aleppo-ramouseh-military-academies"}
    assert by_day["2016-08-20"].loc["N0170", "camp"] == "opposition" and by_day["2016-10-10"].loc["N0170", "camp"] == "government"


def test_a_polygon_whose_places_name_two_camps_is_contested_and_unknown_places_shade_nothing():
    places = pd.DataFrame({"place_id": ["a", "b", "c"], "name": ["A", "B", "C"], "state": ["held", "held", "unknown"],
                           "camp": ["government", "opposition", ""]})
    features = [{"properties": {"pcode": "N1", "name": "One", "city": "X"}}, {"properties": {"pcode": "N2", "name": "Two", "city": "X"}}]
    hoods = control_neighbourhoods(places, np.array([0, 0, 1]), ["a", "b", "c"], features)
    assert hoods[["pcode", "state", "camp"]].values.tolist() == [["N1", "contested", ""]]
    assert "contested (divided)" in hoods.loc[0, "tooltip"]


def test_a_place_history_lists_each_interval_with_its_evidence_as_text(seed, seed_claims):
    control = control_for(seed, seed_claims)
    steps = control_history(seed, control, "aleppo-ramouseh", seed_claims)
    assert [(s.state, s.camp) for s in steps] == [("unknown", ""), ("held", "government"), ("contested", "jihadist")]
    last = steps[-1]
    assert last.when == "from 6 Aug 2016" and last.what == "contested (Jihadist camp's claim)"
    assert [e for e, _ in last.events] == ["2016-08-06-aleppo-siege-broken"]
    assert last.events[0][1].startswith("6 Aug 2016 · ")
    assert any(c == "aleppo-siege-broken-sana-1" and "(denies)" in label for c, label in last.claims)
    east = control_history(seed, control, "aleppo-east", seed_claims)
    besieged = next(s for s in east if s.state == "besieged")
    assert besieged.when == "17 Jul 2016 to 5 Aug 2016"
    assert "control claim by Reuters copy printed by MaltaToday" in besieged.claims[0][1]
    nothing = control_history(seed, control, "aleppo-cement-factory", seed_claims)  # fought over, never said to change hands
    assert [(s.state, s.when, s.events, s.claims) for s in nothing] == [("unknown", "on every day", (), ())]


def test_the_precision_note_says_what_imported_data_can_tell(seed):
    assert precision_note(seed, control_for(seed)).startswith("11 of 12 territory changes are filed under places known to 10 km")
    from data.importers import import_file

    acled = SHARED / "samples" / "acled_syria_sample.csv"
    ucdp = SHARED / "samples" / "ucdp_ged_syria_sample.csv"
    if not acled.is_file() or not ucdp.is_file():
        pytest.skip("the ACLED/UCDP samples are not here")
    ds = import_file(acled, "acled").dataset
    note = precision_note(ds, control_for(ds))
    assert note.startswith("3 of 5 territory changes") and "2 filed under a governorate" in note
    ds = import_file(ucdp, "ucdp").dataset
    note = precision_note(ds, control_for(ds))
    assert note.startswith("No event here says territory changed hands") and f"0 of {len(ds.places)} places" in note
    view = ViewState(datasets=(ds.dataset_id,), map_shows="control", control_day=DAY("2016-01-01"))
    layer = control_map(ds, control_for(ds), view, place_hoods=place_neighbourhoods(ds), features=neighbourhood_features())
    assert layer.places.empty and "no place has evidence" in layer.caption()


def _editor_row(seed, claims, **changes):
    values = dict(place_id="aleppo-east", camp="opposition", state="held", stance="asserts", date_start=DAY("2016-08-20"),
                  date_end="", source_id="maltatoday-2016-08-07", claimant="an editor's reading of the Reuters copy",
                  statement="Rebels hold the east after the breakthrough, by the same copy.", editor="test editor",
                  taken_ids=set(claims["control_claim_id"]))
    return new_claim_row(**(values | changes))


def test_an_editor_claim_feeds_the_same_rule(seed, seed_claims, tmp_path):
    store = tmp_path / "atlas.duckdb"
    before = control_for(seed, seed_claims)
    row = _editor_row(seed, seed_claims)
    assert row["control_claim_id"] == "editor-aleppo-east-2016-08-20-1"
    assert add_editor_claim(seed, "seed", row, taken_ids=set(seed_claims["control_claim_id"]), store_path=store) == []
    stored = DuckDBStore(store).control_claims("seed")  # in the store's table, not a file beside it
    assert list(stored.columns) == list(CONTROL_CLAIM_COLUMNS) and list(stored["control_claim_id"]) == [row["control_claim_id"]]
    claims, problems = control_claims_for(seed, ("seed",), seed_folder=SEED_DIR, store_path=store)
    assert problems == [] and len(claims) == len(seed_claims) + 1
    after = control_for(seed, claims)
    assert after is not before and control_for(seed, claims) is after  # a new claim is a new inference, then reused
    state = next(s for s in after.on("2016-09-01") if s.place_id == "aleppo-east")
    assert (state.state, state.side, state.claims) == ("held", "opposition", (row["control_claim_id"],))
    assert next(s for s in before.on("2016-09-01") if s.place_id == "aleppo-east").state == "unknown"
    # the October siege claim still follows: the editor's claim is evidence like any other, not a painted colour
    assert next(s for s in after.on("2016-10-10") if s.place_id == "aleppo-east").state == "besieged"
    again = _editor_row(seed, claims)
    assert again["control_claim_id"] == "editor-aleppo-east-2016-08-20-2"


@pytest.mark.parametrize("changes, column", [
    ({"source_id": "no-such-source"}, "source_id"),
    ({"date_start": "soon"}, "date_start"),
    ({"date_start": DAY("2016-09-01"), "date_end": "2016-08-01"}, "date_end"),
    ({"claimant": "  "}, "claimant"),
    ({"place_id": "atlantis"}, "place_id"),
])
def test_a_bad_editor_claim_is_named_and_nothing_is_stored(seed, seed_claims, tmp_path, changes, column):
    store = tmp_path / "atlas.duckdb"
    first = _editor_row(seed, seed_claims)
    assert add_editor_claim(seed, "seed", first, store_path=store) == []
    before, version = DuckDBStore(store).control_claims("seed"), DuckDBStore(store).version()
    taken = set(seed_claims["control_claim_id"]) | {first["control_claim_id"]}
    problems = add_editor_claim(seed, "seed", _editor_row(seed, seed_claims, taken_ids=taken, **changes), store_path=store)
    assert [p.column for p in problems] == [column]
    pd.testing.assert_frame_equal(DuckDBStore(store).control_claims("seed"), before)
    assert len(before) == 1 and DuckDBStore(store).version() == version


def test_a_claim_id_of_the_seed_file_cannot_be_reused(seed, seed_claims, tmp_path):
    row = _editor_row(seed, seed_claims) | {"control_claim_id": seed_claims["control_claim_id"].iloc[0]}
    problems = add_editor_claim(seed, "seed", row, taken_ids=set(seed_claims["control_claim_id"]), store_path=tmp_path / "a.duckdb")
    assert [p.reason for p in problems] == ["already used"]
    assert not claims_folder("seed", tmp_path / "a.duckdb").exists()
    assert DuckDBStore(tmp_path / "a.duckdb").control_claims("seed").empty


def test_a_broken_editor_file_is_left_out_whole_and_named(seed, tmp_path):
    store = tmp_path / "atlas.duckdb"
    folder = claims_folder("seed", store)
    folder.mkdir(parents=True)
    (folder / CONTROL_CLAIMS_FILE).write_text(",".join(CONTROL_CLAIM_COLUMNS) + "\nx,atlantis,government,,held,2016-01-01,,asserts,"
                                              "maltatoday-2016-08-07,someone,,,,words,ed\n")
    claims, problems = control_claims_for(seed, ("seed",), seed_folder=SEED_DIR, store_path=store)
    assert len(claims) == 6 and len(problems) == 1 and "atlantis" in problems[0]
    with pytest.raises(ValueError):
        claims_folder("../etc", store)


def test_a_history_lists_the_first_items_and_counts_the_rest(seed, seed_claims):
    control = control_for(seed, seed_claims)
    full = control_history(seed, control, "aleppo-ramouseh", seed_claims)[-1]
    short = control_history(seed, control, "aleppo-ramouseh", seed_claims, max_items=2)[-1]
    assert short.claims == full.claims[:2] and short.n_claims == full.n_claims == 13
    assert len(full.claims) == 6  # HISTORY_ITEMS listed, the rest counted


def test_long_histories_show_the_steps_around_the_day():
    from data.views.control_view import HistoryStep, steps_around

    steps = [HistoryStep(f"2016-01-{d:02d}", f"2016-01-{d:02d}", "held", "government", "", "", "", (), ()) for d in range(1, 31)]
    assert steps_around(steps[:12], DAY("2016-01-05")) == (0, steps[:12])
    first, shown = steps_around(steps, DAY("2016-01-20"))
    assert (first, len(shown)) == (13, 12) and shown[6].start == "2016-01-20"
    assert steps_around(steps, DAY("2016-01-02"))[0] == 0 and steps_around(steps, None)[0] == 18
    assert steps_around(steps, DAY("2017-01-01"))[0] == 18  # after every step: the latest


def test_a_shaded_neighbourhood_stands_for_its_own_place_else_its_best_evidenced_one(seed, seed_claims):
    hoods = _map(seed, seed_claims, "2016-08-20").neighbourhoods.set_index("pcode")
    # Ramouseh's polygon holds Ramouseh (its own pcode) and the academies: the click selects the neighbourhood itself
    assert hoods.loc["N0226", "place_id"] == "aleppo-ramouseh" and len(hoods.loc["N0226", "places"]) == 2
    assert hoods.loc["N0170", "place_id"] == "aleppo-farafra"
    places = pd.DataFrame({"place_id": ["a", "b"], "name": ["A", "B"], "pcode": ["", ""], "state": ["held", "held"],
                           "camp": ["government", "government"], "event_ids": [("e1",), ("e2", "e3")], "claim_ids": [(), ("c1",)]})
    features = [{"properties": {"pcode": "N9", "name": "Nine", "city": "X"}}]
    hood = control_neighbourhoods(places, np.array([0, 0]), ["a", "b"], features)
    assert hood.loc[0, "place_id"] == "b"  # no place of its own: the one with the most evidence (3 ids against 1)


def test_a_place_names_the_other_places_shading_its_neighbourhood(seed, seed_claims):
    control = control_for(seed, seed_claims)
    hood, mates = neighbourhood_mates(seed, control, "aleppo-ramouseh", place_neighbourhoods(seed), neighbourhood_features())
    assert hood == "Ar-Ramouseh Indusrtial District"
    assert mates == [("aleppo-ramouseh-military-academies", "Ramouseh military academies (artillery college complex)")]
    assert neighbourhood_mates(seed, control, "aleppo-farafra", place_neighbourhoods(seed), neighbourhood_features())[1] == []
    assert neighbourhood_mates(seed, control, "manbij", place_neighbourhoods(seed), neighbourhood_features()) == ("", [])


def test_outside_the_control_map_counts_places_and_says_their_state(seed, seed_claims):
    from data.views.map_frame import frame_map

    control = _map(seed, seed_claims, "2016-08-20")
    frame = frame_map(control.places)
    caption = frame.outside_caption(states=control.states())
    assert caption.startswith("Outside the map (3 places): ") and "event" not in caption
    assert "Manbij (held by the SDF / Kurdish camp, 80 km E)" in caption and "Old City of Homs (held by the Government camp" in caption
    assert "1 event" in frame.outside_caption()  # the events map's wording, which the control map used to show
