-- Schema version 12: site settings an admin saved on the web page (/admin/settings).
-- One row per setting that overrides the file and environment; deleting the row ("reset")
-- hands the setting back to them. Values are text, read back through the same parsers
-- as tinypier.toml and TINYPIER_* (tinypier.settings), so a bad row cannot slip past.
CREATE TABLE site_settings (
	name VARCHAR NOT NULL, 
	value VARCHAR NOT NULL, 
	changed_by INTEGER, 
	changed_at INTEGER NOT NULL, 
	PRIMARY KEY (name), 
	FOREIGN KEY(changed_by) REFERENCES users (id) ON DELETE SET NULL
);
