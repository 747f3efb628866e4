package main

import (
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const valuesMsg = `{"type":"values","seq":2739,"time":"2026-11-28T10:15:00.5Z","values":[` +
	`["SEN-00001",1.002,"2026-11-28T10:15:00.25Z"],["SEN-00002",20,"2026-11-28T10:15:00.123456789Z"]]}`

func TestValuesCache(t *testing.T) {
	vc := newValuesCache(map[string]bool{"SEN-00002": true})
	var wg sync.WaitGroup
	got := make([]*parsedValues, 8)
	for i := range got {
		wg.Go(func() { got[i] = vc.get([]byte(valuesMsg)) })
	}
	wg.Wait()
	for i, p := range got {
		if p != got[0] {
			t.Errorf("client %d parsed the message again", i)
		}
	}
	p := got[0]
	if p.err != nil {
		t.Fatal(p.err)
	}
	want := time.Date(2026, 11, 28, 10, 15, 0, 123456789, time.UTC).UnixNano()
	if diff := cmp.Diff(p.ts, []int64{want}); diff != "" {
		t.Errorf("ts (-got +want):\n%s", diff)
	}
	if p.entries != 2 || !p.sent.Equal(time.Date(2026, 11, 28, 10, 15, 0, 5e8, time.UTC)) {
		t.Errorf("entries %d, sent %v", p.entries, p.sent)
	}
	// The same head with other values is parsed on its own.
	other := `{"type":"values","seq":2739,"time":"2026-11-28T10:15:00.5Z","values":[["SEN-00002",21,"2026-11-28T10:15:00.3Z"]]}`
	if q := vc.get([]byte(other)); q == p || len(q.ts) != 1 || q.err != nil {
		t.Errorf("other message: %+v", q)
	}
	if q := vc.get([]byte(`{"type":"values","seq":1,"time":"2026-11-28T10:15:00Z","values":[["SEN-00002",1]]}`)); q.err == nil {
		t.Error("a short entry: no error")
	}
}

func TestKind(t *testing.T) {
	for msg, want := range map[string]string{
		valuesMsg:                      "values",
		`{"type":"heartbeat","seq":1}`: "heartbeat",
		`{"seq":1, "type":"change"}`:   "change",
		`not json`:                     "",
	} {
		if got := kind([]byte(msg)); got != want {
			t.Errorf("kind(%.30s): got %q, want %q", msg, got, want)
		}
	}
}

func TestStreamURL(t *testing.T) {
	tests := []struct{ base, layers, want string }{
		{"http://127.0.0.1:8080", "sensors", "ws://127.0.0.1:8080/api/v1/stream?layers=sensors"},
		{"https://park.example/twin/", "tanks,alarms", "wss://park.example/twin/api/v1/stream?layers=tanks%2Calarms"},
		{"http://127.0.0.1:8080", "all", "ws://127.0.0.1:8080/api/v1/stream"},
	}
	for _, tt := range tests {
		got, err := streamURL(tt.base, tt.layers)
		if err != nil || got != tt.want {
			t.Errorf("streamURL(%q, %q): got %q, %v; want %q", tt.base, tt.layers, got, err, tt.want)
		}
	}
	if _, err := streamURL("127.0.0.1:8080", "sensors"); err == nil {
		t.Error("no scheme: no error")
	}
}
