"""THE permission policy: every "may this member view, post, download or moderate" question.

Forum pages, the API, feeds, search, templates and the tracker all ask here, so a rule
changes in one place and no area can drift from another. Four modules:

- :mod:`~tinypier.permissions.rules`: the answers as Python checks on a forum or release
  row, and the role ranks the tracker caches (one comparison per announce);
- :mod:`~tinypier.permissions.sql`: the same answers as SQL filters, so listings,
  counts and snippets never see what the viewer may not;
- :mod:`~tinypier.permissions.lookup`: loading a forum, topic or post for a viewer, where
  what they may not view does not exist (:class:`~tinypier.permissions.lookup.NotVisible`);
- :mod:`~tinypier.permissions.messages`: who may write, read, reply in, remove from and
  report private conversations, and when moderators may read a reported message.

The package imports no web framework and no templates: the tracker imports it too.
"""
