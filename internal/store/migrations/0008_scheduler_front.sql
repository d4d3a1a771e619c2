-- The scheduler a notes file's front matter names (scheduler: sm2|fsrs),
-- NULL when it names none. A deck takes it, from its file synced last that
-- names one, when recall config set none for the deck.
ALTER TABLE sources ADD COLUMN scheduler_front TEXT CHECK (scheduler_front IN ('sm2', 'fsrs'));
