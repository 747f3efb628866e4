package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bbolt "go.etcd.io/bbolt"

	"parktwin/twin/bolt"
)

// parkdRun runs a subcommand in this process, with the environment env
// (NAME=value).
func parkdRun(args []string, env ...string) (string, error) {
	getenv := func(name string) string {
		for _, kv := range env {
			if k, v, _ := strings.Cut(kv, "="); k == name {
				return v
			}
		}
		return ""
	}
	var out bytes.Buffer
	err := run(context.Background(), args, getenv, &out)
	return out.String(), err
}

// TestBackupVerifyRestore copies the database of a running parkd over
// HTTP, verifies the copy, restores it in place of a stopped server's
// file and serves it again.
func TestBackupVerifyRestore(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "park.db")
	p := startParkd(t, db)
	before := readPark(t, p)

	copyPath := filepath.Join(dir, "copy.db")
	out, err := parkdRun([]string{"backup", "--url", p.base, copyPath})
	if err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	if _, err := parkdRun([]string{"verify", "--db", db}); !errors.Is(err, bolt.ErrLocked) {
		t.Errorf("verify of a served file: got %v, want it refused as in use", err)
	}
	if _, err := parkdRun([]string{"restore", "--db", db, copyPath}); !errors.Is(err, bolt.ErrLocked) {
		t.Errorf("restore under a running server: got %v, want it refused", err)
	}
	out, err = parkdRun([]string{"verify"}, "PARKD_DB="+copyPath)
	if err != nil || !strings.Contains(out, "audit trail sound") {
		t.Fatalf("verify the copy: %v\n%s", err, out)
	}
	if err := p.stop(t); err != nil {
		t.Fatal(err)
	}

	// Restored over the file, the copy serves the park as it was copied.
	if out, err := parkdRun([]string{"restore", "--db", db, copyPath}); err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	p = startParkd(t, db)
	if after := readPark(t, p); after.Seq < before.Seq || after.Counts["tanks"] != before.Counts["tanks"] {
		t.Errorf("restored: got seq %d and %d tanks, want at least %d and %d", after.Seq, after.Counts["tanks"], before.Seq, before.Counts["tanks"])
	}
}

// TestVerifyNamesABrokenLink breaks a link of the audit trail in a real
// file, as someone with the file would, and sees it named.
func TestVerifyNamesABrokenLink(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "park.db")
	p := startParkd(t, db, "PARKD_SIMULATE=false")
	if err := p.stop(t); err != nil {
		t.Fatal(err)
	}
	raw, err := bbolt.Open(db, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = raw.Update(func(tx *bbolt.Tx) error {
		// Under a checksum that holds, as someone who means it would.
		b := tx.Bucket([]byte("audit"))
		k, v := b.Cursor().First()
		k = bytes.Clone(k)
		v, _ = bolt.Unseal(k, bytes.Clone(v))
		v = bytes.Replace(v, []byte("system:seed"), []byte("system:XXXX"), 1)
		return b.Put(k, bolt.Seal(k, v))
	})
	raw.Close()
	if err != nil {
		t.Fatal(err)
	}
	out, err := parkdRun([]string{"verify", "--db", db})
	var ce *bolt.ChainError
	if !errors.As(err, &ce) || ce.Seq != 1 || ce.Expected == ce.Stored {
		t.Fatalf("verify: got %v (%s), want entry 1 named", err, out)
	}
	if msg := err.Error(); !strings.Contains(msg, "entry 1") || !strings.Contains(msg, ce.Expected) || !strings.Contains(msg, ce.Stored) {
		t.Errorf("the message %q should name the entry and both hashes", msg)
	}
}

// TestVerifyChecksTheAnchor starts parkd on a new file: it makes the key
// anchoring the audit trail beside it (0600), and parkd verify checks the
// trail's head against it; a key that is not the file's (as a trail
// rewritten by someone without the key looks: twin/bolt's
// TestAuditAnchorNeedsTheKey) fails verify with ErrUnanchored.
func TestVerifyChecksTheAnchor(t *testing.T) {
	db := filepath.Join(t.TempDir(), "park.db")
	p := startParkd(t, db, "PARKD_SIMULATE=false")
	if err := p.stop(t); err != nil {
		t.Fatal(err)
	}
	kp := db + ".audit-key"
	fi, err := os.Stat(kp)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the audit key: %v %v, want a file of mode 0600", fi, err)
	}
	out, err := parkdRun([]string{"verify", "--db", db})
	if err != nil || !strings.Contains(out, "head anchored by "+kp) {
		t.Fatalf("verify: %v\n%s", err, out)
	}
	if err := os.WriteFile(kp, []byte(strings.Repeat("ab", 32)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := parkdRun([]string{"verify", "--db", db}); !errors.Is(err, bolt.ErrUnanchored) {
		t.Errorf("verify under another key: %v\n%s, want ErrUnanchored", err, out)
	}
}
