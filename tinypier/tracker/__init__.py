"""The BitTorrent tracker: ``/announce/<passkey>`` and ``/scrape/<passkey>``.

Kept free of templates and forum code; it reads members and releases through the
database only:

- a member is a ``users`` row; its ``passkey`` is the path segment, ``disabled`` refuses it;
- a release is a ``torrents`` row: ``info_hash`` (v1 SHA-1, 20 bytes) and/or
  ``info_hash_v2`` (SHA-256, 32 bytes, or its first 20 bytes); ``status`` (see
  :data:`tinypier.tracker.rules.FROZEN_STATUSES`) and ``freeleech`` ('none', 'silver',
  'gold'). Inserting the row (with its topic and attachment) is all a release needs to be
  announced; nothing else is registered anywhere;
- who may announce or scrape a release is the policy's answer (``tinypier.permissions``):
  a member whose role may not download from the release's forum (``forums.view_role``,
  ``download_role``) is told "unregistered torrent", the reply to an unknown hash.

The tracker writes ``peers``, ``snatches``, ``transfers``, the members' ``uploaded`` and
``downloaded`` and the torrents' ``seeders``, ``leechers``, ``completed`` and
``last_seeder_at``, so web pages read the live figures from SQLite alone.
Whoever changes a member or a release calls ``app.state.changes`` (tinypier.events).

Modules: ``protocol`` (query parsing, bencoding), ``rules`` (refusals, client rules,
frozen statuses), ``accounting`` (credit rules), ``swarm`` (in-memory peers),
``registry`` (cached lookups), ``store`` (loading and the group-commit writer),
``engine`` (announce, scrape, expiry), ``asgi`` (the raw ASGI endpoint, for any ASGI
server and the tests) and ``http`` (the connection front ``tinypier serve`` puts before
uvicorn, which answers clients straight off the socket).
"""
