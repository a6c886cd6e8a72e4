-- Schema version 13: topics and posts are deleted softly, so a moderator can restore them.
--
-- A deleted topic or post keeps its row (and a release its stored .torrent) with the
-- time it was deleted; every reader path filters on deleted_at through the permission
-- policy (tinypier.permissions.sql), and the counters leave it out while it is deleted.
-- The indexes the forum and topic pages page through carry deleted_at last, so the
-- filter is read from the index and the pages still skip index entries, not rows.
ALTER TABLE topics ADD COLUMN deleted_at INTEGER;
ALTER TABLE posts ADD COLUMN deleted_at INTEGER;

DROP INDEX ix_topics_forum_order;
CREATE INDEX ix_topics_forum_order ON topics (forum_id, pin, last_post_at, last_post_id, deleted_at);
DROP INDEX ix_topics_forum_last_post;
CREATE INDEX ix_topics_forum_last_post ON topics (forum_id, last_post_id, deleted_at);
DROP INDEX ix_posts_topic_order;
CREATE INDEX ix_posts_topic_order ON posts (topic_id, id, deleted_at);
