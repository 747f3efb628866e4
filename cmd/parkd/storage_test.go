package main

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bbolt "go.etcd.io/bbolt"
)

// A database file of 0 bytes — what a full disk or a failed copy leaves —
// is refused with the file named, not seeded over with the demo park;
// with --demo it is.
func TestEmptyDatabaseRefused(t *testing.T) {
	db := filepath.Join(t.TempDir(), "parktwin.db")
	if err := os.WriteFile(db, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := launch(db, "PARKD_SIMULATE=false")
	if err == nil {
		p.kill()
		t.Fatal("parkd served a 0-byte database")
	}
	for _, want := range []string{db, "empty (0 bytes)", "--demo", "parkd restore"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the refusal does not say %q:\n%v", want, err)
		}
	}
	if fi, _ := os.Stat(db); fi.Size() != 0 {
		t.Errorf("the refused file was written: %d bytes", fi.Size())
	}
	p = startParkd(t, db, "PARKD_SIMULATE=false", "PARKD_DEMO=true")
	if info := readPark(t, p); info.Counts["tanks"] == 0 {
		t.Errorf("with --demo: %+v, want the demo park", info)
	}
}

// A file that is not a database is refused naming it: no panic, nothing
// served.
func TestGarbageDatabaseRefused(t *testing.T) {
	db := filepath.Join(t.TempDir(), "parktwin.db")
	b := make([]byte, 256<<10)
	rnd := rand.New(rand.NewPCG(11, 12))
	for i := range b {
		b[i] = byte(rnd.Uint32())
	}
	if err := os.WriteFile(db, b, 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := launch(db, "PARKD_SIMULATE=false")
	if err == nil {
		p.kill()
		t.Fatal("parkd served a file of random bytes")
	}
	msg := err.Error()
	if !strings.Contains(msg, db) || !strings.Contains(msg, "not a park database") {
		t.Errorf("the refusal does not name the file and say what it is:\n%s", msg)
	}
	if strings.Contains(msg, "panic") || strings.Contains(msg, "goroutine ") {
		t.Errorf("parkd panicked:\n%s", msg)
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(after, b) {
		t.Error("the refused file was written")
	}
}

// flipOnDisk flips a bit in the middle of the value stored under key in
// bucket, in the file's bytes, as bit rot would: every copy of the value
// the file holds (bbolt leaves old copies in free pages), and returns how
// many there were.
func flipOnDisk(t *testing.T, db, bucket string, key []byte) int {
	t.Helper()
	raw, err := bbolt.Open(db, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var v []byte
	raw.View(func(tx *bbolt.Tx) error {
		v = bytes.Clone(tx.Bucket([]byte(bucket)).Get(key))
		return nil
	})
	raw.Close()
	if len(v) < 16 {
		t.Fatalf("%s %q: %d bytes", bucket, key, len(v))
	}
	file, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i := 0; ; {
		j := bytes.Index(file[i:], v)
		if j < 0 {
			break
		}
		file[i+j+len(v)/2] ^= 0x04
		i += j + len(v)
		n++
	}
	if n == 0 {
		t.Fatalf("%s %q: its value is nowhere in the file", bucket, key)
	}
	if err := os.WriteFile(db, file, 0o600); err != nil {
		t.Fatal(err)
	}
	return n
}

// A bit flipped on disk in a stored entity and in an entry of the audit
// trail: parkd refuses to start, naming the file, the bucket and the key,
// rather than serve the changed value; parkd verify names both.
func TestFlippedBitRefused(t *testing.T) {
	db := filepath.Join(t.TempDir(), "parktwin.db")
	p := startParkd(t, db, "PARKD_SIMULATE=false")
	_, tank, _ := sensorOf(t, p)
	if err := p.stop(t); err != nil {
		t.Fatal(err)
	}
	if out, err := parkdRun([]string{"verify", "--db", db}); err != nil || !strings.Contains(out, "every value's checksum holds") {
		t.Fatalf("verify before: %v\n%s", err, out)
	}
	entity := "tank/" + tank
	flipOnDisk(t, db, "entities", []byte(entity))
	flipOnDisk(t, db, "audit", []byte{0, 0, 0, 0, 0, 0, 0, 1})

	_, err := launch(db, "PARKD_SIMULATE=false")
	if err == nil {
		t.Fatal("parkd served a file with a flipped bit")
	}
	for _, want := range []string{db, "bucket entities, key " + entity, "checksum"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the refusal does not say %q:\n%v", want, err)
		}
	}
	out, err := parkdRun([]string{"verify", "--db", db})
	if err == nil {
		t.Fatalf("verify passed a file with flipped bits:\n%s", out)
	}
	for _, want := range []string{db, "2 stored values fail their checksums", "bucket entities, key " + entity, "bucket audit, key 1"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("verify does not say %q:\n%v", want, err)
		}
	}
}
