-- Schema version 26: where TorrentPier's download links lead (tinypier.legacy). A 2.x
-- board linked a release's .torrent as dl.php?id=<attach_id>; the importer keeps topic ids
-- but not attachment ids, so it fills this table and the old link redirects to the
-- topic's release. No foreign key: the importer may write it before the topics, and a
-- row whose topic is gone leads to the usual 404.
CREATE TABLE legacy_attachments (
	attach_id INTEGER NOT NULL,
	topic_id INTEGER NOT NULL,
	PRIMARY KEY (attach_id)
);

-- The renderer learnt TorrentPier's BBCode dialect (box, pre, nfo, sizes in pixels,
-- smilies ...) and hides passkeys in pasted announce URLs: re-render the stored posts,
-- so one source renders the same whenever it was posted.
INSERT OR IGNORE INTO pending_repairs (name, requested_at)
SELECT 'rerender', CAST(strftime('%s', 'now') AS INTEGER) WHERE EXISTS (SELECT 1 FROM posts);
