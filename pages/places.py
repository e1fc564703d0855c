"""Places: the gazetteer behind the map, with where every coordinate comes from and how precise it is."""

from data.views.gazetteer_view import places_table
from pages.ui.lookup import lookup_page

lookup_page(
    "Places",
    lambda ds: f"{len(ds.places)} places. Each has a radius of uncertainty (precision_m): the place lies within it. "
    "Select a row to open the map filtered on that place (a city includes its districts).",
    places_table,
    id_column="place_id",
    param="place",
    link_label=lambda row: f"Show events in {row['place']} on the map",
    wide_column="coord_source",
)
