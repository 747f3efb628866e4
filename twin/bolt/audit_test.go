package bolt_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	bbolt "go.etcd.io/bbolt"

	"parktwin/twin"
	"parktwin/twin/bolt"
)

var (
	alice = twin.Actor{User: "alice", Role: "dispatcher", Addr: "10.0.0.7", Route: "POST /api/v1/targets"}
	bob   = twin.Actor{User: "bob", Role: "admin", Addr: "10.0.0.8", Route: "PATCH /api/v1/targets/:id"}
)

// audited writes a few commands by alice, bob and nobody into a fresh
// file and returns its path, closed.
func audited(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "park.db")
	db, err := bolt.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	tw, err := twin.Open(twin.Config{Store: db})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	apply := func(ctx context.Context, cmds ...twin.Command) {
		t.Helper()
		if _, err := tw.Apply(ctx, cmds...); err != nil {
			t.Fatal(err)
		}
	}
	apply(twin.WithActor(ctx, twin.Actor{User: twin.ActorSeed, Role: twin.RoleSystem}), twin.Create{Entity: park()})
	apply(twin.WithActor(ctx, alice), twin.Create{Entity: target(1)}, twin.Create{Entity: target(2)})
	apply(twin.WithActor(ctx, bob), twin.Patch{Kind: twin.KindTarget, ID: "TGT-01", Merge: []byte(`{"properties":{"population":7}}`)})
	apply(ctx, twin.Delete{Kind: twin.KindTarget, ID: "TGT-02"})
	tw.Close()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestAuditEveryEventHasItsActor(t *testing.T) {
	db := openDB(t, audited(t))
	var got []string
	err := db.Events(0, func(ev twin.Event) error {
		got = append(got, ev.Actor.User+" "+ev.Op.String()+" "+ev.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"system:seed created PARK", "alice created TGT-01", "alice created TGT-02",
		"bob updated TGT-01", "unknown deleted TGT-02"}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("events' actors (-got +want):\n%s", diff)
	}
}

func TestAuditQuery(t *testing.T) {
	db := openDB(t, audited(t))
	users := func(rs []bolt.AuditRecord) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.Actor.User)
		}
		return out
	}
	tests := []struct {
		name string
		f    bolt.AuditFilter
		want []string
	}{
		{"all, newest first", bolt.AuditFilter{}, []string{"unknown", "bob", "alice", "system:seed"}},
		{"by user", bolt.AuditFilter{User: "alice"}, []string{"alice"}},
		{"by entity", bolt.AuditFilter{Entity: "TGT-01"}, []string{"bob", "alice"}},
		{"page", bolt.AuditFilter{Limit: 2}, []string{"unknown", "bob"}},
		{"next page", bolt.AuditFilter{Limit: 2, Before: 3}, []string{"alice", "system:seed"}},
		{"no incident", bolt.AuditFilter{Incident: "INC-00001"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs, _, err := db.Audit(tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(users(rs), tt.want); diff != "" {
				t.Errorf("(-got +want):\n%s", diff)
			}
		})
	}
	rs, next, err := db.Audit(bolt.AuditFilter{Limit: 1, User: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	if next != 0 {
		t.Errorf("next page after the only match: got %d, want 0", next)
	}
	if got := rs[0]; got.Actor != alice || len(got.Changes) != 2 || got.Changes[0].Sum == "" || len(got.Hash) != 64 {
		t.Errorf("alice's entry: %+v", got)
	}
}

func TestVerifyAuditSound(t *testing.T) {
	db := openDB(t, audited(t))
	st, err := db.VerifyAudit()
	if err != nil {
		t.Fatal(err)
	}
	if st.Entries != 4 || st.Events != 5 {
		t.Errorf("got %d entries vouching for %d events, want 4 and 5", st.Entries, st.Events)
	}
}

// TestVerifyAuditNamesTheBrokenLink changes the file behind the server's
// back, as someone with the file would, and sees the link named.
func TestVerifyAuditNamesTheBrokenLink(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(tx *bbolt.Tx) error
		seq    uint64
		hashes bool // the error gives the expected and stored hashes
	}{
		{"an entry's user changed", func(tx *bbolt.Tx) error {
			return reseal(tx.Bucket([]byte("audit")), key(3), []byte(`"bob"`), []byte(`"eve"`))
		}, 3, true},
		{"an event changed", func(tx *bbolt.Tx) error {
			return reseal(tx.Bucket([]byte("events")), key(4), []byte(`7`), []byte(`8`))
		}, 3, true},
		{"an entry removed", func(tx *bbolt.Tx) error {
			return tx.Bucket([]byte("audit")).Delete(key(2))
		}, 2, false},
		{"the last entry removed", func(tx *bbolt.Tx) error {
			return tx.Bucket([]byte("audit")).Delete(key(4))
		}, 3, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := audited(t)
			raw, err := bbolt.Open(path, 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := raw.Update(tt.tamper); err != nil {
				t.Fatal(err)
			}
			raw.Close()
			db := openDB(t, path)
			_, err = db.VerifyAudit()
			var ce *bolt.ChainError
			if !errors.As(err, &ce) {
				t.Fatalf("got %v, want a broken link", err)
			}
			if ce.Seq != tt.seq || (ce.Expected != "" && ce.Expected == ce.Stored) || tt.hashes != (ce.Expected != "") {
				t.Errorf("got %v, want entry %d named", ce, tt.seq)
			}
		})
	}
}

// reseal changes old to new in the value of k in b, under a checksum
// that holds: as someone who means it would, not as bit rot does.
func reseal(b *bbolt.Bucket, k, old, new []byte) error {
	v, ok := bolt.Unseal(k, bytes.Clone(b.Get(k)))
	if !ok {
		return fmt.Errorf("%x: checksum", k)
	}
	return b.Put(k, bolt.Seal(k, bytes.Replace(v, old, new, 1)))
}

func key(seq uint64) []byte {
	return []byte{0, 0, 0, 0, 0, 0, 0, byte(seq)}
}
