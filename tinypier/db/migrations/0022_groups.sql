-- Schema version 22: groups (tinypier.groups). Admins define groups that members join
-- (open, by request, or only when a leader or admin adds them); each group grants rights
-- per forum beyond its members' roles (tinypier.permissions.grants). A member's grants
-- are read from their memberships (primary key user_id first) joined to the grants
-- (primary key group_id first); a forum's grants, when it is deleted, from forum_id.
CREATE TABLE groups (
	id INTEGER NOT NULL,
	name VARCHAR COLLATE "NOCASE" NOT NULL,
	description VARCHAR NOT NULL,
	join_mode VARCHAR NOT NULL CHECK (join_mode IN ('open', 'request', 'closed')),
	created_at INTEGER NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (name)
);

CREATE TABLE group_members (
	user_id INTEGER NOT NULL,
	group_id INTEGER NOT NULL,
	status VARCHAR NOT NULL CHECK (status IN ('member', 'leader', 'pending')),
	created_at INTEGER NOT NULL,
	PRIMARY KEY (user_id, group_id),
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE,
	FOREIGN KEY(group_id) REFERENCES groups (id) ON DELETE CASCADE
);

CREATE INDEX ix_group_members_group_status ON group_members (group_id, status);

CREATE TABLE group_grants (
	group_id INTEGER NOT NULL,
	forum_id INTEGER NOT NULL,
	permission VARCHAR NOT NULL
		CHECK (permission IN ('view', 'read', 'post', 'reply', 'upload', 'download', 'moderate')),
	PRIMARY KEY (group_id, forum_id, permission),
	FOREIGN KEY(group_id) REFERENCES groups (id) ON DELETE CASCADE,
	FOREIGN KEY(forum_id) REFERENCES forums (id) ON DELETE CASCADE
);

CREATE INDEX ix_group_grants_forum_id ON group_grants (forum_id);
