-- FSRS-6 weights fitted by recall optimize to a deck's review log (deck)
-- or to the whole collection's (deck ''), as a JSON array of 21 numbers.
-- A deck studying with FSRS takes its own, else the collection's, else the
-- published defaults.
CREATE TABLE fsrs_weights (
	deck    TEXT PRIMARY KEY,
	weights TEXT NOT NULL,
	fitted  INTEGER NOT NULL -- Unix nanoseconds
) STRICT, WITHOUT ROWID;
