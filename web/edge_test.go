package web_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gorilla/websocket"

	"parktwin/park"
	"parktwin/twin"
	"parktwin/twin/bolt"
	"parktwin/twin/demo"
	"parktwin/web"
)

// startEdgeHost serves the demo park through a Host that knows its names:
// 127.0.0.1 and localhost on its port, as parkd's defaults are.
func startEdgeHost(t *testing.T) (string, *park.Instance) {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "park.db"))
	if err != nil {
		t.Fatal(err)
	}
	live, err := park.Open(context.Background(), park.Config{Store: db, History: db,
		Seed: func(ctx context.Context, tw *twin.Twin) error {
			_, err := tw.Apply(ctx, twin.Creates(demo.Generate(1, 1)...)...)
			return err
		}})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	svc := openAuth(t, db)
	host := web.NewHost(live, web.HostConfig{Auth: svc, Journal: db,
		Hosts: []string{"127.0.0.1:" + port, "localhost:" + port}})
	go host.Serve(ln)
	serving("http://"+ln.Addr().String(), svc)
	t.Cleanup(func() {
		host.Shutdown(context.Background())
		live.Close()
		db.Close()
	})
	return "http://" + ln.Addr().String(), live
}

// request sends method to url with headers; host, when set, is the Host
// header (the name the client thinks it reached).
func request(t *testing.T, method, url, host, body string, h http.Header) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range h {
		req.Header[k] = vs
	}
	if host != "" {
		req.Host = host
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, string(b)
}

// DNS rebinding: a page at rebound.example, whose name now resolves to
// parkd's address, sends its requests with Host: rebound.example. Every
// one is refused with 421, the live park's and a sandbox's alike, and a
// name of the server passes.
func TestHostReboundIsRefused(t *testing.T) {
	base, live := startEdgeHost(t)
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(base, "http://"))
	rebound := "rebound.example:" + port
	tank := firstID[*twin.Tank](live.Twin())
	for _, tc := range []struct{ method, path, body string }{
		{"GET", "/api/v1/park", ""},
		{"GET", "/", ""},
		{"PATCH", "/api/v1/tanks/" + tank, `{"properties":{"maxFill":0.5}}`},
		{"POST", "/api/v1/twins", `{"speed":0}`},
		{"GET", "/api/v1/twins/SBX-01/park", ""},
	} {
		status, b := request(t, tc.method, base+tc.path, rebound, tc.body, http.Header{"Content-Type": {"application/json"}})
		if status != http.StatusMisdirectedRequest || !strings.Contains(b, `"error":"misdirected"`) {
			t.Errorf("%s %s with Host %s: %d %s, want 421", tc.method, tc.path, rebound, status, b)
		}
	}
	if status, b := request(t, "GET", base+"/api/v1/park", "localhost:"+port, "", nil); status != 200 {
		t.Errorf("Host localhost:%s: %d %s", port, status, b)
	}
	// The stream, too: a rebound page would pass the Origin check (its
	// Origin is its Host), so the Host check must stop it.
	url := "ws" + strings.TrimPrefix(base, "http") + "/api/v1/stream"
	_, res, err := websocket.DefaultDialer.Dial(url, http.Header{"Host": {rebound}, "Origin": {"http://" + rebound}})
	if err == nil || res == nil || res.StatusCode != http.StatusMisdirectedRequest {
		t.Errorf("stream from a rebound page: %v %v, want 421", err, res)
	}
	// A page elsewhere that reaches parkd by a right name is no better.
	// (It is signed in: the Origin is refused, not the caller.)
	signed := "Bearer " + tokenFor("127.0.0.1:"+port, "测试员")
	_, res, err = websocket.DefaultDialer.Dial(url, http.Header{"Origin": {"http://rebound.example:" + port}, "Authorization": {signed}})
	if err == nil || res == nil || res.StatusCode != http.StatusForbidden {
		t.Errorf("stream from a foreign origin: %v %v, want 403", err, res)
	}
}

// A form on another site posts text/plain (a "simple" request: no
// preflight), its body a JSON text. It must not run: 415, and nothing
// changes. Nor does a no-cors fetch with no body from another origin.
func TestCrossSitePostIsRefused(t *testing.T) {
	base, live := startEdgeHost(t)
	tw := live.Twin()
	seq := tw.Snapshot().Seq()
	tank := firstID[*twin.Tank](tw)
	body := `{"type":"tank-fire","entity":"` + tank + `","level":"III","reporter":"值班员"}`
	status, b := request(t, "POST", base+"/api/v1/incidents", "", body, http.Header{"Content-Type": {"text/plain"}})
	if status != http.StatusUnsupportedMediaType || !strings.Contains(b, "unsupported_media_type") {
		t.Errorf("text/plain POST: %d %s, want 415", status, b)
	}
	status, b = request(t, "POST", base+"/api/v1/twins", "", `{"speed":0}`, http.Header{"Content-Type": {"application/x-www-form-urlencoded"}})
	if status != http.StatusUnsupportedMediaType {
		t.Errorf("form POST: %d %s, want 415", status, b)
	}
	status, b = request(t, "POST", base+"/api/v1/twins", "", "", http.Header{"Origin": {"http://elsewhere.example"}})
	if status != http.StatusForbidden {
		t.Errorf("a bodyless POST from another origin: %d %s, want 403", status, b)
	}
	if got := tw.Snapshot().Seq(); got != seq {
		t.Errorf("seq %d after the refused requests, want %d", got, seq)
	}
	if status, b := request(t, "GET", base+"/api/v1/twins", "", "", nil); status != 200 || strings.Contains(b, "SBX-") {
		t.Errorf("twins after the refused requests: %d %s", status, b)
	}
	// What the console and clients send passes: JSON, a merge patch, a
	// bodyless POST from the server's own page.
	status, b = request(t, "PATCH", base+"/api/v1/tanks/"+tank, "", `{"properties":{"maxFill":0.8}}`,
		http.Header{"Content-Type": {"application/merge-patch+json"}})
	if status != 200 {
		t.Errorf("merge patch: %d %s", status, b)
	}
	status, b = request(t, "POST", base+"/api/v1/twins", "", "", http.Header{"Origin": {base}})
	if status != http.StatusCreated {
		t.Errorf("a bodyless POST from the console: %d %s", status, b)
	}
}

// A stream client's close reason must fit a close frame (123 bytes), or
// the library sends none and the client sees only a dropped connection.
func TestStreamCloseReasonFits(t *testing.T) {
	base, _, _ := startServer(t)
	conn := dial(t, base, "?layers=roads", nil)
	next(t, conn)
	long := strings.Repeat("层", 200)
	if err := conn.WriteJSON(map[string]any{"type": "subscribe", "layers": []string{long}}); err != nil {
		t.Fatal(err)
	}
	err := closeOf(conn)
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != web.CloseBadClient {
		t.Fatalf("an unknown long layer: %v, want close %d", err, web.CloseBadClient)
	}
	if len(ce.Text) > 123 || !strings.Contains(ce.Text, "unknown layer") {
		t.Errorf("close reason of %d bytes: %q", len(ce.Text), ce.Text)
	}
}
