"""The dashboard: the Streamlit page (`page`, run by app.py) and its parts: the map
(`mapview`, `evidence_map`, `assets`, `folium_clicks`), the place panel (`panel`, `evidence_html`,
`evidence_ui`), filters and the timeline (`filters`, `timeline`, `frame_memo`, `widget_state`), share
links (`share`), review, uploads and exports (`review_ui`), and the app's options (`app_args`).

May use every other stage; nothing but app.py imports it.
"""
