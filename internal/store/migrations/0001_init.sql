-- The collection: decks, remembered sources, cards with their SM-2 schedule,
-- and the review log. Times are Unix nanoseconds; days are study-day numbers
-- (days from 1970-01-01 to the study day's calendar date).

CREATE TABLE decks (
	name         TEXT PRIMARY KEY,
	new_limit    INTEGER NOT NULL DEFAULT 0 CHECK (new_limit >= 0),    -- 0: the default
	review_limit INTEGER NOT NULL DEFAULT 0 CHECK (review_limit >= 0), -- 0: the default
	created      INTEGER NOT NULL
) STRICT;

CREATE TABLE sources (
	path          TEXT PRIMARY KEY,
	hash          TEXT NOT NULL,
	mtime         INTEGER NOT NULL,
	deck          TEXT REFERENCES decks (name),
	deck_override TEXT NOT NULL DEFAULT '', -- the --deck it was added with
	synced        INTEGER NOT NULL
) STRICT;

-- The schedule lives beside the card so that one partial index can serve
-- the whole queue query (deck, status, due) and stay flat at any size.
CREATE TABLE cards (
	id           TEXT PRIMARY KEY,
	deck         TEXT NOT NULL REFERENCES decks (name),
	kind         TEXT NOT NULL CHECK (kind IN ('basic', 'reverse', 'list', 'cloze')),
	key          TEXT NOT NULL,
	anchor       TEXT NOT NULL,
	grp          TEXT NOT NULL,
	front        TEXT NOT NULL,
	back         TEXT NOT NULL,
	text         TEXT NOT NULL,
	context      TEXT NOT NULL, -- JSON array of strings
	tags         TEXT NOT NULL, -- JSON array of strings
	source       TEXT NOT NULL, -- remembered source it syncs from; '' once restored by hand
	file         TEXT NOT NULL,
	line         INTEGER NOT NULL,
	fp           INTEGER NOT NULL, -- fingerprint of the content, to skip unchanged cards
	status       TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
	orphan       INTEGER NOT NULL DEFAULT 0 CHECK (orphan IN (0, 1)),
	buried_until INTEGER NOT NULL DEFAULT 0, -- day the bury ends
	reps         INTEGER NOT NULL DEFAULT 0,
	ef           REAL NOT NULL DEFAULT 2.5,
	interval     INTEGER NOT NULL DEFAULT 0,
	due          INTEGER, -- day; NULL until the first review
	lapses       INTEGER NOT NULL DEFAULT 0,
	last_review  INTEGER, -- NULL until the first review
	created      INTEGER NOT NULL,
	modified     INTEGER NOT NULL
) STRICT;

-- Covers a re-sync's first read: the fingerprints of a file's cards.
CREATE INDEX cards_source ON cards (source, fp, orphan);
CREATE INDEX cards_deck_key ON cards (deck, key);
CREATE INDEX cards_due ON cards (deck, due)
	WHERE status = 'active' AND orphan = 0 AND due IS NOT NULL;
CREATE INDEX cards_new ON cards (deck, file, line)
	WHERE status = 'active' AND orphan = 0 AND due IS NULL;

-- Every answer. b_* is the schedule before it, a_* after; a re-drill has
-- both equal. undo_* hold what a leech suspension replaced.
CREATE TABLE reviews (
	id          INTEGER PRIMARY KEY,
	card_id     TEXT NOT NULL REFERENCES cards (id),
	time        INTEGER NOT NULL,
	day         INTEGER NOT NULL,
	grade       INTEGER NOT NULL CHECK (grade BETWEEN 0 AND 5),
	took_ms     INTEGER NOT NULL,
	redrill     INTEGER NOT NULL DEFAULT 0 CHECK (redrill IN (0, 1)),
	b_reps      INTEGER NOT NULL,
	b_ef        REAL NOT NULL,
	b_interval  INTEGER NOT NULL,
	b_due       INTEGER,
	b_lapses    INTEGER NOT NULL,
	b_last      INTEGER,
	a_reps      INTEGER NOT NULL,
	a_ef        REAL NOT NULL,
	a_interval  INTEGER NOT NULL,
	a_due       INTEGER,
	a_lapses    INTEGER NOT NULL,
	a_last      INTEGER,
	leech       INTEGER NOT NULL DEFAULT 0 CHECK (leech IN (0, 1)),
	undo_status TEXT,
	undo_tags   TEXT
) STRICT;

CREATE INDEX reviews_card ON reviews (card_id, id);
CREATE INDEX reviews_day ON reviews (day);
