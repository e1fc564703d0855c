"""The floor for bench/browser_rerun.py: one widget and the echo of its value, nothing else.

    streamlit run bench/floor_app.py   (then ?w=select|text|number|chart|table|map picks the one widget drawn)

Each variant is the cheapest page on which the same kind of input as on the Atlas page can be made (a pick in a list,
a typed word, a page number, a click or a drag on a Vega-Lite chart, a table row, a deck.gl mark), so the benchmark can
say how much of an interaction's time is Streamlit's own round trip and how much is ours.
"""

import pydeck as pdk
import streamlit as st

st.set_page_config(page_title="Floor")
kind = st.query_params.get("w", "select")

if kind == "text":
    value = st.text_input("Word", key="word")
elif kind == "number":
    value = st.number_input("Page", min_value=1, max_value=9, step=1, key="page")
elif kind == "chart":
    spec = {
        "height": 120, "data": {"values": [{"id": "left", "x": 1, "y": 1}, {"id": "right", "x": 3, "y": 1}]},
        "params": [{"name": "pick", "select": {"type": "point", "on": "click", "fields": ["id"], "toggle": False}},
                   {"name": "span", "select": {"type": "interval", "encodings": ["x"], "zoom": False, "translate": False}}],
        "mark": {"type": "point", "filled": True, "size": 400},
        "encoding": {"x": {"field": "x", "type": "quantitative", "scale": {"domain": [0, 4]}},
                     "y": {"field": "y", "type": "quantitative"}},
    }
    picked = (st.vega_lite_chart(spec, on_select="rerun", key="chart", width="stretch") or {}).get("selection", {})
    value = [point.get("id") for point in picked.get("pick", [])] or [round(v, 1) for v in picked.get("span", {}).get("x", [])]
elif kind == "table":
    picked = st.dataframe({"row": ["first", "second"]}, on_select="rerun", selection_mode="single-row", key="table",
                          hide_index=True)
    value = (picked or {}).get("selection", {}).get("rows", [])
elif kind == "map":
    points = [{"id": "west", "lon": 36.0, "lat": 36.2}, {"id": "east", "lon": 38.0, "lat": 36.2}]
    layer = pdk.Layer("ScatterplotLayer", id="points", data=points, get_position="[lon, lat]", get_radius=40_000,
                      get_fill_color=[31, 119, 180], pickable=True)
    deck = pdk.Deck(layers=[layer], initial_view_state=pdk.ViewState(latitude=36.2, longitude=37.0, zoom=6), map_provider=None,
                    tooltip={"text": "{id}"})
    picked = st.pydeck_chart(deck, on_select="rerun", selection_mode="single-object", key="map", height=300)
    value = [o.get("id") for o in ((picked or {}).get("selection", {}).get("objects", {}).get("points") or [])]
else:
    value = st.selectbox("Pick", ["alpha", "beta"], key="pick")
st.write(f"value: {value}")
