"""Finding and placing names: the offline gazetteer and its sources (`gazetteer`,
`gazetteer_sources`, `geometry`), the recogniser that finds names in text (`recognize`), the
resolver that picks each name's place (`resolve`), and the opt-in online geocoders (`geocoders`).

May use `geo.store`, `geo.evidence` and `geo.text`; never documents, the build or the dashboard.
"""
