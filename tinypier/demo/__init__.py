"""``tinypier demo``: a realistic board to try TinyPier on and to measure it with.

Everything is written through the code the board itself runs: members through
``accounts.queries``, topics and replies through ``forum.posting`` (counters and the search
index follow), releases through ``torrents.registration`` (real .torrent files, stored and
hashed as uploads are), verdicts through ``torrents.moderation`` (which logs them), and
swarms through the tracker's own batch writer (``tracker.store``), as if members' clients
had announced. ``tinypier check`` and the repairs find nothing to fix afterwards.

A demo fills an empty board only: it would otherwise mix invented members and releases
into a real community.
"""
