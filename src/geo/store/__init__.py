"""Storing: the data contract of places.csv, claims.csv and sources.csv (`schema`), places files
rewritten keeping the rows that did not change (`places_file`), the claims file written in one
piece (`claims_file`), the lock that lets one build write at a time (`locking`),
exports to CSV, GeoJSON and citations (`export`), and keeping long-lived data out of the garbage
collector (`heap`).

May use `geo.evidence` (date labels) and `geo.text`; never the documents, places, build or dashboard.
"""
