-- Schema version 31: votes cast before the board kept who chose what (tinypier.polls),
-- as an imported TorrentPier poll has them: TorrentPier counted votes per option and
-- listed who voted, never linking the two.
--
-- poll_options.earlier_votes and polls.earlier_voters are those counts, added to what
-- poll_votes counts; poll_votes_without_choice names the members who cast them, so they
-- see the results and cannot vote a second time (a vote without a choice cannot be
-- changed: nobody knows which count to take it from).
ALTER TABLE poll_options ADD COLUMN earlier_votes INTEGER NOT NULL DEFAULT 0;

ALTER TABLE polls ADD COLUMN earlier_voters INTEGER NOT NULL DEFAULT 0;

CREATE TABLE poll_votes_without_choice (
	poll_id INTEGER NOT NULL,
	user_id INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (poll_id, user_id),
	FOREIGN KEY(poll_id) REFERENCES polls (id) ON DELETE CASCADE,
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX ix_poll_votes_without_choice_user_id ON poll_votes_without_choice (user_id);
