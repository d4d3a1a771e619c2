-- The scheduler a deck studies with, as recall config set it: 'sm2' or
-- 'fsrs', and FSRS's desired retention; NULL takes the collection's (meta
-- 'fsrs', 0 or 1, and 'retention_permille'), and without those SM-2 and
-- 0.9. A card keeps the memory state FSRS last left (stability and
-- difficulty, NULL until FSRS first schedules it) beside SM-2's fields,
-- which go on being kept so that a deck can switch back; a review keeps
-- the memory before it, for undo.
ALTER TABLE decks ADD COLUMN scheduler TEXT CHECK (scheduler IN ('sm2', 'fsrs'));
ALTER TABLE decks ADD COLUMN retention REAL CHECK (retention > 0 AND retention < 1);
ALTER TABLE cards ADD COLUMN stability REAL;
ALTER TABLE cards ADD COLUMN difficulty REAL;
ALTER TABLE reviews ADD COLUMN b_stability REAL;
ALTER TABLE reviews ADD COLUMN b_difficulty REAL;
