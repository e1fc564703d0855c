"""Which polygon of a layer holds each point (ray casting, vectorised over points): places into neighbourhoods.

Pure numpy; polygons are tested only against the points inside their bounding box.
"""

from __future__ import annotations

import numpy as np


def locate_points(features: list[dict], lats, lons) -> np.ndarray:
    """For each point, the index of the first feature (Polygon or MultiPolygon) containing it, or -1.

    Holes count as outside. Points on an edge may fall on either side.
    """
    lats, lons = np.asarray(lats, dtype=float), np.asarray(lons, dtype=float)
    found = np.full(lats.shape, -1, dtype=np.int64)
    for index, feature in enumerate(features):
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        for rings in polygons:
            outer = np.asarray(rings[0], dtype=float)
            candidates = np.flatnonzero((found < 0) & (lons >= outer[:, 0].min()) & (lons <= outer[:, 0].max())
                                        & (lats >= outer[:, 1].min()) & (lats <= outer[:, 1].max()))
            if candidates.size == 0:
                continue
            inside = _in_ring(outer, lons[candidates], lats[candidates])
            for hole in rings[1:]:
                inside &= ~_in_ring(np.asarray(hole, dtype=float), lons[candidates], lats[candidates])
            found[candidates[inside]] = index
    return found


def _in_ring(ring: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Even-odd rule: a ray from each point eastwards crosses the ring's edges an odd number of times when inside."""
    x0, y0 = ring[:, 0], ring[:, 1]
    x1, y1 = np.roll(x0, -1), np.roll(y0, -1)
    inside = np.zeros(x.shape, dtype=bool)
    for ax, ay, bx, by in zip(x0, y0, x1, y1):
        if ay == by:
            continue
        crosses = (ay > y) != (by > y)
        at_x = ax + (y - ay) * (bx - ax) / (by - ay)
        inside ^= crosses & (x < at_x)
    return inside
