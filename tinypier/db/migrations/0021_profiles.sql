-- Schema version 21: profiles (tinypier.profiles): avatars, signatures, ranks, presence.
-- Avatar and rank images are attachments (content-addressed files, like .torrent files),
-- so backups and `tinypier check` cover them. A member's two preferences live on users,
-- beside their language, and are set on their settings page.
ALTER TABLE users ADD COLUMN hide_signatures BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN hide_online BOOLEAN NOT NULL DEFAULT 0;

-- Admin-defined titles. A rank with min_posts is earned by post count (the highest such
-- rank a member reaches); one without is only ever assigned by an admin.
CREATE TABLE ranks (
	id INTEGER NOT NULL,
	title VARCHAR NOT NULL,
	min_posts INTEGER,
	image_id INTEGER,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(image_id) REFERENCES attachments (id) ON DELETE RESTRICT
);

CREATE INDEX ix_ranks_min_posts ON ranks (min_posts);
CREATE INDEX ix_ranks_image_id ON ranks (image_id);

-- A member's avatar, signature (BBCode and its rendered HTML) and assigned rank; a
-- member who set none of them has no row.
CREATE TABLE profiles (
	user_id INTEGER NOT NULL,
	avatar_id INTEGER,
	signature VARCHAR NOT NULL,
	signature_html VARCHAR NOT NULL,
	rank_id INTEGER,
	PRIMARY KEY (user_id),
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE,
	FOREIGN KEY(avatar_id) REFERENCES attachments (id) ON DELETE RESTRICT,
	FOREIGN KEY(rank_id) REFERENCES ranks (id) ON DELETE SET NULL
);

CREATE INDEX ix_profiles_avatar_id ON profiles (avatar_id);
CREATE INDEX ix_profiles_rank_id ON profiles (rank_id);

-- When a member was last seen, written at most about once a minute per member: the
-- "online now" list reads the newest stretch of the seen_at index.
CREATE TABLE presence (
	user_id INTEGER NOT NULL,
	seen_at INTEGER NOT NULL,
	PRIMARY KEY (user_id),
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX ix_presence_seen_at ON presence (seen_at);
