"""Sentences and clauses keep their offsets; furniture and headlines are set aside."""

from __future__ import annotations

import pytest

from data.extract.sentences import is_boilerplate, is_headline, segment


def test_offsets_point_into_the_text():
    text = "BEIRUT — The U.S. envoy arrived. Dr. Haddad said the talks failed.\n\nRebels took the hill, while troops held the road."
    result = segment(text)
    assert [s.text for s in result.sentences] == [
        "The U.S. envoy arrived.", "Dr. Haddad said the talks failed.", "Rebels took the hill, while troops held the road."]
    for sentence in result.sentences:
        assert text[sentence.start : sentence.end] == sentence.text
        for clause in sentence.clauses:
            assert text[clause.start : clause.end] == clause.text
    assert [c.text for c in result.sentences[2].clauses] == ["Rebels took the hill", "while troops held the road."]
    assert ("dateline" in [reason for _, reason in result.skipped])


@pytest.mark.parametrize("line", ["Share story", "Advertisement", "Register for free to continue reading",
                                  "Please enter your last name", "You must be over 18 years old to register",
                                  "This week, save 90% on digital access.", "By clicking ‘Register’ you confirm that you agree to our Terms of use"])
def test_boilerplate(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", ["Rebels said they had taken the hill.", "The army shared its plans with allies."])
def test_not_boilerplate(line):
    assert not is_boilerplate(line)


def test_headlines_are_lines_without_end_punctuation():
    assert is_headline("Aid agencies warn of winter in the camps")
    assert not is_headline("Aid agencies warned of winter in the camps.")
