"""Polls in topics: a question, 2 to ``poll_options_max`` options, single or multiple
choice, an optional end, and votes stored per member and option.

Its tables are migration 0019; who may add, vote and close asks
``tinypier.permissions.rules``; the poll shows on its topic through the topic extension
point (``tinypier.web.extensions``), so the forum knows nothing of polls.
"""
