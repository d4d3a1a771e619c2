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

-- A card's subdeck: its deck and, for a card under a heading of its file,
-- "::" and that heading, as the Anki export names its decks ("QCon SF
-- 2018::Containers"). Sync writes it (Store.Subdeck names it); the cards
-- already here take their deck, and the first Open that knows how to name
-- subdecks names theirs (Store.NameSubdecks, meta 'subdecks_named').
ALTER TABLE cards ADD COLUMN subdeck TEXT NOT NULL DEFAULT '';
UPDATE cards SET subdeck = deck;
INSERT INTO meta (key, value) VALUES ('subdecks_named', 0);

-- The queue queries of a subdeck walk these, as those of a deck walk
-- cards_due and cards_new.
CREATE INDEX cards_sub_due ON cards (deck, subdeck, due)
	WHERE status = 'active' AND orphan = 0 AND due IS NOT NULL;
CREATE INDEX cards_sub_new ON cards (deck, subdeck, file, line)
	WHERE status = 'active' AND orphan = 0 AND due IS NULL;

-- The subdecks that hold cards, with their cards counted (orphans aside):
-- a deck name a person gives is looked up here without reading the cards.
-- A sync takes out the counts of the files it changes and puts them back
-- once written (countSubdecks), the work of those files alone.
CREATE TABLE subdecks (
	deck  TEXT NOT NULL REFERENCES decks (name),
	name  TEXT NOT NULL,
	cards INTEGER NOT NULL,
	PRIMARY KEY (deck, name)
) STRICT, WITHOUT ROWID;

INSERT INTO subdecks (deck, name, cards)
	SELECT deck, subdeck, count(*) FROM cards WHERE orphan = 0 GROUP BY deck, subdeck;
