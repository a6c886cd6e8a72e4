"""Watching, notifications and bookmarks.

Members watch topics (their own from the start) and forums; replies there, quotes of
them, ``@mentions``, private messages and verdicts on their releases become notices on
their notifications page, counted in the header's badge, and, when the board has an SMTP
server and the member asked for it, e-mailed. Bookmarks keep topics to come back to.

A feature package: ``routes.FEATURE`` brings the pages, the watch and bookmark buttons
on topic and forum pages (``tinypier.web.extensions``) and the forum's
``post_published`` hook; ``badge.unread_notices`` is the header's middleware.
``notify`` is the service the private messages and release moderation call directly.
The forum imports nothing from here. The schema is migration 0020.
"""
