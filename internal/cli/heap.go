package cli

import (
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// The memory an export's Go heap is held to while what it must keep is
// small (see limitHeap), from a collection and from notes, whose parser
// keeps more: the least that costs no time for 100k cards. From a
// collection, 37 MB resident at 20 MiB, 40 at 24, as fast; from a notes
// file, 36 MB at 26, 35 at 24 but a fifth slower.
const (
	exportHeapMiB = 20
	notesHeapMiB  = 26
)

// limitHeap runs the garbage collector of an export against a memory
// limit rather than only its percentage: most of what an export allocates
// is garbage within a card, over a live heap that grows slowly with the
// cards. At Go's percentage alone the heap doubles that live heap before
// each collection, which a smaller percentage bounds only by collecting
// far more often, small exports most of all. A limit lets the collector
// rest while the heap is under it, and collect when it nears it. It
// starts at base and follows the live heap once that comes within a
// quarter of it, to half again as much, so that a big export is never
// held to a heap it cannot fit in. It returns what puts the collector
// back as it was.
func limitHeap(base int64) (restore func()) {
	oldGC := debug.SetGCPercent(100)
	oldLimit := debug.SetMemoryLimit(base)
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		limit := base
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			metrics.Read(sample)
			if sample[0].Value.Kind() != metrics.KindUint64 {
				continue
			}
			if live := int64(sample[0].Value.Uint64()); live*5/4 > limit {
				limit = live * 3 / 2
				debug.SetMemoryLimit(limit)
			}
		}
	}()
	return func() {
		close(stop)
		<-done
		debug.SetMemoryLimit(oldLimit)
		debug.SetGCPercent(oldGC)
	}
}
