"""Plain-text helpers every stage shares: case and accent folding and fast pre-scans (`scan`),
sentence splitting (`sentences`), the keys under which names are looked up (`normalize`), and long
texts kept as UTF-8 bytes, sliced like strings (`stored_text`).

Pure functions over strings. May use the standard library and third-party packages only: nothing
else of `geo`.
"""
