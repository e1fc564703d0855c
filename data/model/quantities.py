"""Numbers as claims: the quantities claims report, grouped per event and unit, with who said each.

A unit keeps the article's hedge in brackets ("militants killed (more than)"); the hedge is shown with the figure and
left out when units are compared. Figures of one unit that come from different origins and differ by more than
DISAGREE_FACTOR are flagged for the analyst. An event's fatality range comes from its claims' death tolls unless
the event's own fatalities_low/high are filled in (curated, or the imported dataset's own figure).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

DISAGREE_FACTOR = 2.0
# Source ids of the figures an imported dataset gives itself (ACLED's lowest toll, UCDP's low/best/high): "dataset-figures:acled"
DATASET_FIGURES_PREFIX = "dataset-figures:"
_HEDGE = re.compile(r"\(([^()]*)\)")
_FATALITY = re.compile(r"\b(killed|dead|deaths?|died|fatalities)\b")
_LOWER_BOUND = re.compile(r"\b(more than|at least|over|lowest|minimum)\b")
NUMBERS_RULE = (
    f"Figures are grouped per event and unit (the bracketed hedge left out); figures of one unit from different "
    f"origins that differ by more than a factor of {DISAGREE_FACTOR:g} are flagged. Fatalities come from the claims' "
    "death tolls (killed, dead, deaths) unless the event's own range is filled in."
)


def unit_key(unit: str) -> str:
    """A unit as compared: lower case, hedges in brackets removed, spaces collapsed.

    >>> unit_key("Militants  killed (more than)")
    'militants killed'
    """
    return " ".join(_HEDGE.sub(" ", str(unit or "")).lower().split())


def hedge_of(unit: str) -> str:
    """The bracketed hedge of a unit ('more than'), '' when none."""
    return "; ".join(part.strip() for part in _HEDGE.findall(str(unit or "")) if part.strip())


def is_fatality_unit(unit: str) -> bool:
    """Whether a unit counts deaths ('people killed', 'militants killed (more than)', 'deaths')."""
    return bool(_FATALITY.search(unit_key(unit)))


def is_lower_bound(unit: str) -> bool:
    """Whether a unit's hedge makes its figure a minimum ('more than', 'at least', ACLED's 'lowest')."""
    return bool(_LOWER_BOUND.search(hedge_of(unit).lower()))


def figure_text(quantity: float, unit: str) -> str:
    """'300 (more than)', '1,300'."""
    hedge = hedge_of(unit)
    return f"{quantity:,.0f}" + (f" ({hedge})" if hedge else "")


def range_text(low: float | None, high: float | None) -> str:
    """'30 to 35', '500', 'at least 300'."""
    if low is None or pd.isna(low):
        return "unknown"
    if high is None or pd.isna(high):
        return f"at least {low:,.0f}"
    return f"{low:,.0f}" if low == high else f"{low:,.0f} to {high:,.0f}"


def disagrees(values: list[float], origins: list[str]) -> bool:
    """Whether two figures from different origins differ by more than DISAGREE_FACTOR (a zero beside a non-zero does).

    >>> disagrees([300, 100], ["army", "monitor"]), disagrees([2, 10], ["ucdp", "ucdp"]), disagrees([30, 35], ["a", "b"])
    (True, False, False)
    """
    return any(
        o1 != o2 and max(v1, v2) > DISAGREE_FACTOR * min(v1, v2)
        for i, (v1, o1) in enumerate(zip(values, origins)) for v2, o2 in zip(values[i + 1 :], origins[i + 1 :])
    )


@dataclass(frozen=True)
class NumberGroup:
    """The figures of one unit for one event: the range, who said each, and whether they disagree."""

    unit: str
    low: float
    high: float | None  # None when the highest figure is a minimum ("more than 300")
    figures: tuple[tuple[str, str, str], ...]  # (figure, who said it, stance)
    disagree: bool
    fatalities: bool

    @property
    def range(self) -> str:
        return range_text(self.low, self.high)

    @property
    def said_by(self) -> str:
        """'300 (more than): Syrian Arab Army (denies); 100: SOHR'."""
        return "; ".join(f"{figure}: {who}" + ("" if stance == "asserts" else f" ({stance})") for figure, who, stance in self.figures)


def number_groups(claims: pd.DataFrame, phrase) -> list[NumberGroup]:
    """The figures of one event's claims grouped by unit; `phrase(claim row)` says who a claim comes from."""
    with_numbers = claims[claims["quantity"].notna()]
    groups: dict[str, list[dict]] = {}
    for row in with_numbers.to_dict("records"):
        groups.setdefault(unit_key(row["unit"]), []).append(row)
    out = []
    for unit, rows in groups.items():
        values = [float(r["quantity"]) for r in rows]
        top = max(range(len(rows)), key=lambda i: (values[i], is_lower_bound(rows[i]["unit"])))
        out.append(NumberGroup(
            unit=unit or "(no unit)",
            low=min(values),
            high=None if is_lower_bound(rows[top]["unit"]) else max(values),
            figures=tuple((figure_text(v, r["unit"]), phrase(r), str(r["stance"])) for v, r in zip(values, rows)),
            disagree=disagrees(values, [str(r.get("origin_id") or r.get("claimant")) for r in rows]),
            fatalities=is_fatality_unit(unit),
        ))
    return sorted(out, key=lambda g: (not g.fatalities, g.unit))


def event_numbers(n_events: int, event_pos: np.ndarray, quantity: np.ndarray, unit: pd.Series, origin_code: np.ndarray) -> dict[str, np.ndarray]:
    """Per event, from its claims' figures: claimed_fatalities_low/high (NaN when none; high NaN also when the
    highest toll is a minimum) and numbers_disagree; vectorised over the claims that carry a number."""
    has = (event_pos >= 0) & ~np.isnan(quantity)
    out = {
        "claimed_fatalities_low": np.full(n_events, np.nan),
        "claimed_fatalities_high": np.full(n_events, np.nan),
        "numbers_disagree": np.zeros(n_events, dtype=bool),
    }
    if not has.any():
        return out
    unit_codes, distinct_units = pd.factorize(unit.iloc[np.flatnonzero(has)].fillna(""), use_na_sentinel=False)
    distinct_units = [str(u) for u in distinct_units]
    keys = [unit_key(u) for u in distinct_units]
    key_codes, distinct_keys = pd.factorize(pd.Series(keys, dtype=object))
    frame = pd.DataFrame({
        "event": event_pos[has],
        "unit": key_codes[unit_codes] if len(unit_codes) else np.zeros(0, dtype=np.int64),
        "value": quantity[has],
        "origin": origin_code[has],
        "bound": np.array([is_lower_bound(u) for u in distinct_units], dtype=bool)[unit_codes],
    })
    fatal_key = np.array([is_fatality_unit(k) for k in distinct_keys], dtype=bool)
    deaths = frame[fatal_key[frame["unit"].to_numpy()]]
    if not deaths.empty:
        low = deaths.groupby("event")["value"].min()
        ordered = deaths.sort_values(["event", "value", "bound"]).groupby("event").tail(1).set_index("event")
        out["claimed_fatalities_low"][low.index.to_numpy()] = low.to_numpy()
        high = ordered["value"].where(~ordered["bound"])
        out["claimed_fatalities_high"][high.index.to_numpy()] = high.to_numpy()
    # per (event, unit, origin) the lowest and highest figure; only groups with two origins can disagree
    per_origin = frame.groupby(["event", "unit", "origin"])["value"].agg(["min", "max"]).reset_index()
    several = per_origin.groupby(["event", "unit"])["origin"].transform("size") > 1
    per_origin = per_origin[several.to_numpy()]
    if not per_origin.empty:
        group = ["event", "unit"]
        top = per_origin.sort_values(group + ["max"]).groupby(group).tail(1)[group + ["origin", "max"]]
        bottom = per_origin.sort_values(group + ["min"]).groupby(group).head(1)[group + ["origin", "min"]]
        both = per_origin.merge(top, on=group, suffixes=("", "_top")).merge(bottom, on=group, suffixes=("", "_bottom"))
        # the widest pair of different origins involves the highest figure's origin or the lowest figure's
        low_beside_top = both[both["origin"] != both["origin_top"]].groupby(group)["min"].min()
        high_beside_bottom = both[both["origin"] != both["origin_bottom"]].groupby(group)["max"].max()
        tops = top.set_index(group)["max"]
        bottoms = bottom.set_index(group)["min"]
        by_top = tops.reindex(low_beside_top.index) > DISAGREE_FACTOR * low_beside_top
        by_bottom = high_beside_bottom > DISAGREE_FACTOR * bottoms.reindex(high_beside_bottom.index)
        hit = set(by_top[by_top].index) | set(by_bottom[by_bottom].index)
        events = np.fromiter((event for event, _ in hit), dtype=np.int64, count=len(hit))
        out["numbers_disagree"][events] = True
    return out


def fatality_range(low, high, claimed_low, claimed_high) -> tuple[str, str]:
    """(the event's fatality range in words, where it comes from): its own figures, else its claims'."""
    if not (pd.isna(low) and pd.isna(high)):
        if pd.isna(high):
            return f"at least {int(low):,}", "the event's own figures"
        if pd.isna(low):
            return f"up to {int(high):,}", "the event's own figures"
        return (f"{int(low):,}" if low == high else f"{int(low):,} to {int(high):,}"), "the event's own figures"
    if pd.isna(claimed_low):
        return "unknown", ""
    return range_text(claimed_low, None if pd.isna(claimed_high) else claimed_high), "its claims"


def describe_groups(groups: list[NumberGroup]) -> Mapping[str, str]:
    """unit -> 'range: who said each' (for captions and exports)."""
    return {g.unit: f"{g.range}: {g.said_by}" for g in groups}
