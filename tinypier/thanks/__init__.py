"""Thanks for a release: one per member, the list of who thanked on the release, the count
in the listing and the API. Its tables are migration 0018; its permission is
``tinypier.permissions.rules.can_thank``; it adds itself to release topics through the
topic extension point (``tinypier.web.extensions``)."""
