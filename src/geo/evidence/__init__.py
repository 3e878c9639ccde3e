"""Reading what one sentence says about its places: the dates it states (`dates`), who says it
(`attribution`, `speakers`), how firmly (`hedging`), the numbered notes it cites (`footnotes`), the
numbers it gives (`quantities`), whether people came from or went to a place (`movements`), and the
claim row columns built from them (`claim_evidence`).

Pure functions over text. May use `geo.text`; never storage, documents, places, the build or the
dashboard.
"""
