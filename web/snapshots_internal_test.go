package web

import (
	"runtime"
	"sync"
	"testing"
)

// The bytes the snapshot cache counts are the bytes it holds, while
// builders finish and clients evict older seqs at once: a count gone
// wrong (negative once) stopped the byte bound from evicting at all.
func TestSnapshotsCountWhatTheyHold(t *testing.T) {
	s := newSnapshots(1 << 20)
	msg := make([]byte, 1000)
	for seq := uint64(1); seq <= 4000; seq += 2 {
		started := make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() { // the builder of seq
			s.message(snapshotKey{layers: "tanks", seq: seq}, func() ([]byte, error) {
				close(started)
				runtime.Gosched()
				return msg, nil
			})
		})
		wg.Go(func() { // a client of seq, then of seq+1
			<-started
			s.message(snapshotKey{layers: "tanks", seq: seq}, nil)
			s.message(snapshotKey{layers: "tanks", seq: seq + 1}, func() ([]byte, error) { return msg, nil })
		})
		wg.Wait()
		s.mu.Lock()
		var held int64
		for _, e := range s.msgs {
			if e.counted {
				held += int64(len(e.msg))
			}
		}
		kept := s.kept
		s.mu.Unlock()
		if kept != held || kept < 0 {
			t.Fatalf("at seq %d the cache counts %d bytes and holds %d", seq, kept, held)
		}
	}
}
