package cli

import (
	"runtime/debug"
	"runtime/metrics"
	"sync"
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
// back as it was, once every export that asked for a limit is done (the
// settings are the process's; tests run exports side by side): the
// limit is the highest asked for meanwhile.
func limitHeap(base int64) (restore func()) {
	heapMu.Lock()
	defer heapMu.Unlock()
	limitMu.Lock()
	if heapUsers == 0 {
		heapOldGC = debug.SetGCPercent(100)
		heapOldLimit = debug.SetMemoryLimit(base)
		heapLimit = base
		heapStop, heapDone = make(chan struct{}), make(chan struct{})
		go followHeap(heapStop, heapDone)
	} else if base > heapLimit {
		heapLimit = base
		debug.SetMemoryLimit(base)
	}
	limitMu.Unlock()
	heapUsers++
	var once sync.Once
	return func() {
		once.Do(func() {
			heapMu.Lock()
			defer heapMu.Unlock()
			if heapUsers--; heapUsers > 0 {
				return
			}
			close(heapStop)
			<-heapDone
			debug.SetMemoryLimit(heapOldLimit)
			debug.SetGCPercent(heapOldGC)
		})
	}
}

// The state of limitHeap: who uses it, under heapMu; the limit, which
// followHeap raises, under limitMu.
var (
	heapMu             sync.Mutex
	heapUsers          int
	heapOldGC          int
	heapOldLimit       int64
	heapStop, heapDone chan struct{}

	limitMu   sync.Mutex
	heapLimit int64
)

// followHeap raises the memory limit as the live heap nears it, until
// stop is closed.
func followHeap(stop, done chan struct{}) {
	defer close(done)
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
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
		live := int64(sample[0].Value.Uint64())
		limitMu.Lock()
		if live*5/4 > heapLimit {
			heapLimit = live * 3 / 2
			debug.SetMemoryLimit(heapLimit)
		}
		limitMu.Unlock()
	}
}
