package web_test

// The holes an attacker's review of issue 11 found, each held shut.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/gorilla/websocket"

	"parktwin/park"
	"parktwin/twin"
	"parktwin/twin/bolt"
	"parktwin/twin/demo"
	"parktwin/web"
	"parktwin/web/auth"
)

// loginCookie logs name in from the default address and returns the
// session's cookie header and CSRF token.
func loginSession(t *testing.T, base, name, password string) (cookie, csrf string) {
	t.Helper()
	st, b, h := doWith(t, "POST", base+"/api/v1/login", `{"user":"`+name+`","password":"`+password+`"}`, http.Header{headerAnon: {"1"}})
	if st != 200 {
		t.Fatalf("login %s: %d %s", name, st, b)
	}
	cookie, _, _ = strings.Cut(h.Get("Set-Cookie"), ";")
	var me struct{ CSRF string }
	json.Unmarshal(b, &me)
	return cookie, me.CSRF
}

func loginCookie(t *testing.T, base, name, password string) string {
	t.Helper()
	cookie, _ := loginSession(t, base, name, password)
	return cookie
}

func createUser(t *testing.T, base, body string) {
	t.Helper()
	if st, b, _ := do(t, "POST", base+"/api/v1/users", body); st != 201 {
		t.Fatalf("create a user: %d %s", st, b)
	}
}

// endsWith reads conn until it ends and reports its close code, failing
// the test on a message that carries one of the layers in forbidden.
func endsWith(t *testing.T, conn *websocket.Conn, forbidden ...string) int {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		_, b, err := conn.ReadMessage()
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			return ce.Code
		}
		if err != nil {
			t.Fatalf("the connection ended without a close: %v", err)
		}
		var m msg
		json.Unmarshal(b, &m)
		var layers map[string]json.RawMessage
		json.Unmarshal(m.Layers, &layers)
		for _, l := range forbidden {
			if _, ok := layers[l]; ok || m.Layer == l {
				t.Fatalf("a %s message carries the layer %s", m.Type, l)
			}
		}
	}
}

// An enterprise user's subscribe message may not reach a layer that its
// ?layers= may not: it is closed with CloseForbidden and sent none of
// them. Before, every layer asked for was sent.
func TestEnterpriseSubscribeHeldToItsLayers(t *testing.T) {
	base, live, _ := startHost(t)
	_, _, ent := twoEnterprises(t, live.Twin())
	tok := roleToken(t, base, auth.NewToken{Name: "企业安全员", Role: auth.Enterprise, Enterprise: ent})
	conn := dial(t, base, "", http.Header{"Authorization": {"Bearer " + tok}})
	if m := next(t, conn); m.Type != "snapshot" {
		t.Fatalf("first message: %s", m.Type)
	}
	forbidden := []string{"incidents", "teams", "warehouses", "tasks", "gradings", "roads", "zones", "targets"}
	b, _ := json.Marshal(map[string]any{"type": "subscribe", "layers": forbidden})
	if err := conn.WriteMessage(websocket.TextMessage, b); err != nil {
		t.Fatal(err)
	}
	if code := endsWith(t, conn, forbidden...); code != web.CloseForbidden {
		t.Errorf("closed with %d, want %d", code, web.CloseForbidden)
	}
	// Its own layers it may still subscribe to again.
	conn = dial(t, base, "?layers=tanks", http.Header{"Authorization": {"Bearer " + tok}})
	next(t, conn)
	conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"subscribe","layers":["sensors"]}`))
	if m := nextOf(t, conn, "snapshot", "subscribed"); m.Type == "" {
		t.Error("no answer to its own layer")
	}
}

// Logins sent at once cannot try more passwords than the lockout lets
// through one by one: of 60 (59 wrong, 1 right) at most UserFailures
// are checked, the others refused 429. Before, all 60 were checked.
func TestParallelLoginsCounted(t *testing.T) {
	// The production's hashes: with the tests' cheap ones a check ends
	// before the next login begins, and the race is never run.
	base := startHostHashing(t, auth.Params)
	createUser(t, base, `{"name":"值班员李","role":"duty-officer","password":"correct horse battery"}`)
	start := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	for i := range 60 {
		pw := "wrong password " + string(rune('A'+i%26))
		if i == 30 {
			pw = "correct horse battery"
		}
		wg.Go(func() {
			<-start
			st, _, _ := doWith(t, "POST", base+"/api/v1/login", `{"user":"值班员李","password":"`+pw+`"}`, http.Header{headerAnon: {"1"}})
			mu.Lock()
			statuses[st]++
			mu.Unlock()
		})
	}
	close(start)
	wg.Wait()
	if checked := statuses[200] + statuses[401]; checked > auth.UserFailures || statuses[429] < 60-auth.UserFailures {
		t.Errorf("60 logins at once: %v, want at most %d checked and the rest 429", statuses, auth.UserFailures)
	}
}

// startHostHashing serves the demo park as startHost does, its users'
// passwords hashed with params.
func startHostHashing(t *testing.T, params argon2id.Params) string {
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
	live.Start()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	users, _ := db.Records("users")
	tokens, _ := db.Records("tokens")
	svc, err := auth.Open(auth.Config{Users: users, Tokens: tokens, Params: &params})
	if err != nil {
		t.Fatal(err)
	}
	host := web.NewHost(live, web.HostConfig{Auth: svc, Journal: db, Store: db})
	go host.Serve(ln)
	serving("http://"+ln.Addr().String(), svc)
	t.Cleanup(func() {
		host.Shutdown(context.Background())
		live.Close()
		db.Close()
	})
	return "http://" + ln.Addr().String()
}

// One user logging in again and again ends its own oldest sessions, not
// fills the server: its 21st login ends its first session, the others'
// are untouched.
func TestSessionsCappedPerUser(t *testing.T) {
	base, _, _ := startHost(t)
	createUser(t, base, `{"name":"值班员赵","role":"duty-officer","password":"correct horse battery"}`)
	createUser(t, base, `{"name":"值班员钱","role":"duty-officer","password":"correct horse battery"}`)
	other := loginCookie(t, base, "值班员钱", "correct horse battery")
	var cookies []string
	for range 21 {
		cookies = append(cookies, loginCookie(t, base, "值班员赵", "correct horse battery"))
	}
	me := func(cookie string) int {
		st, _, _ := doWith(t, "GET", base+"/api/v1/me", "", http.Header{"Cookie": {cookie}})
		return st
	}
	if st := me(cookies[0]); st != 401 {
		t.Errorf("the first of 21 sessions: %d, want 401 (ended)", st)
	}
	if st := me(cookies[20]); st != 200 {
		t.Errorf("the last session: %d", st)
	}
	if st := me(other); st != 200 {
		t.Errorf("another user's session: %d", st)
	}
}

// A revoked token, a disabled user, a logout end the stream and the
// gateway's socket opened with them at once, with CloseEnded.
func TestEndedCredentialClosesSockets(t *testing.T) {
	base, _, _ := startHost(t)
	ws := "ws" + strings.TrimPrefix(base, "http")
	revoke := func(tok string) {
		t.Helper()
		sum := sha256.Sum256([]byte(tok))
		if st, b, _ := do(t, "DELETE", base+"/api/v1/tokens/"+hex.EncodeToString(sum[:])[:12], ""); st != 204 && st != 200 {
			t.Fatalf("revoke: %d %s", st, b)
		}
	}

	t.Run("token/stream", func(t *testing.T) {
		tok := roleToken(t, base, auth.NewToken{Name: "大屏", Role: auth.Viewer})
		conn := dial(t, base, "", http.Header{"Authorization": {"Bearer " + tok}})
		next(t, conn)
		revoke(tok)
		if code := endsWith(t, conn); code != web.CloseEnded {
			t.Errorf("closed with %d, want %d", code, web.CloseEnded)
		}
	})
	t.Run("token/telemetry", func(t *testing.T) {
		tok := roleToken(t, base, auth.NewToken{Name: "西区网关", Role: auth.Gateway})
		conn, _, err := wsDial(ws+"/api/v1/telemetry/ws", http.Header{"Authorization": {"Bearer " + tok}})
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		revoke(tok)
		if code := endsWith(t, conn); code != web.CloseEnded {
			t.Errorf("closed with %d, want %d", code, web.CloseEnded)
		}
	})
	t.Run("disabled/stream", func(t *testing.T) {
		createUser(t, base, `{"name":"duty-sun","role":"duty-officer","password":"correct horse battery"}`)
		conn := dial(t, base, "", http.Header{"Cookie": {loginCookie(t, base, "duty-sun", "correct horse battery")}})
		next(t, conn)
		if st, b, _ := do(t, "PATCH", base+"/api/v1/users/duty-sun", `{"disabled":true}`); st != 200 {
			t.Fatalf("disable: %d %s", st, b)
		}
		if code := endsWith(t, conn); code != web.CloseEnded {
			t.Errorf("closed with %d, want %d", code, web.CloseEnded)
		}
	})
	t.Run("logout/stream", func(t *testing.T) {
		createUser(t, base, `{"name":"值班员周","role":"duty-officer","password":"correct horse battery"}`)
		cookie, csrf := loginSession(t, base, "值班员周", "correct horse battery")
		conn := dial(t, base, "", http.Header{"Cookie": {cookie}})
		next(t, conn)
		if st, b, _ := doWith(t, "POST", base+"/api/v1/logout", "", http.Header{"Cookie": {cookie}, web.CSRFHeader: {csrf}}); st != 204 {
			t.Fatalf("logout: %d %s", st, b)
		}
		if code := endsWith(t, conn); code != web.CloseEnded {
			t.Errorf("closed with %d, want %d", code, web.CloseEnded)
		}
	})
}

// Wrong passwords from one address lock the name for that address alone:
// the right password from another still logs in. Before, five guesses
// from anywhere locked the user out for Window.
func TestLockoutPerAddress(t *testing.T) {
	base, _, _ := startHost(t)
	createUser(t, base, `{"name":"值班员吴","role":"duty-officer","password":"correct horse battery"}`)
	// 127.0.0.2 is the loopback too: another address to the server.
	from2 := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.2")}}
		return d.DialContext(ctx, network, addr)
	}}}
	login := func(c *http.Client, pw string) int {
		t.Helper()
		res, err := c.Post(base+"/api/v1/login", "application/json", strings.NewReader(`{"user":"值班员吴","password":"`+pw+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	for range auth.UserFailures {
		login(from2, "not the password")
	}
	if st := login(from2, "correct horse battery"); st != 429 {
		t.Errorf("the right password from the guessing address: %d, want 429", st)
	}
	if st := login(&http.Client{}, "correct horse battery"); st != 200 {
		t.Errorf("the right password from another address: %d, want 200", st)
	}
}
