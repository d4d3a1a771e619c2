-- The shipped decks a person removed (`recall remove`), by source name
-- (recall:decks/NAME.md): an empty collection loads the shipped decks for
-- a newcomer, and a deck taken out must not come back with the next one.
CREATE TABLE forgotten (
	source TEXT PRIMARY KEY,
	time   INTEGER NOT NULL -- Unix nanoseconds
) STRICT, WITHOUT ROWID;
