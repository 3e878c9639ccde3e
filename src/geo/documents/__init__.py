"""Reading documents: text, Markdown, HTML and PDF files and their headers (title, outlet,
author, dates) into `Document`s (`reading`), and adding files to a corpus folder (`ingest`).

May use `geo.store` (the sources.csv contract), `geo.evidence` (dates in headers) and `geo.text`;
never places, the build or the dashboard.
"""
