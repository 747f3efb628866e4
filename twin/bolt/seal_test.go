package bolt_test

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	bbolt "go.etcd.io/bbolt"

	"parktwin/twin"
	"parktwin/twin/bolt"
	"parktwin/twin/telemetry"
)

// fullFile writes a file with a value in every bucket the park keeps:
// entities, the journal, the audit trail, retired IDs, history, and a
// bucket of records (users); it returns its path, closed.
func fullFile(t *testing.T) string {
	t.Helper()
	path := audited(t) // entities, events, audit, retired (TGT-02)
	db, err := bolt.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	putBuckets(t, db, series("SEN-01", 0, 10), series("SEN-02", 0, 10))
	users, err := db.Records("users")
	if err != nil {
		t.Fatal(err)
	}
	if err := users.Put("alice", []byte(`{"role":"dispatcher"}`)); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// A file of 0 bytes is refused, naming it, unless asked for; then it is a
// new database.
func TestEmptyFileRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "park.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for name, open := range map[string]func(string) (*bolt.DB, error){"Open": bolt.Open, "OpenReadOnly": bolt.OpenReadOnly} {
		db, err := open(path)
		if !errors.Is(err, bolt.ErrEmpty) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s of a 0-byte file: %v, want ErrEmpty naming %s", name, err, path)
		}
		if db != nil {
			db.Close()
		}
	}
	if fi, _ := os.Stat(path); fi.Size() != 0 {
		t.Errorf("the refused file was written: %d bytes", fi.Size())
	}
	db, err := bolt.OpenWith(path, bolt.Options{AllowEmpty: true})
	if err != nil {
		t.Fatalf("asked to take it: %v", err)
	}
	defer db.Close()
	if seq, err := db.Seq(); seq != 0 || err != nil {
		t.Errorf("a new database: seq %d, %v", seq, err)
	}
}

// A file that is not a database, or is one cut short or with a page of
// garbage, is refused with the file named: never a panic, never served.
func TestDamagedFileRefused(t *testing.T) {
	good, err := os.ReadFile(fullFile(t))
	if err != nil {
		t.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 64<<10)
	for i := range random {
		random[i] = byte(rnd.Uint32())
	}
	cases := map[string][]byte{
		"random bytes":     random,
		"a little text":    []byte("parktwin\n"),
		"zeros":            make([]byte, 32<<10),
		"cut short":        good[:3*4096],
		"its start wiped":  append(make([]byte, 8<<10), good[8<<10:]...),
		"only a meta page": good[:4096],
	}
	for name, b := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "park.db")
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
			db, err := bolt.Open(path)
			if err == nil {
				db.Close()
				t.Fatalf("opened")
			}
			if !errors.Is(err, bolt.ErrDamaged) || !strings.Contains(err.Error(), path) {
				t.Errorf("got %v, want ErrDamaged naming %s", err, path)
			}
			t.Log(err)
		})
	}
}

// A page of garbage anywhere in a sound file: opening and loading it
// either works or fails with an error; bbolt's panics are caught.
func TestGarbagePageNoPanic(t *testing.T) {
	path := fullFile(t)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const page = 4096
	rnd := rand.New(rand.NewPCG(3, 4))
	refused := 0
	for p := 2; p*page < len(good); p++ {
		b := bytes.Clone(good)
		for i := p * page; i < (p+1)*page; i++ {
			b[i] = byte(rnd.Uint32())
		}
		spoilt := filepath.Join(t.TempDir(), "park.db")
		if err := os.WriteFile(spoilt, b, 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := bolt.Open(spoilt)
		if err == nil {
			_, err = db.Load(func(twin.Record) error { return nil })
			if err == nil {
				_, err = db.VerifyValues()
			}
			db.Close()
		}
		if err != nil {
			refused++
			if !strings.Contains(err.Error(), spoilt) {
				t.Errorf("page %d: %v does not name the file", p, err)
			}
		}
	}
	t.Logf("%d of %d pages spoilt were told", refused, len(good)/page-2)
}

// flip flips one bit in the middle of the value of key in bucket, in
// place, as bit rot would: the checksum is not made again.
func flip(t *testing.T, path string, bucket, key []byte) {
	t.Helper()
	raw, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	err = raw.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucket)
		v := bytes.Clone(b.Get(key))
		if v == nil {
			t.Fatalf("no %s/%q", bucket, key)
		}
		v[len(v)/2] ^= 0x10
		return b.Put(key, v)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A bit flipped in a stored value, in any bucket, is told where it is
// read, with the file, the bucket and the key named, and never served;
// VerifyValues finds every one.
func TestFlippedBitTold(t *testing.T) {
	seqKey := func(n byte) []byte { return []byte{0, 0, 0, 0, 0, 0, 0, n} }
	cases := []struct {
		bucket, key []byte
		readable    string
		read        func(db *bolt.DB) error
	}{
		{[]byte("entities"), []byte("target/TGT-01"), "target/TGT-01", func(db *bolt.DB) error {
			_, err := db.Load(func(twin.Record) error { return nil })
			return err
		}},
		{[]byte("retired"), []byte("target/TGT-02"), "target/TGT-02", func(db *bolt.DB) error {
			_, err := db.Load(func(twin.Record) error { return nil })
			return err
		}},
		{[]byte("meta"), []byte("seq"), "seq", func(db *bolt.DB) error {
			_, err := db.Seq()
			return err
		}},
		{[]byte("events"), seqKey(3), "3", func(db *bolt.DB) error {
			return db.Events(0, func(twin.Event) error { return nil })
		}},
		{[]byte("audit"), seqKey(2), "2", func(db *bolt.DB) error {
			_, _, err := db.Audit(bolt.AuditFilter{})
			return err
		}},
		{[]byte("audit"), seqKey(4), "4", func(db *bolt.DB) error {
			_, err := db.VerifyAudit()
			return err
		}},
		{[]byte("history"), historyKey("SEN-02", 3), "SEN-02@" + minute(3).Format("2006-01-02T15:04Z"), func(db *bolt.DB) error {
			return db.Buckets("SEN-02", minute(0), minute(10), func(telemetry.Bucket) error { return nil })
		}},
		{[]byte("history"), historyKey("SEN-01", 9), "SEN-01@" + minute(9).Format("2006-01-02T15:04Z"), func(db *bolt.DB) error {
			return db.LastBuckets(func(telemetry.Bucket) error { return nil })
		}},
		{[]byte("users"), []byte("alice"), "alice", func(db *bolt.DB) error {
			r, err := db.Records("users")
			if err != nil {
				return err
			}
			return r.All(func(string, []byte) error { return nil })
		}},
	}
	for _, c := range cases {
		t.Run(string(c.bucket)+"/"+c.readable, func(t *testing.T) {
			path := fullFile(t)
			flip(t, path, c.bucket, c.key)
			db, err := bolt.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			err = c.read(db)
			var ce *bolt.CorruptError
			if !errors.As(err, &ce) || !errors.Is(err, bolt.ErrDamaged) {
				t.Fatalf("read: %v, want a *CorruptError", err)
			}
			if ce.File != path || ce.Bucket != string(c.bucket) || ce.Key != c.readable {
				t.Errorf("told %s / %s / %s, want %s / %s / %s", ce.File, ce.Bucket, ce.Key, path, c.bucket, c.readable)
			}
			for _, want := range []string{path, "bucket " + string(c.bucket), "key " + c.readable, "checksum"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("%q does not say %q", err, want)
				}
			}
			st, err := db.VerifyValues()
			var fe *bolt.FaultsError
			if !errors.As(err, &fe) || len(fe.Faults) != 1 || *fe.Faults[0] != *ce {
				t.Errorf("VerifyValues: %v, want the one fault", err)
			}
			if !st.Sealed || st.Values < 30 {
				t.Errorf("VerifyValues read %+v", st)
			}
		})
	}
}

// unseal makes path a file from before checksums: every value bare, no
// mark in meta.
func unseal(t *testing.T, path string) {
	t.Helper()
	raw, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	err = raw.Update(func(tx *bbolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bbolt.Bucket) error {
			type kv struct{ k, v []byte }
			var all []kv
			b.ForEach(func(k, v []byte) error {
				all = append(all, kv{bytes.Clone(k), bytes.Clone(v)})
				return nil
			})
			for _, e := range all {
				if bytes.Equal(name, []byte("meta")) && string(e.k) == "format" {
					if err := b.Delete(e.k); err != nil {
						return err
					}
					continue
				}
				v, ok := bolt.Unseal(e.k, e.v)
				if !ok {
					t.Fatalf("%s/%q: not sealed", name, e.k)
				}
				if err := b.Put(e.k, v); err != nil {
					return err
				}
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A file from before checksums is read as it is where it cannot be
// written (verify), and has them added once when opened to write, in
// steps that resume where the last one ended; what it holds is the same
// after.
func TestOldFileGetsChecksums(t *testing.T) {
	path := fullFile(t)
	load := func(db *bolt.DB) string {
		t.Helper()
		var out []string
		if _, err := db.Load(func(r twin.Record) error {
			out = append(out, r.Kind.String()+"/"+r.ID)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		recs, _, err := db.Audit(bolt.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			out = append(out, r.Hash)
		}
		for _, b := range lastBuckets(t, db) {
			out = append(out, b.Sensor+b.Minute.String())
		}
		return strings.Join(out, " ")
	}
	mustOpen := func() *bolt.DB {
		t.Helper()
		db, err := bolt.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	db := mustOpen()
	before := load(db)
	db.Close()

	unseal(t, path)
	ro, err := bolt.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := ro.VerifyValues()
	if err != nil || st.Sealed || st.Values < 30 {
		t.Errorf("an old file, read-only: %+v %v, want its values read, none sealed", st, err)
	}
	if got := load(ro); got != before {
		t.Errorf("an old file reads otherwise:\n%s\nwant\n%s", got, before)
	}
	ro.Close()

	defer bolt.SetSealBatch(7)()
	db = mustOpen()
	if got := load(db); got != before {
		t.Errorf("sealed, the file reads otherwise:\n%s\nwant\n%s", got, before)
	}
	st, err = db.VerifyValues()
	if err != nil || !st.Sealed {
		t.Errorf("after the upgrade: %+v %v", st, err)
	}
	if _, err := db.VerifyAudit(); err != nil {
		t.Errorf("the audit trail after the upgrade: %v", err)
	}
	db.Close()
	// Once: the next open seals nothing twice.
	db = mustOpen()
	defer db.Close()
	if got := load(db); got != before {
		t.Errorf("opened again:\n%s", cmp.Diff(got, before))
	}
	if _, err := db.VerifyValues(); err != nil {
		t.Error(err)
	}
}

func historyKey(sensor string, m int) []byte {
	k := append([]byte(sensor), 0)
	u := uint64(minute(m).Unix() / 60)
	for i := 7; i >= 0; i-- {
		k = append(k, byte(u>>(8*i)))
	}
	return k
}
