-- Schema version 15: private messages (tinypier/messages).
--
-- A conversation's members each have a row in conversation_members: their inbox entry,
-- ordered by an index, and their unread count, kept by the code that adds a message, so
-- the header's unread badge is one partial-index lookup. Leaving deletes the row; a
-- removed member keeps it with removed_after_message_id, the last message they may read.
-- A member blocks others in message_blocks. A participant's report of a message lets
-- moderators read it (and the conversation before it) while the report is open.

CREATE TABLE conversations (
	id INTEGER NOT NULL, 
	subject VARCHAR NOT NULL, 
	starter_id INTEGER NOT NULL, 
	created_at INTEGER NOT NULL, 
	last_message_id INTEGER, 
	last_message_at INTEGER NOT NULL, 
	message_count INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(starter_id) REFERENCES users (id) ON DELETE RESTRICT
);

CREATE INDEX ix_conversations_starter_id ON conversations (starter_id);

CREATE TABLE messages (
	id INTEGER NOT NULL, 
	conversation_id INTEGER NOT NULL, 
	author_id INTEGER NOT NULL, 
	body VARCHAR NOT NULL, 
	body_html VARCHAR NOT NULL, 
	created_at INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(conversation_id) REFERENCES conversations (id) ON DELETE CASCADE, 
	FOREIGN KEY(author_id) REFERENCES users (id) ON DELETE RESTRICT
);

CREATE INDEX ix_messages_author_id ON messages (author_id);

CREATE INDEX ix_messages_conversation_order ON messages (conversation_id, id);

CREATE TABLE conversation_members (
	conversation_id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	last_message_at INTEGER NOT NULL, 
	unread INTEGER NOT NULL, 
	removed_after_message_id INTEGER, 
	PRIMARY KEY (conversation_id, user_id), 
	FOREIGN KEY(conversation_id) REFERENCES conversations (id) ON DELETE CASCADE, 
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX ix_conversation_members_inbox ON conversation_members (user_id, last_message_at, conversation_id);

CREATE INDEX ix_conversation_members_unread ON conversation_members (user_id) WHERE unread > 0;

CREATE TABLE message_blocks (
	user_id INTEGER NOT NULL, 
	blocked_id INTEGER NOT NULL, 
	created_at INTEGER NOT NULL, 
	PRIMARY KEY (user_id, blocked_id), 
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE, 
	FOREIGN KEY(blocked_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX ix_message_blocks_blocked_id ON message_blocks (blocked_id);

CREATE TABLE message_reports (
	id INTEGER NOT NULL, 
	message_id INTEGER NOT NULL, 
	reporter_id INTEGER NOT NULL, 
	reason VARCHAR NOT NULL, 
	created_at INTEGER NOT NULL, 
	closed_by INTEGER, 
	closed_at INTEGER, 
	PRIMARY KEY (id), 
	UNIQUE (message_id, reporter_id), 
	FOREIGN KEY(message_id) REFERENCES messages (id) ON DELETE CASCADE, 
	FOREIGN KEY(reporter_id) REFERENCES users (id) ON DELETE CASCADE, 
	FOREIGN KEY(closed_by) REFERENCES users (id) ON DELETE SET NULL
);

CREATE INDEX ix_message_reports_open ON message_reports (closed_at);

CREATE INDEX ix_message_reports_reporter_id ON message_reports (reporter_id);

