"""AppTest wiring of weighing claims: the origin and voice filters from the URL and the sidebar, and the status
reason and figures in the event detail and the claim table."""

from __future__ import annotations

import pytest

SIEGE = "2016-08-06-aleppo-siege-broken"
pytestmark = pytest.mark.usefixtures("isolated_store")  # tests/pages/conftest.py; `atlas` opens the page on a link


def _count(at) -> int:
    return int(at.caption[0].value.split(" of ")[0].replace(",", ""))


def test_origin_and_several_voices_from_the_url(atlas):
    at = atlas(origin="Reuters", multi="1")
    assert not at.exception and not at.warning
    assert at.multiselect(key="origin").value == ["Reuters"]
    assert at.toggle(key="multi").value is True
    assert "claims from Reuters; only what more than one voice says" in at.caption[0].value
    assert 0 < _count(at) < _count(atlas())
    table = at.dataframe[0].value
    assert set(table["origin"]) == {"Reuters"}
    assert dict(at.query_params) == {"origin": "Reuters", "multi": "1"}


def test_sidebar_toggle_writes_the_url(atlas):
    at = atlas()
    at.toggle(key="multi").set_value(True).run()
    assert at.query_params["multi"] == "1"
    kept = _count(at)
    at.toggle(key="disagree").set_value(True).run()
    assert at.query_params["disagree"] == "1"
    assert _count(at) == 0 < kept  # no two origins give the seed's figures far apart
    assert any("No events match" in info.value for info in at.info)


def test_a_bad_switch_value_warns_and_is_ignored(atlas):
    at = atlas(multi="maybe")
    assert not at.exception
    assert "`multi` must be 1 (on) or 0 (off)" in at.warning[0].value.replace("\\", "")
    assert at.toggle(key="multi").value is False


def test_event_detail_explains_the_status_and_shows_the_figures(atlas):
    at = atlas(ev=SIEGE)
    assert not at.exception
    text = "\n".join(block.value for block in at.markdown).replace("\\", "")
    assert "**Why:** contested: Syrian rebels (unspecified factions)" in text
    assert "deny it." in text
    assert "**militants killed:** at least 300 · 300 (more than): Syrian Arab Army (via Syrian state media, Reuters) (denies)" in text
    assert "at least 300 (from its claims)" in text
    table = at.dataframe[0].value
    assert "origin" in table.columns


def test_claim_table_says_why(atlas):
    at = atlas(status="conceded")
    rows = at.dataframe[0].value
    assert set(rows["status"]) == {"conceded"}
    assert rows["why"].str.startswith("conceded: Syrian opposition").all()
