-- Schema version 10: search understands Russian and English word forms.
--
-- Both full-text indexes (post_search from 0003, release_titles from 0004) are rebuilt
-- with two forms of every text, made by the SQL functions of tinypier/word_forms.py that
-- every TinyPier connection registers:
--   *_words  tinypier_words(text): case-folded, ё as е; exact phrases and prefixes;
--   *_stems  tinypier_stems(text): each word's Snowball stem (Russian for Cyrillic,
--            English for Latin); plain words, so "фильма" finds "Фильм".
-- The result page marks the matched words itself, in the original text it reads from
-- posts and topics (tinypier/forum/search_terms.py).
--
-- The indexes stay external-content: the views below compute both forms on read, so
-- FTS5's 'rebuild' (at the end, and in tinypier.word_forms.rebuild_search_index) re-stems
-- every row. As in 0003 and 0004, the triggers delete with exactly the values that were
-- indexed.

DROP TRIGGER post_search_post_insert;
DROP TRIGGER post_search_post_update;
DROP TRIGGER post_search_post_delete;
DROP TRIGGER post_search_topic_rename;
DROP TRIGGER post_search_topic_delete;
DROP TABLE post_search;
DROP VIEW post_search_source;

CREATE VIEW post_search_source AS
SELECT p.id AS id,
	tinypier_words(t.title) AS title_words, tinypier_words(p.body) AS body_words,
	tinypier_stems(t.title) AS title_stems, tinypier_stems(p.body) AS body_stems
FROM posts p JOIN topics t ON t.id = p.topic_id;

CREATE VIRTUAL TABLE post_search USING fts5(
	title_words,
	body_words,
	title_stems,
	body_stems,
	content = 'post_search_source',
	content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER post_search_post_insert AFTER INSERT ON posts
BEGIN
	INSERT INTO post_search (rowid, title_words, body_words, title_stems, body_stems)
	SELECT id, title_words, body_words, title_stems, body_stems
	FROM post_search_source WHERE id = new.id;
END;

CREATE TRIGGER post_search_post_update AFTER UPDATE OF body, topic_id ON posts
BEGIN
	INSERT INTO post_search (post_search, rowid, title_words, body_words, title_stems, body_stems)
	SELECT 'delete', old.id, tinypier_words(t.title), tinypier_words(old.body),
		tinypier_stems(t.title), tinypier_stems(old.body)
	FROM topics t WHERE t.id = old.topic_id;
	INSERT INTO post_search (rowid, title_words, body_words, title_stems, body_stems)
	SELECT id, title_words, body_words, title_stems, body_stems
	FROM post_search_source WHERE id = new.id;
END;

CREATE TRIGGER post_search_post_delete AFTER DELETE ON posts
WHEN EXISTS (SELECT 1 FROM topics WHERE id = old.topic_id)
BEGIN
	INSERT INTO post_search (post_search, rowid, title_words, body_words, title_stems, body_stems)
	SELECT 'delete', old.id, tinypier_words(t.title), tinypier_words(old.body),
		tinypier_stems(t.title), tinypier_stems(old.body)
	FROM topics t WHERE t.id = old.topic_id;
END;

CREATE TRIGGER post_search_topic_rename AFTER UPDATE OF title ON topics
WHEN old.title IS NOT new.title
BEGIN
	INSERT INTO post_search (post_search, rowid, title_words, body_words, title_stems, body_stems)
	SELECT 'delete', p.id, tinypier_words(old.title), tinypier_words(p.body),
		tinypier_stems(old.title), tinypier_stems(p.body)
	FROM posts p WHERE p.topic_id = new.id;
	INSERT INTO post_search (rowid, title_words, body_words, title_stems, body_stems)
	SELECT id, title_words, body_words, title_stems, body_stems
	FROM post_search_source WHERE id IN (SELECT id FROM posts WHERE topic_id = new.id);
END;

CREATE TRIGGER post_search_topic_delete BEFORE DELETE ON topics
BEGIN
	INSERT INTO post_search (post_search, rowid, title_words, body_words, title_stems, body_stems)
	SELECT 'delete', p.id, tinypier_words(old.title), tinypier_words(p.body),
		tinypier_stems(old.title), tinypier_stems(p.body)
	FROM posts p WHERE p.topic_id = old.id;
END;

INSERT INTO post_search (post_search) VALUES ('rebuild');

DROP TRIGGER release_titles_insert;
DROP TRIGGER release_titles_update;
DROP TRIGGER release_titles_delete;
DROP TABLE release_titles;

CREATE VIEW release_titles_source AS
SELECT id, tinypier_words(title) AS title_words, tinypier_stems(title) AS title_stems
FROM torrents;

CREATE VIRTUAL TABLE release_titles USING fts5(
	title_words,
	title_stems,
	content = 'release_titles_source',
	content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2'
);

-- As in 0004: index the title as inserted, then copy the topic's forum and title over
-- (for inserters that leave the defaults); a changed title is then re-indexed by
-- release_titles_update.
CREATE TRIGGER release_titles_insert AFTER INSERT ON torrents
BEGIN
	INSERT INTO release_titles (rowid, title_words, title_stems)
	VALUES (new.id, tinypier_words(new.title), tinypier_stems(new.title));
	UPDATE torrents SET
		forum_id = (SELECT forum_id FROM topics WHERE id = new.topic_id),
		title = (SELECT title FROM topics WHERE id = new.topic_id)
	WHERE id = new.id AND EXISTS (
		SELECT 1 FROM topics
		WHERE id = new.topic_id AND (forum_id IS NOT new.forum_id OR title IS NOT new.title)
	);
END;

CREATE TRIGGER release_titles_update AFTER UPDATE OF title ON torrents
WHEN old.title IS NOT new.title
BEGIN
	INSERT INTO release_titles (release_titles, rowid, title_words, title_stems)
	VALUES ('delete', old.id, tinypier_words(old.title), tinypier_stems(old.title));
	INSERT INTO release_titles (rowid, title_words, title_stems)
	VALUES (new.id, tinypier_words(new.title), tinypier_stems(new.title));
END;

CREATE TRIGGER release_titles_delete AFTER DELETE ON torrents
BEGIN
	INSERT INTO release_titles (release_titles, rowid, title_words, title_stems)
	VALUES ('delete', old.id, tinypier_words(old.title), tinypier_stems(old.title));
END;

INSERT INTO release_titles (release_titles) VALUES ('rebuild');
