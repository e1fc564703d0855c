"""The sides' colours, shared by the map, the timeline and their legends (Okabe-Ito, colour-blind safe)."""

from __future__ import annotations

from data.model.taxonomy import SIDES

SIDE_ORDER = (*SIDES, "unknown")
# Okabe-Ito, a palette readable with the common colour-vision deficiencies.
SIDE_COLOURS: dict[str, tuple[int, int, int]] = {
    "government": (213, 94, 0),
    "government_ally": (230, 159, 0),
    "opposition": (0, 114, 178),
    "jihadist": (86, 180, 233),
    "isis": (0, 0, 0),
    "sdf": (0, 158, 115),
    "international": (204, 121, 167),
    "monitor": (120, 120, 120),
    "media": (160, 160, 160),
    "civilian": (240, 228, 66),
    "analyst": (170, 170, 170),
    "other": (190, 190, 190),
    "unknown": (200, 200, 200),
}
