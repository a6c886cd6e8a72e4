"""Profiles: avatars, signatures, ranks and the "online now" list.

A feature package (``FEATURE`` in ``tinypier.profiles.routes``): it adds the avatar and
rank beside each post's author, the signature under each post, its part of a member's
profile and the online list on the board index through the extension points of
``tinypier.web.extensions``, so the forum imports nothing from here. Its tables are
migration 0021; avatar and rank images are content-addressed attachments.
"""
