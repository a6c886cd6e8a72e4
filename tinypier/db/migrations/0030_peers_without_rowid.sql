-- peers is keyed by (torrent_id, user_id, peer_id) and only ever looked up by that key or
-- by member (ix_peers_user_id): stored WITHOUT ROWID, the row lives in its key's B-tree,
-- so the credit-log fold's write of a peer touches one B-tree (and its pages, in the WAL
-- and at checkpoint) instead of the table and its primary-key index. Nothing reads a
-- peer's rowid. transfers keeps its rowid: the bonus job walks it in rowid order (0029).
CREATE TABLE peers_new (
	torrent_id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	peer_id BLOB NOT NULL, 
	ipv4 VARCHAR, 
	ipv6 VARCHAR, 
	port INTEGER NOT NULL, 
	uploaded INTEGER NOT NULL, 
	downloaded INTEGER NOT NULL, 
	"left" INTEGER NOT NULL, 
	client VARCHAR NOT NULL, 
	started_at INTEGER NOT NULL, 
	last_announce_at INTEGER NOT NULL, 
	PRIMARY KEY (torrent_id, user_id, peer_id), 
	FOREIGN KEY(torrent_id) REFERENCES torrents (id) ON DELETE CASCADE, 
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE
) WITHOUT ROWID;
INSERT INTO peers_new SELECT torrent_id, user_id, peer_id, ipv4, ipv6, port, uploaded,
	downloaded, "left", client, started_at, last_announce_at FROM peers
	ORDER BY torrent_id, user_id, peer_id;
DROP TABLE peers;
ALTER TABLE peers_new RENAME TO peers;
CREATE INDEX ix_peers_user_id ON peers (user_id);
