-- Schema version 11: a move's log entry keeps which forums the topic left and entered.
-- The entry's text names both forums as they were; with their ids the log can show each
-- name only to readers who may view that forum now (a topic moved A -> B -> C must not
-- name B to a reader of A and C). Entries written before keep NULL and today's rule.
ALTER TABLE moderation_log ADD COLUMN from_forum_id INTEGER;
ALTER TABLE moderation_log ADD COLUMN to_forum_id INTEGER;
