"""Claim status of an event, computed from its claims by one rule written here and shown to users."""

from __future__ import annotations

import numpy as np
import pandas as pd

# Sides that speak for the same camp: a government and its allies corroborating each other is not independent.
CAMP_OF_SIDE = {"government_ally": "government"}

CLAIM_STATUS_RULE = (
    "**contested**: at least one claimant denies or disputes the event. "
    "**corroborated**: not contested, and asserted by claimants from more than one camp "
    "(a monitor counts as a camp of its own; a government and its allies count as one camp). "
    "**single-source**: asserted from one camp only. "
    "**unclaimed**: no claim in the data speaks to the event."
)


def add_claim_status(events: pd.DataFrame, claims: pd.DataFrame) -> None:
    """Set events['status'] (categorical) and events['n_claims'] from the claims, in place."""
    linked = claims[claims["event_id"].ne("")]
    n_claims = linked.groupby("event_id").size()
    against = linked[linked["stance"].isin(["denies", "disputes"])]["event_id"].unique()
    asserting = linked[linked["stance"].eq("asserts") & linked["side"].ne("")]
    camps = asserting["side"].map(lambda side: CAMP_OF_SIDE.get(side, side))
    n_camps = camps.groupby(asserting["event_id"]).nunique()
    event_ids = events["event_id"]
    status = np.where(
        event_ids.isin(against),
        "contested",
        np.where(
            event_ids.map(n_camps).fillna(0).to_numpy() > 1,
            "corroborated",
            np.where(event_ids.map(n_claims).fillna(0).to_numpy() > 0, "single-source", "unclaimed"),
        ),
    )
    events["status"] = pd.Categorical(status, categories=["corroborated", "contested", "single-source", "unclaimed"])
    events["n_claims"] = event_ids.map(n_claims).fillna(0).astype("int32").to_numpy()
