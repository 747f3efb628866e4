package auth_test

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"

	"parktwin/twin/bolt"
	"parktwin/web/auth"
)

// BenchmarkLogin measures a login at the parameters parkd hashes with
// (auth.Params: argon2id, 19 MiB, two passes, one lane): the time one
// takes on one core with the session's write to the park's file, and
// the memory it allocates, which is the 19 MiB the parameters ask for.
// auth bounds the hashes at once (maxHashing), so that a flood of logins
// takes that much memory twice, no more.
func BenchmarkLogin(b *testing.B) {
	db, err := bolt.Open(filepath.Join(b.TempDir(), "park.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	users, err := db.Records("users")
	if err != nil {
		b.Fatal(err)
	}
	tokens, err := db.Records("tokens")
	if err != nil {
		b.Fatal(err)
	}
	sessions, err := db.Records("sessions")
	if err != nil {
		b.Fatal(err)
	}
	// Params: nil, the production's; the session kept in the file, as
	// parkd keeps it (one write a login).
	svc, err := auth.Open(auth.Config{Users: users, Tokens: tokens, Sessions: sessions})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := svc.CreateUser(ctx, auth.NewUser{Name: "值班员", Role: auth.DutyOfficer, Password: pw}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := svc.Login(ctx, "值班员", pw, "10.0.0.7"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "logins/s")
	b.ReportMetric(float64(auth.Params.Memory)/1024, "MiB-param")
	b.ReportMetric(float64(runtime.GOMAXPROCS(0)), "procs")
}
