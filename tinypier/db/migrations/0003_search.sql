-- Schema version 3: full-text search over topic titles and post text (SQLite FTS5).
--
-- post_search is an external-content FTS5 index: it stores only the index, and reads the
-- text back (for snippets) through the view post_search_source, so no post is stored
-- twice. Every row is one post, indexed with its topic's title, so a query whose words
-- are split between a title and a reply still finds the reply.
--
-- The body is indexed as the member wrote it (BBCode source). Triggers can only run SQL,
-- and the unicode61 tokenizer treats brackets and "=" as separators, so "[b]word[/b]"
-- indexes "b word b": the words are found; tag names are extra tokens that cost little.
-- The result page strips the tags from snippets before showing them.
--
-- An external-content index must be told the exact old text of a row it forgets, so
-- the triggers below delete with the values that were indexed:
--   * post written, edited, moved to another topic, deleted: the post's row changes;
--   * topic renamed: every post of the topic is re-indexed with the new title;
--   * topic deleted (also by a forum's cascade): its posts are forgotten BEFORE the row
--     goes, while the title is still readable; the posts' own delete trigger then skips
--     them, because SQLite deletes the topic row before cascading to its posts.
-- A moved topic changes nothing here: the forum is joined at query time.

CREATE VIEW post_search_source AS
SELECT p.id AS id, t.title AS title, p.body AS body
FROM posts p JOIN topics t ON t.id = p.topic_id;

CREATE VIRTUAL TABLE post_search USING fts5(
	title,
	body,
	content = 'post_search_source',
	content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER post_search_post_insert AFTER INSERT ON posts
BEGIN
	INSERT INTO post_search (rowid, title, body)
	VALUES (new.id, (SELECT title FROM topics WHERE id = new.topic_id), new.body);
END;

CREATE TRIGGER post_search_post_update AFTER UPDATE OF body, topic_id ON posts
BEGIN
	INSERT INTO post_search (post_search, rowid, title, body)
	VALUES ('delete', old.id, (SELECT title FROM topics WHERE id = old.topic_id), old.body);
	INSERT INTO post_search (rowid, title, body)
	VALUES (new.id, (SELECT title FROM topics WHERE id = new.topic_id), new.body);
END;

CREATE TRIGGER post_search_post_delete AFTER DELETE ON posts
WHEN EXISTS (SELECT 1 FROM topics WHERE id = old.topic_id)
BEGIN
	INSERT INTO post_search (post_search, rowid, title, body)
	VALUES ('delete', old.id, (SELECT title FROM topics WHERE id = old.topic_id), old.body);
END;

CREATE TRIGGER post_search_topic_rename AFTER UPDATE OF title ON topics
WHEN old.title IS NOT new.title
BEGIN
	INSERT INTO post_search (post_search, rowid, title, body)
	SELECT 'delete', p.id, old.title, p.body FROM posts p WHERE p.topic_id = new.id;
	INSERT INTO post_search (rowid, title, body)
	SELECT p.id, new.title, p.body FROM posts p WHERE p.topic_id = new.id;
END;

CREATE TRIGGER post_search_topic_delete BEFORE DELETE ON topics
BEGIN
	INSERT INTO post_search (post_search, rowid, title, body)
	SELECT 'delete', p.id, old.title, p.body FROM posts p WHERE p.topic_id = old.id;
END;

INSERT INTO post_search (post_search) VALUES ('rebuild');
