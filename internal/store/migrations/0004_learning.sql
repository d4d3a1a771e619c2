-- Learning steps kept in the collection (SM-2's rule 7 across sessions): a
-- card graded below good is due again at learn_due, Unix nanoseconds, the
-- same study day; NULL when it is not learning. Siblings an answer buried
-- are kept with its review, so that undoing it brings them back.
ALTER TABLE cards ADD COLUMN learn_due INTEGER;
ALTER TABLE cards ADD COLUMN learn_step INTEGER NOT NULL DEFAULT 0;
CREATE INDEX cards_learn ON cards (deck, learn_due)
	WHERE status = 'active' AND orphan = 0 AND learn_due IS NOT NULL;

ALTER TABLE reviews ADD COLUMN b_learn_due INTEGER;
ALTER TABLE reviews ADD COLUMN b_learn_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reviews ADD COLUMN buried_siblings TEXT NOT NULL DEFAULT '[]'; -- JSON array of card ids

-- Siblings share a group; an answer buries the others of its group.
CREATE INDEX cards_grp ON cards (grp);
