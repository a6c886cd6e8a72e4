-- Schema version 29: the bonus job pays in chunks (tinypier.bonus.accrual).
--
-- A run pays the rows of transfers in rowid order, a bounded chunk per transaction, so
-- the tracker's commits take the write lock between chunks. bonus_run is the run under
-- way (at most one row): the hour it pays up to, how many hours its cap covers, the last
-- transfers rowid paid and the points forfeited so far; each chunk moves it on in the
-- chunk's own transaction, and the last chunk deletes it with the job's watermark set, so
-- a run killed between chunks is resumed where it stopped and pays nothing twice.
--
-- bonus_run_members is each member's marker for the run that last paid them: the hour of
-- that run, the points it paid them (what the hourly cap still allows in a later chunk)
-- and their ledger line for it (later chunks add to that line: one line per member and
-- run). A row is overwritten by the member's next run, never deleted by the job.
CREATE TABLE bonus_run (
	id INTEGER NOT NULL CHECK (id = 1),
	hour INTEGER NOT NULL,
	hours_covered INTEGER NOT NULL,
	after_rowid INTEGER NOT NULL,
	forfeited INTEGER NOT NULL,
	PRIMARY KEY (id)
);

CREATE TABLE bonus_run_members (
	user_id INTEGER NOT NULL,
	hour INTEGER NOT NULL,
	points INTEGER NOT NULL,
	ledger_id INTEGER NOT NULL,
	PRIMARY KEY (user_id),
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE,
	FOREIGN KEY(ledger_id) REFERENCES member_ledger (id) ON DELETE CASCADE
);
