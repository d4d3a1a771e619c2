-- Daily limits in which 0 means no cards of that kind and NULL means not
-- set: what `recall config` set for a deck (decks.*_config, which wins),
-- what the front matter of a notes file says (sources.*_front; a deck takes
-- the value of its file synced last that sets one), and the collection's
-- own (meta 'new_per_day' and 'reviews_per_day', absent when not set). A
-- limit in the old columns, where 0 meant the default, was set by either
-- config or front matter: it is kept as the config's, so that no choice a
-- person made is lost to the next sync.
ALTER TABLE decks ADD COLUMN new_config INTEGER CHECK (new_config >= 0);
ALTER TABLE decks ADD COLUMN reviews_config INTEGER CHECK (reviews_config >= 0);
UPDATE decks SET new_config = nullif(new_limit, 0), reviews_config = nullif(review_limit, 0);
ALTER TABLE decks DROP COLUMN new_limit;
ALTER TABLE decks DROP COLUMN review_limit;
ALTER TABLE sources ADD COLUMN new_front INTEGER CHECK (new_front >= 0);
ALTER TABLE sources ADD COLUMN reviews_front INTEGER CHECK (reviews_front >= 0);
