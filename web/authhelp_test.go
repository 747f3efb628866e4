package web_test

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/alexedwards/argon2id"
	"github.com/gorilla/websocket"

	"parktwin/twin/bolt"
	"parktwin/web/auth"
)

// cheap are argon2id parameters for tests alone: a login costs
// microseconds, not the production's tens of milliseconds.
var cheap = argon2id.Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// The tests' servers, by host:port: their auth services and the tokens
// issued there for each name. The client below signs every request with
// one of them, so that the tests written before users existed still act
// as someone.
var (
	servers sync.Map // host:port → *auth.Service
	// issued is keyed by the service, not the address: a port the
	// system hands out again to a later test's server must not bring an
	// earlier server's token with it (a 401 now and then).
	issued sync.Map // issuedKey → token
)

// Headers the test client reads and strips: X-Test-As names who acts
// (an administrator's token of that name); X-Test-Anonymous sends the
// request without credentials.
const (
	anonymous  = "anonymous" // post's token for none
	headerAs   = "X-Test-As"
	headerAnon = "X-Test-Anonymous"
)

func TestMain(m *testing.M) {
	http.DefaultClient.Transport = signer{http.DefaultTransport}
	os.Exit(m.Run())
}

// openAuth opens the users, tokens and sessions of db's file, as parkd
// does, with cheap hashes and the test gateway's token, for a server
// about to serve.
func openAuth(t testing.TB, db *bolt.DB) *auth.Service {
	t.Helper()
	users, err := db.Records("users")
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := db.Records("tokens")
	if err != nil {
		t.Fatal(err)
	}
	sessions, err := db.Records("sessions")
	if err != nil {
		t.Fatal(err)
	}
	svc, err := auth.Open(auth.Config{Users: users, Tokens: tokens, Sessions: sessions, Params: &cheap,
		Gateways: []auth.GatewayToken{{Name: "测试网关", Token: testToken}}})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// serving records the auth service of the server at base.
func serving(base string, svc *auth.Service) {
	u, _ := url.Parse(base)
	servers.Store(u.Host, svc)
}

// tokenFor returns the token of name (made an administrator) on the
// server at host.
func tokenFor(host, name string) string {
	v, ok := servers.Load(host)
	if !ok {
		return ""
	}
	svc := v.(*auth.Service)
	key := issuedKey{svc, name}
	if tok, ok := issued.Load(key); ok {
		return tok.(string)
	}
	tok, _, err := svc.IssueToken(auth.NewToken{Name: name, Role: auth.Admin}, "test")
	if err != nil {
		panic(err)
	}
	actual, _ := issued.LoadOrStore(key, tok)
	return actual.(string)
}

// issuedKey names a token issued by tokenFor: the server's service and
// the token's name.
type issuedKey struct {
	svc  *auth.Service
	name string
}

// roleToken issues a token of a role (and scope) on the server at base.
func roleToken(t testing.TB, base string, nt auth.NewToken) string {
	t.Helper()
	u, _ := url.Parse(base)
	v, ok := servers.Load(u.Host)
	if !ok {
		t.Fatalf("no server at %s", base)
	}
	tok, _, err := v.(*auth.Service).IssueToken(nt, "test")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// signer signs a request that carries no credentials with the token of
// its X-Test-As name, "测试员" by default.
type signer struct{ next http.RoundTripper }

func (s signer) RoundTrip(req *http.Request) (*http.Response, error) {
	as, anon := req.Header.Get(headerAs), req.Header.Get(headerAnon) != ""
	req = req.Clone(req.Context())
	req.Header.Del(headerAs)
	req.Header.Del(headerAnon)
	if !anon && req.Header.Get("Authorization") == "" && req.Header.Get("Cookie") == "" {
		if as == "" {
			as = "测试员"
		}
		if tok := tokenFor(req.URL.Host, as); tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
	}
	return s.next.RoundTrip(req)
}

// wsDial opens a websocket as the tests' default user, unless h carries
// credentials of its own.
func wsDial(u string, h http.Header) (*websocket.Conn, *http.Response, error) {
	return websocket.DefaultDialer.Dial(u, signed(u, h))
}

// signed returns h with the default user's token for the server of u,
// unless it carries credentials of its own (a token or a session's
// cookie).
func signed(u string, h http.Header) http.Header {
	h = h.Clone()
	if h == nil {
		h = http.Header{}
	}
	if h.Get("Authorization") == "" && h.Get("Cookie") == "" {
		pu, _ := url.Parse(u)
		if tok := tokenFor(pu.Host, "测试员"); tok != "" {
			h.Set("Authorization", "Bearer "+tok)
		}
	}
	return h
}

// doAs is do as name.
func doAs(t testing.TB, name, method, url, body string) (int, []byte, http.Header) {
	t.Helper()
	return doWith(t, method, url, body, http.Header{headerAs: {name}})
}

// authAlone opens an auth service on a file of its own, for a server
// whose twin has none.
func authAlone(t testing.TB) *auth.Service {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "users.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return openAuth(t, db)
}
