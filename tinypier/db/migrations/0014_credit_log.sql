-- Schema version 14: the tracker's credit log. Each answered announce appends one row
-- here in the group commit (instead of updating peers, users, transfers, snatches and
-- torrents); the tracker folds the rows into those tables in bulk and deletes them in the
-- same transaction, at least every credit_fold_interval_ms, and at start-up before it
-- answers anything.
CREATE TABLE credit_log (
	id INTEGER NOT NULL,
	torrent_id INTEGER NOT NULL,
	user_id INTEGER NOT NULL,
	peer_id BLOB NOT NULL,
	event INTEGER NOT NULL,
	uploaded INTEGER NOT NULL,
	downloaded INTEGER NOT NULL,
	"left" INTEGER NOT NULL,
	address4 BLOB NOT NULL,
	address6 BLOB NOT NULL,
	port INTEGER NOT NULL,
	credited_uploaded INTEGER NOT NULL,
	credited_downloaded INTEGER NOT NULL,
	seeding_seconds INTEGER NOT NULL,
	snatched INTEGER NOT NULL,
	seeders INTEGER NOT NULL,
	leechers INTEGER NOT NULL,
	at INTEGER NOT NULL,
	PRIMARY KEY (id)
);
