"""The dashboard: filter the claims, click a place, read what the documents say about it.

    streamlit run app.py                      # the documents in seeds/
    streamlit run app.py -- --corpus DIR      # another folder

This file only composes: the page is drawn by geo.dashboard.page (see README, "Where things are").
"""

from geo.dashboard.page import main

main()
