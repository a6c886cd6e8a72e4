-- Schema version 18: thanks for a release (tinypier.thanks). A member thanks a release
-- once (the unique pair); the release shows who thanked, newest first, and the listing and
-- the API show how many, both read from the (torrent_id, ...) indexes.
CREATE TABLE thanks (
	id INTEGER NOT NULL,
	torrent_id INTEGER NOT NULL,
	user_id INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (torrent_id, user_id),
	FOREIGN KEY(torrent_id) REFERENCES torrents (id) ON DELETE CASCADE,
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX ix_thanks_torrent_newest ON thanks (torrent_id, created_at);
CREATE INDEX ix_thanks_user_id ON thanks (user_id);
