package notes

import (
	"slices"
	"testing"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// corpusSize is the size of the generated benchmark corpus.
const corpusSize = 10 << 20

// parseLimit is how many times goldmark's bare parse time Parse may take.
const parseLimit = 1.5

// BenchmarkParse parses a generated 10 MB notes corpus and, in the same
// iterations, has goldmark parse the same bytes with the same extensions
// and nothing else. It reports both speeds, the ratio of our time to
// goldmark's (x-goldmark) and the limit that ratio must stay under. Each
// figure is the median of the iterations, so that a burst of load on a
// shared machine moves it less; run with -benchtime=5x or more.
func BenchmarkParse(b *testing.B) {
	src := genCorpus(corpusSize)
	gm := goldmark.New(goldmark.WithExtensions(extension.Table)).Parser()
	var ours, theirs []time.Duration
	cards := 0
	for b.Loop() {
		start := time.Now()
		gm.Parse(text.NewReader(src))
		theirs = append(theirs, time.Since(start))

		start = time.Now()
		f, err := Parse("corpus.md", src, Options{})
		ours = append(ours, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		cards = len(f.Cards)
	}
	median := func(d []time.Duration) float64 {
		slices.Sort(d)
		return d[len(d)/2].Seconds()
	}
	o, g := median(ours), median(theirs)
	mb := float64(len(src)) / 1e6
	b.ReportMetric(mb/o, "MB/s")
	b.ReportMetric(mb/g, "goldmark-MB/s")
	b.ReportMetric(o/g, "x-goldmark")
	b.ReportMetric(parseLimit, "limit-x")
	b.ReportMetric(float64(cards), "cards")
}
