-- Schema version 17: search indexes posts as readers see them.
--
-- Until now post_search read each post's BBCode source, so "color", "quote", "url" or
-- "spoiler" found posts by their tags and a link's address was searchable. The index
-- now reads the stored HTML (what readers see) as text, through tinypier_post_text
-- (tinypier/forum/post_text.py): tags out, a quote's and a spoiler's text kept, a link's
-- visible text kept and its address left out.
--
-- The triggers now also follow body_html: the rerender repair rewrites it alone. As in
-- 0003 and 0010, they delete with exactly the values that were indexed.
--
-- The index itself keeps its columns; the existing posts are re-indexed by the 'search'
-- repair (tinypier/repair/search.py, the same as `tinypier repair search`), which runs
-- right after the migrations, before the board is served.

DROP TRIGGER post_search_post_insert;
DROP TRIGGER post_search_post_update;
DROP TRIGGER post_search_post_delete;
DROP TRIGGER post_search_topic_rename;
DROP TRIGGER post_search_topic_delete;
DROP VIEW post_search_source;

CREATE VIEW post_search_source AS
SELECT p.id AS id,
	tinypier_words(t.title) AS title_words,
	tinypier_words(tinypier_post_text(p.body_html)) AS body_words,
	tinypier_stems(t.title) AS title_stems,
	tinypier_stems(tinypier_post_text(p.body_html)) AS body_stems
FROM posts p JOIN topics t ON t.id = p.topic_id;

CREATE TRIGGER post_search_post_insert AFTER INSERT ON posts
BEGIN
	INSERT INTO post_search (rowid, title_words, body_words, title_stems, body_stems)
	SELECT id, title_words, body_words, title_stems, body_stems
	FROM post_search_source WHERE id = new.id;
END;

CREATE TRIGGER post_search_post_update AFTER UPDATE OF body_html, topic_id ON posts
BEGIN
	INSERT INTO post_search (post_search, rowid, title_words, body_words, title_stems, body_stems)
	SELECT 'delete', old.id, tinypier_words(t.title),
		tinypier_words(tinypier_post_text(old.body_html)),
		tinypier_stems(t.title), tinypier_stems(tinypier_post_text(old.body_html))
	FROM topics t WHERE t.id = old.topic_id;
	INSERT INTO post_search (rowid, title_words, body_words, title_stems, body_stems)
	SELECT id, title_words, body_words, title_stems, body_stems
	FROM post_search_source WHERE id = new.id;
END;

CREATE TRIGGER post_search_post_delete AFTER DELETE ON posts
WHEN EXISTS (SELECT 1 FROM topics WHERE id = old.topic_id)
BEGIN
	INSERT INTO post_search (post_search, rowid, title_words, body_words, title_stems, body_stems)
	SELECT 'delete', old.id, tinypier_words(t.title),
		tinypier_words(tinypier_post_text(old.body_html)),
		tinypier_stems(t.title), tinypier_stems(tinypier_post_text(old.body_html))
	FROM topics t WHERE t.id = old.topic_id;
END;

CREATE TRIGGER post_search_topic_rename AFTER UPDATE OF title ON topics
WHEN old.title IS NOT new.title
BEGIN
	INSERT INTO post_search (post_search, rowid, title_words, body_words, title_stems, body_stems)
	SELECT 'delete', p.id, tinypier_words(old.title),
		tinypier_words(tinypier_post_text(p.body_html)),
		tinypier_stems(old.title), tinypier_stems(tinypier_post_text(p.body_html))
	FROM posts p WHERE p.topic_id = new.id;
	INSERT INTO post_search (rowid, title_words, body_words, title_stems, body_stems)
	SELECT id, title_words, body_words, title_stems, body_stems
	FROM post_search_source WHERE id IN (SELECT id FROM posts WHERE topic_id = new.id);
END;

CREATE TRIGGER post_search_topic_delete BEFORE DELETE ON topics
BEGIN
	INSERT INTO post_search (post_search, rowid, title_words, body_words, title_stems, body_stems)
	SELECT 'delete', p.id, tinypier_words(old.title),
		tinypier_words(tinypier_post_text(p.body_html)),
		tinypier_stems(old.title), tinypier_stems(tinypier_post_text(p.body_html))
	FROM posts p WHERE p.topic_id = old.id;
END;

INSERT OR IGNORE INTO pending_repairs (name, requested_at)
SELECT 'search', CAST(strftime('%s', 'now') AS INTEGER) WHERE EXISTS (SELECT 1 FROM posts);
