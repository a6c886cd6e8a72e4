-- Schema version 29: the bonus job pays in chunks (tinypier.bonus.accrual).
--
-- A run writes in chunks of bonus_job_chunk_rows rows, each its own transaction, so the
-- tracker's commits take the write lock between chunks. bonus_run is the last run (one
-- row): the hour it pays up to, the hours its cap covers, how far each phase got (the
-- last transfers rowid parked, then the last member credited; -1 once done) and what it
-- paid so far. Each chunk moves it on in the chunk's own transaction, so a run killed
-- between chunks is resumed where it stopped and pays nothing twice.
--
-- bonus_run_earnings holds what members earned in the rows the run marked paid, until
-- it credits them (phase 2) and empties it: appended to, read whole, so it has no index.
CREATE TABLE bonus_run (
	id INTEGER NOT NULL CHECK (id = 1),
	hour INTEGER NOT NULL,
	hours_covered INTEGER NOT NULL,
	after_rowid INTEGER NOT NULL,
	after_user INTEGER NOT NULL,
	forfeited INTEGER NOT NULL,
	members_paid INTEGER NOT NULL,
	points_paid INTEGER NOT NULL,
	hours_paid INTEGER NOT NULL,
	PRIMARY KEY (id)
);

CREATE TABLE bonus_run_earnings (
	id INTEGER NOT NULL,
	user_id INTEGER NOT NULL,
	hours INTEGER NOT NULL,
	points INTEGER NOT NULL,
	PRIMARY KEY (id)
);
