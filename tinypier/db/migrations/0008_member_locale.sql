-- Schema version 8: a member's own language and time zone.
-- NULL means "not chosen": the browser's Accept-Language, then the board's
-- default_language / default_timezone settings decide.
ALTER TABLE users ADD COLUMN language VARCHAR;
ALTER TABLE users ADD COLUMN time_zone VARCHAR;
