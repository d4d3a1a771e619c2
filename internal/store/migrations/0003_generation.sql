-- A counter every change to which cards exist, and where, moves on: a
-- sync plans its matching outside the write lock and writes only if the
-- counter is still what it planned against.
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

INSERT INTO meta (key, value) VALUES ('generation', 0);
