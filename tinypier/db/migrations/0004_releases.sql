-- Schema version 4: releases and the /tracker page.
--
-- The tracker page lists, filters and sorts releases by forum and title at 100,000 rows.
-- Reading those through topics would sort every matching row in a temporary B-tree; so
-- torrents carries a copy of its topic's forum_id and title, kept equal by triggers: the
-- copy is taken when the release is inserted (whoever inserts it), and a moved or renamed
-- topic updates its release in the same statement. Each sort
-- of the page has its own index; SQLite appends the rowid to every index, so
-- "ORDER BY <column>, id" walks the index too and pages are stable.
--
-- release_titles is an external-content FTS5 index over torrents.title: it stores only
-- the index, and its triggers delete with the exact old text, as FTS5 requires.

ALTER TABLE torrents ADD COLUMN forum_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE torrents ADD COLUMN title VARCHAR COLLATE "NOCASE" NOT NULL DEFAULT '';

UPDATE torrents SET
	forum_id = (SELECT forum_id FROM topics WHERE topics.id = torrents.topic_id),
	title = (SELECT title FROM topics WHERE topics.id = torrents.topic_id);

CREATE INDEX ix_torrents_forum_created ON torrents (forum_id, created_at);
CREATE INDEX ix_torrents_created ON torrents (created_at);
CREATE INDEX ix_torrents_title ON torrents (title);
CREATE INDEX ix_torrents_size ON torrents (total_size);
CREATE INDEX ix_torrents_seeders ON torrents (seeders);
CREATE INDEX ix_torrents_leechers ON torrents (leechers);
CREATE INDEX ix_torrents_completed ON torrents (completed);
CREATE INDEX ix_torrents_status_created ON torrents (status, created_at);
CREATE INDEX ix_torrents_freeleech_created ON torrents (freeleech, created_at);
-- "Has seeders" over the newest first: only live releases are in it, so the page is found
-- at once even when almost nothing is seeded (as after the tracker starts with no peers).
CREATE INDEX ix_torrents_seeded_created ON torrents (created_at) WHERE seeders > 0;

CREATE TRIGGER torrents_follow_topic AFTER UPDATE OF title, forum_id ON topics
BEGIN
	UPDATE torrents SET title = new.title, forum_id = new.forum_id WHERE topic_id = new.id;
END;

CREATE VIRTUAL TABLE release_titles USING fts5(
	title,
	content = 'torrents',
	content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2'
);

-- One trigger, so the order is fixed: index the title as inserted, then copy the topic's
-- forum and title over (for inserters that leave the defaults); a changed title is then
-- re-indexed by release_titles_update.
CREATE TRIGGER release_titles_insert AFTER INSERT ON torrents
BEGIN
	INSERT INTO release_titles (rowid, title) VALUES (new.id, new.title);
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
	INSERT INTO release_titles (release_titles, rowid, title) VALUES ('delete', old.id, old.title);
	INSERT INTO release_titles (rowid, title) VALUES (new.id, new.title);
END;

CREATE TRIGGER release_titles_delete AFTER DELETE ON torrents
BEGIN
	INSERT INTO release_titles (release_titles, rowid, title) VALUES ('delete', old.id, old.title);
END;

INSERT INTO release_titles (release_titles) VALUES ('rebuild');
