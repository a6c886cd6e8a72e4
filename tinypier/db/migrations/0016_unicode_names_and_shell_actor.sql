-- Schema version 16: member names in any script, and changes made from the shell.
-- A name is unique by its key (NFKC, case-folded; see tinypier/accounts/names.py), which
-- the NOCASE collation of users.name cannot give beyond ASCII. Names so far are ASCII,
-- where SQLite's lower() is that key. A row inserted without a key (by hand, or by code
-- from before this version) gets the same ASCII key from the trigger.
ALTER TABLE users ADD COLUMN name_key VARCHAR;
UPDATE users SET name_key = lower(name);
CREATE UNIQUE INDEX ix_users_name_key ON users (name_key);
CREATE TRIGGER users_name_key_filled AFTER INSERT ON users WHEN NEW.name_key IS NULL
BEGIN
	UPDATE users SET name_key = lower(NEW.name) WHERE id = NEW.id;
END;
-- A moderation log entry written by the tinypier command (no member is logged in there):
-- the log shows "(shell)" as its actor.
ALTER TABLE moderation_log ADD COLUMN from_shell BOOLEAN NOT NULL DEFAULT 0;
