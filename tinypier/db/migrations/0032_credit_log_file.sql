-- The tracker's credit log moved to a file of its own (credit-log.sqlite3 beside this
-- database, tinypier/tracker/creditlog.py), so that folding it never holds the lock its
-- appends wait for. The board keeps the id of the last log row (and cheat-log line) it
-- folded, moved in the same transaction as the fold: a row is applied exactly once.
-- credit_log stays for rows an older version left unfolded; the tracker folds them at
-- its next start.
CREATE TABLE credit_fold_marks (
	id INTEGER NOT NULL CHECK (id = 1), 
	credit_log_through INTEGER NOT NULL, 
	withheld_through INTEGER NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO credit_fold_marks (id, credit_log_through, withheld_through) VALUES (1, 0, 0);
