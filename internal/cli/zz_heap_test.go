package cli

import (
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"testing"
	"time"
)

func TestZZHeap(t *testing.T) {
	file := os.Getenv("ZZ_NOTES")
	if file == "" {
		t.Skip()
	}
	os.Setenv("RECALL_DB", "/tmp/perf/zz.db")
	var mu sync.Mutex
	var peak uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
			runtime.ReadMemStats(&ms)
			mu.Lock()
			if ms.HeapAlloc > peak+2<<20 {
				peak = ms.HeapAlloc
				f, _ := os.Create("/tmp/heap.prof")
				runtime.GC()
				pprof.WriteHeapProfile(f)
				f.Close()
			}
			mu.Unlock()
		}
	}()
	os.Args = []string{"recall", "export", "--anki", file, "-o", "/tmp/perf/zz.apkg", "--force"}
	Main()
	close(stop)
	<-done
	t.Log("peak", peak>>20)
}
