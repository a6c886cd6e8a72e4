-- Schema version 24: hit-and-runs, and the indexes the member torrent pages walk.
--
-- A snatch (a member completing a release) owes hnr_seed_hours of seeding within
-- hnr_window_days, or a per-release ratio of hnr_min_ratio. Obligations still running are
-- not stored: they are the snatches the sweep has not reached yet. The sweep walks
-- snatches by completion time past the point hit_and_run_sweep remembers, records a row
-- here for each unmet one and moves the point on, chunk by chunk in one transaction each,
-- so a sweep stopped midway resumes where it stopped and records nothing twice.
-- A row is active until cleared_at is set (the member seeded the hours they owed).
CREATE TABLE hit_and_runs (
	user_id INTEGER NOT NULL,
	torrent_id INTEGER NOT NULL,
	completed_at INTEGER NOT NULL,
	recorded_at INTEGER NOT NULL,
	cleared_at INTEGER,
	PRIMARY KEY (user_id, torrent_id),
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE,
	FOREIGN KEY(torrent_id) REFERENCES torrents (id) ON DELETE CASCADE
);

-- The active ones of a member (the download block counts them) and of the board (the
-- sweep's clearing pass walks them).
CREATE INDEX ix_hit_and_runs_active ON hit_and_runs (user_id, torrent_id) WHERE cleared_at IS NULL;
CREATE INDEX ix_hit_and_runs_torrent_id ON hit_and_runs (torrent_id);

-- One row: the last snatch (completion time, then id) the sweep has judged. Snatches up
-- to here are never judged again. It starts at the migration: releases completed before
-- the board had hit-and-run rules owe nothing.
CREATE TABLE hit_and_run_sweep (
	id INTEGER NOT NULL CHECK (id = 1),
	through_at INTEGER NOT NULL,
	through_id INTEGER NOT NULL,
	PRIMARY KEY (id)
);
INSERT INTO hit_and_run_sweep (id, through_at, through_id)
	VALUES (1, CAST(strftime('%s', 'now') AS INTEGER), 0);

-- The sweep walks snatches by completion time; a release's snatch list is read newest
-- first without sorting them all; a member's live peers (their seeding and leeching
-- lists) are found without the primary key, which leads with the torrent.
CREATE INDEX ix_snatches_completed ON snatches (completed_at);
CREATE INDEX ix_snatches_torrent_newest ON snatches (torrent_id, completed_at);
CREATE INDEX ix_peers_user_id ON peers (user_id);
