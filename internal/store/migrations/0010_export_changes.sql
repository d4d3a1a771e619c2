-- When what an export gives of a card last changed (Unix nanoseconds):
-- its fields, tags, deck and subdeck, kind; not its line or file, which
-- `modified` follows too. The Anki export stamps a note with it, so that a
-- sync that only moves cards leaves the notes Anki has as they are (and a
-- note edited in Anki since is not overwritten by an export that changed
-- nothing). The cards here take their `modified`, the best known.
ALTER TABLE cards ADD COLUMN changed INTEGER NOT NULL DEFAULT 0;
UPDATE cards SET changed = modified;

-- A card's section: the heading below its file's title it sits under
-- (card.Card.Section), which names its subdeck, whatever the title says.
-- The cards here were given subdecks by the first entry of their
-- breadcrumb after the deck, which is the title when the title does not
-- name the deck: they keep it as their section until every notes file is
-- read again at the next sync (its hash forgotten), which writes each of
-- its cards again (their fingerprints forgotten too) with its own section
-- and subdeck.
ALTER TABLE cards ADD COLUMN section TEXT NOT NULL DEFAULT '';
UPDATE cards SET section = coalesce(json_extract(context, '$[1]'), ''), fp = 0
	WHERE json_array_length(context) > 1;
UPDATE sources SET hash = '';
