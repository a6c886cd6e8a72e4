"""Member torrent pages: what a member seeds, leeches, completed, uploaded and owes, for
themselves and the moderators (``permissions.rules.can_see_member_torrents``); and each
release's peer and snatch lists, paginated, for those who may download from its forum
(``permissions.rules.can_see_swarm``), addresses for moderators only. A release's topic
shows the lists' first page through the topic extension point (``web.extensions``)."""
