"""Importing a TorrentPier board (2.0 to 3.0) from a dump or a live MariaDB/MySQL.

Ids, passkeys and password hashes are kept as they were, so members log in with their
old passwords and the torrents their clients seed keep announcing with their old keys.
"""
