package notes

import (
	"errors"

	"github.com/recall-cli/recall/internal/card"
)

// ErrUnsettled is what Stream returns for notes whose cards it cannot
// hand over as they are made. Parse them whole instead.
var ErrUnsettled = errors.New("the cards of these notes are settled only at their end")

// Stream parses notes as Parse does, but hands their cards to each as
// they are made, a part of the notes at a time and in order, and keeps
// none: the File it returns has no Cards. The cards of a big file are
// then never all in memory together. each must not keep the slice it is
// given (the cards in it are its own); an error of each stops Stream and
// is returned as it is. Stream does not lint (opts.Lint is ignored).
//
// A card can be handed over as it is made only when no later card can
// change it. Parse changes cards made earlier in two cases: when two cards
// share a key (a repeat is dropped, the others are numbered and told
// apart), and when the notes have basic cards that may repeat a list card
// or a cloze (see finisher). When the notes turn out to be such a case,
// Stream stops with ErrUnsettled, possibly after handing over some cards,
// which the caller then drops before it parses the notes whole.
func Stream(name string, src []byte, opts Options, each func([]card.Card) error) (File, error) {
	opts.Lint = false
	cfg := defaultConfig()
	cfg.each = each
	f, err := parseWith(name, src, opts, cfg)
	f.Cards = nil
	return f, err
}
