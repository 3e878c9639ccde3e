"""The build over a corpus: documents -> mentions -> places -> claims (`pipeline`), the claim rows
of one document (`claims`), the cache that lets a rebuild read only changed documents (`cache`), and
the corrections made in review (`review`).

May use every stage below it (places, documents, store, evidence, text); never the dashboard.
"""
