-- Schema version 6: the cheat log. The tracker credits a claimed transfer at most at the
-- configured rates and uploads only where someone could have downloaded; each announce
-- whose claim was cut leaves a line here (written in the tracker's group commit), which
-- admins read at /admin/cheats. The writer trims it to the newest cheat_log_max_rows.
CREATE TABLE cheat_log (
	id INTEGER NOT NULL,
	user_id INTEGER NOT NULL,
	torrent_id INTEGER NOT NULL,
	claimed_uploaded INTEGER NOT NULL,
	credited_uploaded INTEGER NOT NULL,
	claimed_downloaded INTEGER NOT NULL,
	credited_downloaded INTEGER NOT NULL,
	reason VARCHAR NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE,
	FOREIGN KEY(torrent_id) REFERENCES torrents (id) ON DELETE CASCADE
);

CREATE INDEX ix_cheat_log_user_id ON cheat_log (user_id);
CREATE INDEX ix_cheat_log_torrent_id ON cheat_log (torrent_id);
