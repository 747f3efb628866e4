package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The tests run parkd as a real child process: the test binary started
// again with PARKD_TEST_CHILD set runs main, configured by the PARKD_*
// environment variables, so that it can be killed with SIGKILL.
func TestMain(m *testing.M) {
	if os.Getenv("PARKD_TEST_CHILD") == "1" {
		os.Args = os.Args[:1]
		main()
		os.Exit(0)
	}
	http.DefaultClient.Transport = signer{http.DefaultTransport}
	os.Exit(m.Run())
}

type parkd struct {
	cmd    *exec.Cmd
	base   string
	db     string
	stderr *safeBuffer
	exited chan struct{}
	err    error
}

type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *safeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var addrPattern = regexp.MustCompile(`addr=(127\.0\.0\.1:\d+)`)

// startParkd starts parkd on db with the given environment and waits until
// it serves; it fails the test if parkd exits first.
func startParkd(t testing.TB, db string, env ...string) *parkd {
	t.Helper()
	p, err := launch(db, env...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.kill() })
	return p
}

func launch(db string, env ...string) (*parkd, error) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	pwEnv, err := passwordFile(db)
	if err != nil {
		return nil, err
	}
	cmd.Env = append(os.Environ(), "PARKD_TEST_CHILD=1", "PARKD_ADDR=127.0.0.1:0", "PARKD_DB="+db, pwEnv)
	cmd.Env = append(cmd.Env, env...)
	pr, pw := io.Pipe()
	p := &parkd{cmd: cmd, db: db, stderr: &safeBuffer{}, exited: make(chan struct{})}
	cmd.Stderr = io.MultiWriter(p.stderr, pw)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		p.err = cmd.Wait()
		pw.Close()
		close(p.exited)
	}()
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if m := addrPattern.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
				break
			}
		}
		io.Copy(io.Discard, pr)
	}()
	select {
	case addr := <-found:
		p.base = "http://" + addr
		return p, nil
	case <-p.exited:
		return nil, fmt.Errorf("parkd exited before serving: %v\n%s", p.err, p.stderr)
	case <-time.After(60 * time.Second):
		p.kill()
		return nil, fmt.Errorf("parkd did not start in time:\n%s", p.stderr)
	}
}

func (p *parkd) kill() {
	p.cmd.Process.Kill()
	<-p.exited
	p.forget()
}

// forget drops the tests' token for p's address: the system may give the
// port to a later parkd, on another database, where it would be refused.
func (p *parkd) forget() {
	if p.base != "" {
		tokens.Delete(p.base)
	}
}

// stop sends SIGTERM and returns the exit error.
func (p *parkd) stop(t testing.TB) error {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
		p.forget()
		return p.err
	case <-time.After(30 * time.Second):
		t.Fatalf("parkd did not stop on SIGTERM:\n%s", p.stderr)
		return nil
	}
}

func get(t testing.TB, url string) []byte {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", url, res.StatusCode, b)
	}
	return b
}

type parkInfo struct {
	Seq    uint64         `json:"seq"`
	Counts map[string]int `json:"counts"`
}

func readPark(t testing.TB, p *parkd) parkInfo {
	t.Helper()
	var info parkInfo
	if err := json.Unmarshal(get(t, p.base+"/api/v1/park"), &info); err != nil {
		t.Fatal(err)
	}
	return info
}

func TestServesTheDemoParkAndStopsCleanly(t *testing.T) {
	db := filepath.Join(t.TempDir(), "parktwin.db")
	p := startParkd(t, db)
	first := readPark(t, p)
	if first.Counts["tanks"] < 400 || first.Counts["enterprises"] < 60 {
		t.Fatalf("demo park counts: %v", first.Counts)
	}
	if page := get(t, p.base+"/"); !bytes.Contains(page, []byte("<html")) {
		t.Errorf("the console page is not HTML: %.100s", page)
	}
	if err := p.stop(t); err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, p.stderr)
	}
	// A restart finds the park and does not seed it again (the
	// monitoring may have added records since: seq only grows).
	p2 := startParkd(t, db)
	got := readPark(t, p2)
	for _, k := range []string{"enterprises", "tanks", "sensors", "roads", "teams", "gradings"} {
		if got.Counts[k] != first.Counts[k] {
			t.Errorf("after restart: %s %d, want %d", k, got.Counts[k], first.Counts[k])
		}
	}
	if got.Seq < first.Seq {
		t.Errorf("after restart: seq %d, was %d", got.Seq, first.Seq)
	}
}

func TestSecondParkdOnTheSameFileIsRefused(t *testing.T) {
	db := filepath.Join(t.TempDir(), "parktwin.db")
	startParkd(t, db)
	_, err := launch(db)
	if err == nil || !strings.Contains(err.Error(), "in use by another process") {
		t.Fatalf("second parkd: %v", err)
	}
}

// Create targets from many clients at once, SIGKILL parkd in the middle,
// restart it: every create that got a 201 is there.
func TestKillLosesNothingAcknowledged(t *testing.T) {
	db := filepath.Join(t.TempDir(), "parktwin.db")
	p := startParkd(t, db)

	var (
		mu    sync.Mutex
		acked []string
		wg    sync.WaitGroup
	)
	client := &http.Client{Timeout: 10 * time.Second, Transport: signer{http.DefaultTransport}}
	for w := range 16 {
		wg.Go(func() {
			for i := 0; ; i++ {
				body := fmt.Sprintf(`{"type":"Feature","geometry":{"type":"Point","coordinates":[120.85,30.10]},
					"properties":{"name":"压测点 %d-%d","type":"office","population":%d}}`, w, i, i)
				res, err := client.Post(p.base+"/api/v1/targets", "application/geo+json", strings.NewReader(body))
				if err != nil {
					return // parkd is gone
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != 201 {
					continue
				}
				var f struct{ ID string }
				if json.Unmarshal(b, &f) == nil {
					mu.Lock()
					acked = append(acked, f.ID)
					mu.Unlock()
				}
			}
		})
	}
	// Kill once a stream of commands is under way.
	deadline := time.Now().Add(30 * time.Second)
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 500 || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.exited
	wg.Wait()
	if len(acked) < 500 {
		t.Fatalf("only %d creates acknowledged before the kill", len(acked))
	}

	p2 := startParkd(t, db)
	var fc struct {
		Features []struct{ ID string } `json:"features"`
	}
	if err := json.Unmarshal(get(t, p2.base+"/api/v1/targets"), &fc); err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, f := range fc.Features {
		have[f.ID] = true
	}
	missing := 0
	for _, id := range acked {
		if !have[id] {
			missing++
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d acknowledged creates lost after SIGKILL", missing, len(acked))
	}
	t.Logf("%d creates acknowledged before SIGKILL, %d targets after restart", len(acked), len(fc.Features))
}

// Two generator runs give the same export, and an export loaded with
// --park into a fresh database exports the same bytes again.
func TestParkFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	a := startParkd(t, filepath.Join(dir, "a.db"))
	b := startParkd(t, filepath.Join(dir, "b.db"))
	exportA, exportB := get(t, a.base+"/api/v1/export"), get(t, b.base+"/api/v1/export")
	if !bytes.Equal(exportA, exportB) {
		t.Fatal("two demo parks from the same seed export differently")
	}
	file := filepath.Join(dir, "park.geojson")
	if err := os.WriteFile(file, exportA, 0o600); err != nil {
		t.Fatal(err)
	}
	c := startParkd(t, filepath.Join(dir, "c.db"), "PARKD_PARK="+file)
	if exportC := get(t, c.base+"/api/v1/export"); !bytes.Equal(exportC, exportA) {
		t.Fatalf("export → import → export differs:\n%s", firstDiff(exportC, exportA))
	}
	// --park into a database that already holds a park is refused.
	a.stop(t)
	_, err := launch(filepath.Join(dir, "a.db"), "PARKD_PARK="+file)
	if err == nil || !strings.Contains(err.Error(), "only into an empty database") {
		t.Errorf("--park on a full database: %v", err)
	}
}

func TestBadParkFileIsNamed(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "park.geojson")
	bad := `{"type":"FeatureCollection","features":[
{"type":"Feature","id":"PARK","geometry":{"type":"Polygon","coordinates":[[[120.8,30.14],[120.9,30.14],[120.9,30.2],[120.8,30.2],[120.8,30.14]]]},"properties":{"kind":"park","name":"测试园区"}},
{"type":"Feature","id":"TGT-01","geometry":{"type":"Point","coordinates":[120.85,30.1]},"properties":{"kind":"target","name":"村","type":"residential","population":-5}}]}`
	os.WriteFile(file, []byte(bad), 0o600)
	_, err := launch(filepath.Join(dir, "x.db"), "PARKD_PARK="+file)
	if err == nil || !strings.Contains(err.Error(), "TGT-01") || !strings.Contains(err.Error(), "population") {
		t.Fatalf("bad park file: %v", err)
	}
}

func firstDiff(a, b []byte) string {
	la, lb := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := range min(len(la), len(lb)) {
		if !bytes.Equal(la[i], lb[i]) {
			return fmt.Sprintf("line %d:\n%s\n%s", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("%d lines against %d", len(la), len(lb))
}

// BenchmarkStartup measures a database holding the ×10 demo park, from
// process start to answering /healthz (ns/op), and reports the part of it
// parkd's own log gives as its start-up (ms/run: from opening the file to
// serving, in run); the rest is the process's start (exec, the runtime,
// package initialisation) and the first request.
func BenchmarkStartup(b *testing.B) {
	db := filepath.Join(b.TempDir(), "x10.db")
	p, err := launch(db, "PARKD_DEMO_SCALE=10")
	if err != nil {
		b.Fatal(err)
	}
	if err := p.stop(b); err != nil {
		b.Fatal(err)
	}
	var inRun time.Duration
	for b.Loop() {
		p, err := launch(db)
		if err != nil {
			b.Fatal(err)
		}
		res, err := http.Get(p.base + "/healthz")
		if err != nil {
			p.kill()
			b.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			p.kill()
			b.Fatalf("/healthz: %s", res.Status)
		}
		b.StopTimer()
		m := startupPattern.FindStringSubmatch(p.stderr.String())
		if m == nil {
			p.kill()
			b.Fatalf("no start-up in parkd's log:\n%s", p.stderr)
		}
		d, err := time.ParseDuration(m[1])
		if err != nil {
			p.kill()
			b.Fatal(err)
		}
		inRun += d
		if err := p.stop(b); err != nil && !errors.Is(err, os.ErrProcessDone) {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(inRun.Microseconds())/1e3/float64(b.N), "ms/run")
}

// startupPattern finds the start-up parkd logs when it serves.
var startupPattern = regexp.MustCompile(`startup=(\S+)`)
