-- Schema version 9: stored post HTML holds no interface words, and migrations can ask
-- for repairs.
--
-- pending_repairs lists the repairs (tinypier/repair) a migration asked for. They run
-- right after the migrations, before the board is served; a row is deleted when its
-- repair has finished, and progress records how far a batched repair got, so one cut
-- short by a crash resumes at the next start.
--
-- The renderer now stores quote authors and untitled spoilers as neutral markup, and
-- the pages add "wrote:" and "Spoiler" in the reader's language; the posts stored
-- before still hold the English words, so every post is re-rendered.
CREATE TABLE pending_repairs (
	name VARCHAR NOT NULL,
	requested_at INTEGER NOT NULL,
	progress INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (name)
);

INSERT INTO pending_repairs (name, requested_at)
SELECT 'rerender', CAST(strftime('%s', 'now') AS INTEGER) WHERE EXISTS (SELECT 1 FROM posts);
