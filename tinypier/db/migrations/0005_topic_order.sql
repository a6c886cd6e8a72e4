-- Schema version 5: topics active in the same second keep their order of activity.
-- last_post_at has one-second resolution, so two topics replied to in the same second
-- tied and fell back to topic id. Post ids grow with every post, so last_post_id breaks
-- the tie exactly; it joins the covering index the forum page walks.
DROP INDEX ix_topics_forum_order;
CREATE INDEX ix_topics_forum_order ON topics (forum_id, pin, last_post_at, last_post_id);
