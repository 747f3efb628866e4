package twin

import (
	"context"
	"sync"
)

// Subscription delivers every event after its starting snapshot, in order
// and without loss, to one in-process reader. Its queue is unbounded: the
// twin never waits for a reader, and a reader that must see every event
// (the dispatcher, the recorder) never misses one. Readers that may fall
// behind without harm (browsers) bound their own queues.
type Subscription struct {
	mu     sync.Mutex
	queue  []Event
	wake   chan struct{} // cap 1: one pending wake-up is enough, Next re-reads the queue
	closed bool
	t      *Twin
}

// Subscribe returns the current snapshot and a subscription to every
// event after it.
func (t *Twin) Subscribe() (*Snapshot, *Subscription) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := &Subscription{wake: make(chan struct{}, 1), t: t}
	if t.subs == nil {
		s.closed = true
	} else {
		t.subs[s] = struct{}{}
	}
	return t.snap.Load(), s
}

func (s *Subscription) push(events []Event) {
	s.mu.Lock()
	s.queue = append(s.queue, events...)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *Subscription) close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Next returns the next events, waiting for at least one. It fails when
// ctx ends or the subscription or its twin is closed, once every event
// already queued has been returned.
func (s *Subscription) Next(ctx context.Context) ([]Event, error) {
	for {
		s.mu.Lock()
		if len(s.queue) > 0 {
			evs := s.queue
			s.queue = nil
			s.mu.Unlock()
			return evs, nil
		}
		closed := s.closed
		s.mu.Unlock()
		if closed {
			return nil, errClosed
		}
		select {
		case <-s.wake:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Close ends the subscription.
func (s *Subscription) Close() {
	s.t.mu.Lock()
	delete(s.t.subs, s)
	s.t.mu.Unlock()
	s.close()
}
