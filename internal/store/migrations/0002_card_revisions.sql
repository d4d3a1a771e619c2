-- The wording a card had before an edit of its notes changed it.
CREATE TABLE revisions (
	id      INTEGER PRIMARY KEY,
	card_id TEXT NOT NULL REFERENCES cards (id),
	front   TEXT NOT NULL,
	back    TEXT NOT NULL,
	time    INTEGER NOT NULL
) STRICT;

CREATE INDEX revisions_card ON revisions (card_id, id);
