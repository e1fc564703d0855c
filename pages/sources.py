"""Sources: the reports behind the claims, with their outlets and how each publication date was established."""

from data.views.gazetteer_view import sources_table
from pages.ui.lookup import lookup_page

lookup_page(
    "Sources",
    lambda ds: f"{len(ds.sources)} sources. 'published_basis' says whether the date is stated in the report or "
    "inferred, and from what. Select a row to open the map filtered on that report's claims.",
    sources_table,
    id_column="source_id",
    param="src",
    link_label=lambda row: f"Show the claims of “{row['title'][:80]}” on the map",
    wide_column="published_basis",
)
