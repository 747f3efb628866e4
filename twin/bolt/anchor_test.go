package bolt_test

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"parktwin/twin"
	"parktwin/twin/bolt"
)

// One who can write the file but has no key rewrites an entry of the
// trail (who did it) and computes every hash again: the chain verifies,
// the anchor does not. With the key, every entry moves the anchor along.
func TestAuditAnchorNeedsTheKey(t *testing.T) {
	db, err := bolt.Open(filepath.Join(t.TempDir(), "park.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	key := bytes.Repeat([]byte{7}, 32)
	if err := db.AnchorAudit(key, true); err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"admin", "mallory"} {
		e := twin.AuditEntry{At: time.Now(), Actor: twin.Actor{User: who, Role: "admin"}, Twin: twin.LiveID, Action: "user.create", Subject: who + ".2"}
		if err := db.AppendAudit(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.VerifyAnchor(key); err != nil {
		t.Fatalf("the trail as written: %v", err)
	}
	if err := db.VerifyAnchor(bytes.Repeat([]byte{8}, 32)); !errors.Is(err, bolt.ErrUnanchored) {
		t.Errorf("another key: %v, want ErrUnanchored", err)
	}
	if err := db.RewriteAuditEntry(2, func(b []byte) []byte { return bytes.ReplaceAll(b, []byte("mallory"), []byte("admin")) }); err != nil {
		t.Fatal(err)
	}
	if _, err := db.VerifyAudit(); err != nil {
		t.Fatalf("the rewritten chain should verify without a key (that is the hole): %v", err)
	}
	if err := db.VerifyAnchor(key); !errors.Is(err, bolt.ErrUnanchored) {
		t.Errorf("the rewritten trail: %v, want ErrUnanchored", err)
	}
	if err := db.AnchorAudit(key, false); !errors.Is(err, bolt.ErrUnanchored) {
		t.Errorf("keeping the key over a rewritten trail: %v, want ErrUnanchored", err)
	}
}
