package main

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A parkd that cannot start leaves nothing in its data directory: the
// flags (--hosts and --origins among them), the files they name and the
// address are all checked before the database is made, and a failure
// after (a password refused on the first start) removes the file and
// everything made beside it.
func TestBadStartLeavesNoDatabase(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	for _, tc := range []struct {
		name string
		env  []string
		want string // in the error
	}{
		{"bad flag", []string{"PARKD_DEMO_SCALE=0"}, "--demo-scale"},
		{"unparsable flag", []string{"PARKD_SIMULATE=perhaps"}, "PARKD_SIMULATE"},
		{"bad rules", []string{"PARKD_RULES=" + write("rules.yaml", "bogus: 1\n")}, "field bogus not found"},
		{"rules missing", []string{"PARKD_RULES=" + filepath.Join(dir, "none.yaml")}, "--rules"},
		{"bad dispatch rules", []string{"PARKD_DISPATCH_RULES=" + write("dispatch.yaml", "bogus: 1\n")}, "dispatch.yaml"},
		{"bad tokens file", []string{"PARKD_GATEWAY_TOKENS=" + write("gateways.txt", "东区网关\n")}, "gateways.txt:1"},
		{"bad park file", []string{"PARKD_PARK=" + write("park.geojson", `{"type":"FeatureCollection","features":[{"type":"Feature"}]}`)}, "park.geojson"},
		{"hosts no request matches", []string{"PARKD_HOSTS=::bad::"}, `--hosts: "::bad::" is not a name`},
		{"hosts naming none", []string{"PARKD_HOSTS=,"}, `--hosts: "," names no host`},
		{"origin not an origin", []string{"PARKD_ORIGINS=notaurl"}, `--origins: "notaurl" is not an origin`},
		{"origin with a path", []string{"PARKD_ORIGINS=https://screen.example/"}, `write "https://screen.example"`},
		{"address in use", []string{"PARKD_ADDR=" + busy.Addr().String()}, "address already in use"},
		{"password refused", []string{"PARKD_ADMIN_PASSWORD_FILE=" + write("short-password", "abc\n")}, "password"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dataDir := t.TempDir()
			db := filepath.Join(dataDir, "parktwin.db")
			p, err := launch(db, tc.env...)
			if err == nil {
				p.kill()
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("parkd started, or its error does not say %q: %v", tc.want, err)
			}
			// Nothing at all is left beside the database: not the file, nor
			// its .gateway-token, .audit-key, .admin-password, .drills or
			// anything else; only the password file the test gave it.
			entries, err := os.ReadDir(dataDir)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if e.Name() != filepath.Base(db)+".test-password" {
					t.Errorf("%s is left behind in the data directory", e.Name())
				}
			}
		})
	}
}

// A failed first start removes only what it made: a link beside the
// database that points at nothing (an .audit-key kept elsewhere, not yet
// made) is the operator's and stays (exists uses os.Lstat).
func TestBadStartKeepsWhatItDidNotMake(t *testing.T) {
	dataDir := t.TempDir()
	db := filepath.Join(dataDir, "parktwin.db")
	link := db + ".audit-key"
	if err := os.Symlink(filepath.Join(t.TempDir(), "not-yet"), link); err != nil {
		t.Fatal(err)
	}
	short := filepath.Join(t.TempDir(), "short-password")
	if err := os.WriteFile(short, []byte("abc\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := launch(db, "PARKD_ADMIN_PASSWORD_FILE="+short)
	if err == nil {
		p.kill()
		t.Fatal("parkd started with a short password")
	}
	if _, err := os.Lstat(link); err != nil {
		t.Errorf("the operator's link %s was removed by a failed start: %v", link, err)
	}
}
