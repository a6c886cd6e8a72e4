"""Groups: admin-defined sets of members ("Uploaders", "VIP") and the forum rights they grant.

A group has a join mode: ``open`` (a member joins by themselves), ``request`` (a member
asks; a leader of the group or an admin approves or refuses) or ``closed`` (only a
leader or an admin adds members). Admins create, edit and delete groups and grant each
per-forum rights (``tinypier.permissions.grants``), which the one policy adds to what a
member's role allows on every surface: pages, API, feeds, search and the tracker.

Every change of who is in a group, or of what a group grants, tells the tracker about
each member concerned (``tinypier.events``), so it looks their rights up again at the
next announce instead of serving what it cached.
"""
