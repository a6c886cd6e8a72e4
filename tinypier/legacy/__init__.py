"""Addresses a TorrentPier board gave out, kept working after its import.

Members, search engines and old posts link ``viewtopic.php?t=N``, ``viewforum.php?f=N``,
``profile.php?mode=viewprofile&u=N``, ``dl.php?id=N`` (2.x) or ``threads/<slug>.N``,
``forums/<slug>.N``, ``members/<slug>.N``, ``dl/N`` (3.0). The importer keeps TorrentPier's
ids, so each of these names the same thing here: it redirects permanently to that thing's
page, by route name. Whatever the viewer may not see answers the same 404 as its page
would, and an address that does not parse is a plain 404. The tracker's own old URLs
(``/bt/announce.php?uk=...``) are answered by the tracker itself (``tinypier.tracker.asgi``).
"""
