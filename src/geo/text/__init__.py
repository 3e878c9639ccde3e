"""Plain-text helpers every stage shares: case and accent folding and fast pre-scans (`scan`),
sentence splitting (`sentences`), and the keys under which names are looked up (`normalize`).

Pure functions over strings. May use the standard library and third-party packages only: nothing
else of `geo`.
"""
