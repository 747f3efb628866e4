package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// gatewayToken returns the token p keeps beside its database, having no
// tokens file.
func gatewayToken(t *testing.T, p *parkd) string {
	t.Helper()
	b, err := os.ReadFile(p.db + ".gateway-token")
	if err != nil {
		t.Fatalf("the gateway token: %v\n%s", err, p.stderr)
	}
	return string(b)
}

func postReadings(t *testing.T, p *parkd, token, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", p.base+"/api/v1/telemetry", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	} else {
		req.Header.Set(headerAnon, "1")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := res.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return res.StatusCode, b.String()
}

func oneReading(sensor string, v float64) string {
	return fmt.Sprintf(`{"readings":[{"sensor":%q,"t":%q,"value":%v}]}`, sensor, time.Now().UTC().Format(time.RFC3339Nano), v)
}

// Without a tokens file parkd makes a token, keeps it beside the database
// for its owner only, and logs the file and the token's fingerprint, not
// the token. Readings posted with it are taken, without it refused; a
// restart keeps the same token.
func TestGatewayTokenIsKeptBesideTheDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "parktwin.db")
	p := startParkd(t, db, "PARKD_SIMULATE=false")
	tok := gatewayToken(t, p)
	file := db + ".gateway-token"
	fi, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("the token file's mode: %v, want -rw-------", got)
	}
	sum := sha256.Sum256([]byte(tok))
	log := p.stderr.String()
	if strings.Contains(log, tok) {
		t.Errorf("the token is in the log:\n%s", log)
	}
	if want := "token_sha256=" + hex.EncodeToString(sum[:4]); !strings.Contains(log, want) || !strings.Contains(log, file) {
		t.Errorf("the log names neither %s nor %s:\n%s", want, file, log)
	}
	if status, b := postReadings(t, p, "", oneReading("SEN-00002", 12)); status != 401 {
		t.Errorf("without a token: %d %s", status, b)
	}
	if status, b := postReadings(t, p, tok, oneReading("SEN-00002", 12)); status != 200 || !strings.Contains(b, `"accepted":1`) {
		t.Errorf("with the token: %d %s", status, b)
	}
	if err := p.stop(t); err != nil {
		t.Fatal(err)
	}
	p = startParkd(t, db, "PARKD_SIMULATE=false")
	if got := gatewayToken(t, p); got != tok {
		t.Errorf("after a restart the token is %s…, want the one from before, %s…", got[:8], tok[:8])
	}
	if status, b := postReadings(t, p, tok, oneReading("SEN-00002", 13)); status != 200 || !strings.Contains(b, `"accepted":1`) {
		t.Errorf("with the token after a restart: %d %s", status, b)
	}
}

func TestGatewayTokensFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "gateways.txt")
	os.WriteFile(file, []byte("# name token\n东区网关 0123456789abcdef0123456789abcdef\n西区网关 fedcba9876543210fedcba9876543210\n"), 0o600)
	p := startParkd(t, filepath.Join(dir, "parktwin.db"), "PARKD_SIMULATE=false", "PARKD_GATEWAY_TOKENS="+file)
	if _, err := os.Stat(filepath.Join(dir, "parktwin.db.gateway-token")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a token was made although a tokens file was given: %v", err)
	}
	for _, tok := range []string{"0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"} {
		if status, b := postReadings(t, p, tok, oneReading("SEN-00002", 12)); status != 200 {
			t.Errorf("token %s: %d %s", tok, status, b)
		}
	}
	os.WriteFile(file, []byte("东区网关\n"), 0o600)
	if _, err := launch(filepath.Join(dir, "other.db"), "PARKD_GATEWAY_TOKENS="+file); err == nil || !strings.Contains(err.Error(), "gateways.txt:1") {
		t.Errorf("a bad tokens file: %v", err)
	}
}

// The simulator feeds every sensor through the same ingest as a gateway:
// within seconds of starting the sensors have values.
func TestSimulatorBringsThePark(t *testing.T) {
	p := startParkd(t, filepath.Join(t.TempDir(), "parktwin.db"))
	deadline := time.Now().Add(20 * time.Second)
	for {
		var fc struct {
			Features []struct {
				Properties struct {
					Value *float64 `json:"value"`
				} `json:"properties"`
			} `json:"features"`
		}
		if err := json.Unmarshal(get(t, p.base+"/api/v1/sensors"), &fc); err != nil {
			t.Fatal(err)
		}
		with := 0
		for _, f := range fc.Features {
			if f.Properties.Value != nil {
				with++
			}
		}
		if len(fc.Features) > 1000 && with == len(fc.Features) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d sensors have a value", with, len(fc.Features))
		}
		time.Sleep(100 * time.Millisecond)
	}
}
