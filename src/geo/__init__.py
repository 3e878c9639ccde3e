"""Geoparse a corpus of reports and join every place to the claims made about it."""
