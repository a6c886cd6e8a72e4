-- Schema version 20: watching, notifications and bookmarks (tinypier.notifications).
-- A watch is a (member, topic) or (member, forum) pair; a bookmark a (member, topic) pair
-- listed newest first. A notification belongs to one member and is read from the
-- (user_id, id) index newest first; the unread ones have a partial index of their own, so
-- the header's badge counts only them. While a member has an unread notice of replies in
-- a topic (or of messages in a conversation), later ones add to its count instead of
-- adding rows: the two partial unique indexes hold that one row. An e-mail address and
-- the choice to receive notices by e-mail are the member's own.
ALTER TABLE users ADD COLUMN email VARCHAR;
ALTER TABLE users ADD COLUMN email_notifications BOOLEAN NOT NULL DEFAULT 0;

CREATE TABLE topic_watches (
	user_id INTEGER NOT NULL,
	topic_id INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (topic_id, user_id),
	FOREIGN KEY(topic_id) REFERENCES topics (id) ON DELETE CASCADE,
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX ix_topic_watches_user_id ON topic_watches (user_id);

CREATE TABLE forum_watches (
	user_id INTEGER NOT NULL,
	forum_id INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (forum_id, user_id),
	FOREIGN KEY(forum_id) REFERENCES forums (id) ON DELETE CASCADE,
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX ix_forum_watches_user_id ON forum_watches (user_id);

CREATE TABLE bookmarks (
	user_id INTEGER NOT NULL,
	topic_id INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (user_id, topic_id),
	FOREIGN KEY(topic_id) REFERENCES topics (id) ON DELETE CASCADE,
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX ix_bookmarks_user_newest ON bookmarks (user_id, created_at, topic_id);

CREATE INDEX ix_bookmarks_topic_id ON bookmarks (topic_id);

CREATE TABLE notifications (
	id INTEGER NOT NULL,
	user_id INTEGER NOT NULL,
	kind VARCHAR NOT NULL,
	actor_id INTEGER,
	topic_id INTEGER,
	post_id INTEGER,
	conversation_id INTEGER,
	detail VARCHAR,
	count INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	read_at INTEGER,
	PRIMARY KEY (id),
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE,
	FOREIGN KEY(actor_id) REFERENCES users (id) ON DELETE SET NULL,
	FOREIGN KEY(topic_id) REFERENCES topics (id) ON DELETE CASCADE,
	FOREIGN KEY(conversation_id) REFERENCES conversations (id) ON DELETE CASCADE
);

CREATE INDEX ix_notifications_user_newest ON notifications (user_id, id);

CREATE INDEX ix_notifications_unread ON notifications (user_id) WHERE read_at IS NULL;

CREATE UNIQUE INDEX ux_notifications_unread_reply ON notifications (user_id, topic_id) WHERE read_at IS NULL AND kind = 'reply';

CREATE UNIQUE INDEX ux_notifications_unread_message ON notifications (user_id, conversation_id) WHERE read_at IS NULL AND kind = 'message';

CREATE INDEX ix_notifications_actor_id ON notifications (actor_id);

CREATE INDEX ix_notifications_topic_id ON notifications (topic_id);

CREATE INDEX ix_notifications_conversation_id ON notifications (conversation_id);
