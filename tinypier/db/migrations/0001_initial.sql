-- Schema version 1: the whole board model of DESIGN.md.

CREATE TABLE attachments (
	id INTEGER NOT NULL, 
	sha256 VARCHAR NOT NULL, 
	size INTEGER NOT NULL, 
	created_at INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (sha256)
);

CREATE TABLE categories (
	id INTEGER NOT NULL, 
	name VARCHAR NOT NULL, 
	position INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (name)
);

CREATE TABLE users (
	id INTEGER NOT NULL, 
	name VARCHAR COLLATE "NOCASE" NOT NULL, 
	password_hash VARCHAR NOT NULL, 
	role VARCHAR NOT NULL, 
	disabled BOOLEAN NOT NULL, 
	passkey VARCHAR NOT NULL, 
	feed_token VARCHAR NOT NULL, 
	created_at INTEGER NOT NULL, 
	uploaded INTEGER NOT NULL, 
	downloaded INTEGER NOT NULL, 
	post_count INTEGER NOT NULL, 
	invite_quota INTEGER NOT NULL, 
	invited_by INTEGER, 
	PRIMARY KEY (id), 
	UNIQUE (name), 
	UNIQUE (passkey), 
	UNIQUE (feed_token), 
	FOREIGN KEY(invited_by) REFERENCES users (id) ON DELETE SET NULL
);

CREATE TABLE api_tokens (
	id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	name VARCHAR NOT NULL, 
	token_hash VARCHAR NOT NULL, 
	created_at INTEGER NOT NULL, 
	last_used_at INTEGER, 
	PRIMARY KEY (id), 
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE, 
	UNIQUE (token_hash)
);

CREATE INDEX ix_api_tokens_user_id ON api_tokens (user_id);

CREATE TABLE forums (
	id INTEGER NOT NULL, 
	category_id INTEGER NOT NULL, 
	name VARCHAR NOT NULL, 
	description VARCHAR NOT NULL, 
	position INTEGER NOT NULL, 
	allows_releases BOOLEAN NOT NULL, 
	view_role VARCHAR NOT NULL, 
	topic_role VARCHAR NOT NULL, 
	reply_role VARCHAR NOT NULL, 
	download_role VARCHAR NOT NULL, 
	topic_count INTEGER NOT NULL, 
	post_count INTEGER NOT NULL, 
	last_post_id INTEGER, 
	PRIMARY KEY (id), 
	FOREIGN KEY(category_id) REFERENCES categories (id) ON DELETE RESTRICT
);

CREATE INDEX ix_forums_category_id ON forums (category_id);

CREATE TABLE invites (
	id INTEGER NOT NULL, 
	code VARCHAR NOT NULL, 
	created_by INTEGER NOT NULL, 
	created_at INTEGER NOT NULL, 
	expires_at INTEGER NOT NULL, 
	used_by INTEGER, 
	used_at INTEGER, 
	PRIMARY KEY (id), 
	UNIQUE (code), 
	FOREIGN KEY(created_by) REFERENCES users (id) ON DELETE CASCADE, 
	FOREIGN KEY(used_by) REFERENCES users (id) ON DELETE SET NULL
);

CREATE INDEX ix_invites_created_by ON invites (created_by);

CREATE TABLE moderation_log (
	id INTEGER NOT NULL, 
	actor_id INTEGER, 
	action VARCHAR NOT NULL, 
	target_type VARCHAR NOT NULL, 
	target_id INTEGER NOT NULL, 
	details VARCHAR NOT NULL, 
	created_at INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(actor_id) REFERENCES users (id) ON DELETE SET NULL
);

CREATE INDEX ix_moderation_log_created_at ON moderation_log (created_at);

CREATE TABLE sessions (
	id VARCHAR NOT NULL, 
	user_id INTEGER, 
	created_at INTEGER NOT NULL, 
	expires_at INTEGER NOT NULL, 
	data VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX ix_sessions_expires_at ON sessions (expires_at);

CREATE INDEX ix_sessions_user_id ON sessions (user_id);

CREATE TABLE topics (
	id INTEGER NOT NULL, 
	forum_id INTEGER NOT NULL, 
	author_id INTEGER NOT NULL, 
	title VARCHAR NOT NULL, 
	created_at INTEGER NOT NULL, 
	last_post_at INTEGER NOT NULL, 
	last_post_id INTEGER, 
	post_count INTEGER NOT NULL, 
	pin INTEGER NOT NULL, 
	locked BOOLEAN NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(forum_id) REFERENCES forums (id) ON DELETE CASCADE, 
	FOREIGN KEY(author_id) REFERENCES users (id) ON DELETE RESTRICT
);

CREATE INDEX ix_topics_author_id ON topics (author_id);

CREATE INDEX ix_topics_forum_order ON topics (forum_id, pin, last_post_at);

CREATE TABLE posts (
	id INTEGER NOT NULL, 
	topic_id INTEGER NOT NULL, 
	author_id INTEGER NOT NULL, 
	body VARCHAR NOT NULL, 
	body_html VARCHAR NOT NULL, 
	created_at INTEGER NOT NULL, 
	edited_at INTEGER, 
	edited_by INTEGER, 
	PRIMARY KEY (id), 
	FOREIGN KEY(topic_id) REFERENCES topics (id) ON DELETE CASCADE, 
	FOREIGN KEY(author_id) REFERENCES users (id) ON DELETE RESTRICT, 
	FOREIGN KEY(edited_by) REFERENCES users (id) ON DELETE SET NULL
);

CREATE INDEX ix_posts_author_order ON posts (author_id, id);

CREATE INDEX ix_posts_topic_order ON posts (topic_id, id);

CREATE TABLE topic_reads (
	user_id INTEGER NOT NULL, 
	topic_id INTEGER NOT NULL, 
	last_read_post_id INTEGER NOT NULL, 
	PRIMARY KEY (user_id, topic_id), 
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE, 
	FOREIGN KEY(topic_id) REFERENCES topics (id) ON DELETE CASCADE
);

CREATE TABLE torrents (
	id INTEGER NOT NULL, 
	topic_id INTEGER NOT NULL, 
	attachment_id INTEGER NOT NULL, 
	uploader_id INTEGER NOT NULL, 
	info_hash BLOB, 
	info_hash_v2 BLOB, 
	name VARCHAR NOT NULL, 
	total_size INTEGER NOT NULL, 
	file_count INTEGER NOT NULL, 
	files_json VARCHAR NOT NULL, 
	piece_length INTEGER NOT NULL, 
	status VARCHAR NOT NULL, 
	status_by INTEGER, 
	status_at INTEGER, 
	freeleech VARCHAR NOT NULL, 
	created_at INTEGER NOT NULL, 
	seeders INTEGER NOT NULL, 
	leechers INTEGER NOT NULL, 
	completed INTEGER NOT NULL, 
	last_seeder_at INTEGER, 
	PRIMARY KEY (id), 
	UNIQUE (topic_id), 
	FOREIGN KEY(topic_id) REFERENCES topics (id) ON DELETE CASCADE, 
	FOREIGN KEY(attachment_id) REFERENCES attachments (id) ON DELETE RESTRICT, 
	FOREIGN KEY(uploader_id) REFERENCES users (id) ON DELETE RESTRICT, 
	UNIQUE (info_hash), 
	UNIQUE (info_hash_v2), 
	FOREIGN KEY(status_by) REFERENCES users (id) ON DELETE SET NULL
);

CREATE INDEX ix_torrents_attachment_id ON torrents (attachment_id);

CREATE INDEX ix_torrents_uploader_id ON torrents (uploader_id);

CREATE TABLE peers (
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
);

CREATE TABLE snatches (
	id INTEGER NOT NULL, 
	torrent_id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	completed_at INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (torrent_id, user_id), 
	FOREIGN KEY(torrent_id) REFERENCES torrents (id) ON DELETE CASCADE, 
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX ix_snatches_user_id ON snatches (user_id);

CREATE TABLE transfers (
	torrent_id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	uploaded INTEGER NOT NULL, 
	downloaded INTEGER NOT NULL, 
	seeding_seconds INTEGER NOT NULL, 
	first_seen_at INTEGER NOT NULL, 
	last_seen_at INTEGER NOT NULL, 
	PRIMARY KEY (torrent_id, user_id), 
	FOREIGN KEY(torrent_id) REFERENCES torrents (id) ON DELETE CASCADE, 
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX ix_transfers_user_id ON transfers (user_id);
