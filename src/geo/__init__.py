"""Geoparse a corpus of reports and join every place to the claims made about it.

One sub-package per stage, each importing only from the stages listed after it (the layers are
contracts of import-linter in pyproject.toml, checked by `lint-imports` in CI):

- `geo.cli`        the command line (`python -m geo build | geoparse | add`): composes the rest;
- `geo.dashboard`  the Streamlit page, map, panel, filters, timeline, share links and review;
- `geo.build`      the build over a corpus: documents -> mentions -> places -> claims, its cache,
                   and the corrections made in review;
- `geo.places`     the gazetteer, the recogniser and the resolver (and the opt-in online geocoders);
- `geo.documents`  reading documents (text, HTML, PDF, their headers) and adding them to a corpus;
- `geo.store`      the data contract and the files: places and claims files, locks, exports;
- `geo.evidence`   what a sentence says: dates, speakers, hedging, notes, numbers, movements;
- `geo.text`       plain-text helpers every stage shares (folding, scanning, sentences, name keys).
"""
