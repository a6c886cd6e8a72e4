-- Schema version 2: forum core.
-- A forum's last post after a topic is moved or deleted is MAX(topics.last_post_id) over
-- its topics; this index answers that with one seek instead of a walk over the forum.
CREATE INDEX ix_topics_forum_last_post ON topics (forum_id, last_post_id);

-- The forum an action happened in, so the moderation log shows each moderator only the
-- entries about forums they may view. A plain integer, not a foreign key: the entries of
-- a deleted forum keep it and stay for admins only.
ALTER TABLE moderation_log ADD COLUMN forum_id INTEGER;
