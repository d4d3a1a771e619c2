package cli

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// TestLimitHeap: the limit starts at its base, rises with a live heap
// that nears it, and the collector is put back as it was after. Not
// parallel: the collector's settings are the process's.
func TestLimitHeap(t *testing.T) {
	wasLimit := debug.SetMemoryLimit(-1)
	wasGC := debug.SetGCPercent(77)
	defer debug.SetGCPercent(wasGC)

	restore := limitHeap(8 << 20)
	if got := debug.SetMemoryLimit(-1); got != 8<<20 {
		t.Errorf("limit at the start = %d, want %d", got, 8<<20)
	}
	live := make([]byte, 32<<20)
	for i := range live {
		live[i] = byte(i)
	}
	deadline := time.Now().Add(5 * time.Second)
	for debug.SetMemoryLimit(-1) < 40<<20 && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(20 * time.Millisecond)
	}
	if got := debug.SetMemoryLimit(-1); got < 40<<20 {
		t.Errorf("limit with %d MiB live = %d MiB, want it above 40", len(live)>>20, got>>20)
	}
	runtime.KeepAlive(live)
	restore()
	if got := debug.SetMemoryLimit(-1); got != wasLimit {
		t.Errorf("limit after = %d, want %d as before", got, wasLimit)
	}
	if got := debug.SetGCPercent(wasGC); got != 77 {
		t.Errorf("GC percent after = %d, want 77 as before", got)
	}
}

// TestLimitHeapNested: exports side by side in one process share the
// limit, the highest asked for, and the last to end puts the collector
// back; restoring twice does nothing more.
func TestLimitHeapNested(t *testing.T) {
	wasLimit := debug.SetMemoryLimit(-1)
	a := limitHeap(64 << 20)
	b := limitHeap(96 << 20)
	if got := debug.SetMemoryLimit(-1); got < 96<<20 {
		t.Errorf("limit with two exports = %d MiB, want at least 96", got>>20)
	}
	a()
	a()
	if got := debug.SetMemoryLimit(-1); got == wasLimit {
		t.Error("the limit went back while an export still ran")
	}
	b()
	if got := debug.SetMemoryLimit(-1); got != wasLimit {
		t.Errorf("limit after both = %d, want %d as before", got, wasLimit)
	}
}
