"""Maintainer tools: compile the curation source, refresh generated files, cut releases.

Not imported by ``import kordata``; users of the data never need them. Each module runs as
``python -m kordata.build.<name>``.
"""
