-- Schema version 23: seed bonus (tinypier.bonus) and periodic jobs (tinypier.jobs).
--
-- users.bonus_points is each member's balance; member_ledger holds every change to a
-- member's points, upload credit, download figure or invites made outside the tracker's
-- own crediting (bonus for seeding, exchanges, an admin's grant or take), so the ledger's
-- points sum to the balance. Each change and its ledger row commit together
-- (tinypier.bonus.ledger).
--
-- transfers.bonus_paid_seconds is how much of the recorded seeding time the bonus job
-- has paid for; it advances in the job's own transaction, so seeding time is paid once
-- whatever point a crash stops the job at. Seeding recorded before this version earns
-- nothing: it starts out paid.
--
-- job_runs holds each periodic job's schedule and last run for the admin page, and the
-- job's watermark (how far it got), which a job updates in the transaction of its work.
ALTER TABLE users ADD COLUMN bonus_points INTEGER NOT NULL DEFAULT 0;
ALTER TABLE transfers ADD COLUMN bonus_paid_seconds INTEGER NOT NULL DEFAULT 0;
UPDATE transfers SET bonus_paid_seconds = seeding_seconds;

CREATE TABLE member_ledger (
	id INTEGER NOT NULL,
	user_id INTEGER NOT NULL,
	kind VARCHAR NOT NULL,
	points INTEGER NOT NULL,
	uploaded INTEGER NOT NULL,
	downloaded INTEGER NOT NULL,
	invites INTEGER NOT NULL,
	quantity INTEGER NOT NULL,
	note VARCHAR NOT NULL,
	actor_id INTEGER,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE,
	FOREIGN KEY(actor_id) REFERENCES users (id) ON DELETE SET NULL
);

-- A member's ledger newest first, read backwards by id.
CREATE INDEX ix_member_ledger_user ON member_ledger (user_id, id);
CREATE INDEX ix_member_ledger_actor_id ON member_ledger (actor_id);

CREATE TABLE job_runs (
	name VARCHAR NOT NULL,
	watermark INTEGER NOT NULL,
	next_run_at INTEGER NOT NULL,
	started_at INTEGER,
	finished_at INTEGER,
	duration_ms INTEGER,
	outcome VARCHAR,
	result VARCHAR NOT NULL,
	PRIMARY KEY (name)
);

-- The expiry job finds invites that expired unused without reading them all.
CREATE INDEX ix_invites_expires_at ON invites (expires_at);
