-- The board's identity, which the credit-log file records beside the marks it was last
-- trimmed to (tinypier/tracker/creditlog.py): a log file copied from another board, or a
-- database restored from an older copy than the log file beside it, is refused instead of
-- folded into the wrong tables.
ALTER TABLE credit_fold_marks ADD COLUMN board_id VARCHAR NOT NULL DEFAULT '';
UPDATE credit_fold_marks SET board_id = lower(hex(randomblob(16)));
