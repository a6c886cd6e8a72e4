-- Schema version 25: importing a TorrentPier board (tinypier.importers.torrentpier).
--
-- import_progress makes an import resumable: each kind of row (members, topics, posts...)
-- is imported in batches, and the last source row of a batch is written here in the
-- batch's own transaction, so an import killed at any point is rerun from where it
-- stopped, without duplicates. import_skips keeps what was left out and why, so the
-- report of a resumed import is the whole import's.
CREATE TABLE import_progress (
	kind VARCHAR NOT NULL,
	position INTEGER NOT NULL DEFAULT 0,
	imported INTEGER NOT NULL DEFAULT 0,
	done BOOLEAN NOT NULL DEFAULT 0,
	PRIMARY KEY (kind)
);

CREATE TABLE import_skips (
	id INTEGER NOT NULL,
	kind VARCHAR NOT NULL,
	source_id VARCHAR NOT NULL,
	reason VARCHAR NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (kind, source_id, reason)
);

-- What a TorrentPier member had and TinyPier has no place for (website, location,
-- whether two-factor sign-in was on), kept as it was: nothing reads it yet.
CREATE TABLE torrentpier_members (
	user_id INTEGER NOT NULL,
	website VARCHAR NOT NULL,
	location VARCHAR NOT NULL,
	two_factor BOOLEAN NOT NULL,
	PRIMARY KEY (user_id),
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE TABLE torrentpier_forums (
	forum_id INTEGER NOT NULL,
	parent_id INTEGER,
	auth_view INTEGER NOT NULL,
	auth_read INTEGER NOT NULL,
	auth_post INTEGER NOT NULL,
	auth_reply INTEGER NOT NULL,
	auth_download INTEGER NOT NULL,
	PRIMARY KEY (forum_id)
);

-- TorrentPier counted votes per option and listed voters, but never who chose what.
CREATE TABLE torrentpier_poll_results (
	topic_id INTEGER NOT NULL,
	vote_id INTEGER NOT NULL,
	vote_text VARCHAR NOT NULL,
	vote_result INTEGER NOT NULL,
	PRIMARY KEY (topic_id, vote_id)
);

CREATE TABLE torrentpier_config (
	name VARCHAR NOT NULL,
	value VARCHAR NOT NULL,
	PRIMARY KEY (name)
);
