-- Schema version 19: polls in topics (tinypier.polls). One poll per topic; a vote is one
-- row per member and option (the primary key refuses a second), with the poll's id beside
-- it so "has this member voted" and "how many voted" read one index.
CREATE TABLE polls (
	id INTEGER NOT NULL,
	topic_id INTEGER NOT NULL,
	question VARCHAR NOT NULL,
	max_choices INTEGER NOT NULL,
	allow_change BOOLEAN NOT NULL,
	ends_at INTEGER,
	closed_at INTEGER,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (topic_id),
	FOREIGN KEY(topic_id) REFERENCES topics (id) ON DELETE CASCADE
);

CREATE TABLE poll_options (
	id INTEGER NOT NULL,
	poll_id INTEGER NOT NULL,
	position INTEGER NOT NULL,
	text VARCHAR NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (poll_id, position),
	FOREIGN KEY(poll_id) REFERENCES polls (id) ON DELETE CASCADE
);

CREATE TABLE poll_votes (
	option_id INTEGER NOT NULL,
	user_id INTEGER NOT NULL,
	poll_id INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (option_id, user_id),
	FOREIGN KEY(option_id) REFERENCES poll_options (id) ON DELETE CASCADE,
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE,
	FOREIGN KEY(poll_id) REFERENCES polls (id) ON DELETE CASCADE
);

CREATE INDEX ix_poll_votes_poll_user ON poll_votes (poll_id, user_id);
CREATE INDEX ix_poll_votes_user_id ON poll_votes (user_id);
