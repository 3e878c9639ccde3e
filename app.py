"""The dashboard: filter the claims, click a place, read what the documents say about it.

    streamlit run app.py                      # the documents in seeds/
    streamlit run app.py -- --corpus DIR      # another folder

This file only composes: the page is drawn by geo.dashboard.page, or geo.dashboard.query_page for
`-- --built OUT` (geo.dashboard.app_entry chooses; see README, "Where things are").
"""

from geo.dashboard.app_entry import main

main()
