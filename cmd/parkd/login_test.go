package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// testAdminPassword is the first administrator's password of every
// parkd the tests start, given with --admin-password-file.
const testAdminPassword = "parkd-test-admin-password"

// tokens are the administrator's API tokens of the parkd processes the
// tests started, by host:port, made on first use.
var tokens sync.Map

// headerAnon asks the test client to send a request without credentials.
const headerAnon = "X-Test-Anonymous"

// signer signs the tests' requests that carry no credentials of their
// own with an administrator's token of their server, so that the tests
// written before users existed act as someone.
type signer struct{ next http.RoundTripper }

func (s signer) RoundTrip(req *http.Request) (*http.Response, error) {
	anon := req.Header.Get(headerAnon) != ""
	req = req.Clone(req.Context())
	req.Header.Del(headerAnon)
	if !anon && req.Header.Get("Authorization") == "" && req.Header.Get("Cookie") == "" &&
		req.URL.Path != "/api/v1/login" && req.URL.Path != "/healthz" {
		tok, err := adminToken(req.URL.Scheme + "://" + req.URL.Host)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	return s.next.RoundTrip(req)
}

// adminToken returns an administrator's token on the parkd at base: it
// logs in as admin with the tests' password and asks for one.
func adminToken(base string) (string, error) {
	if tok, ok := tokens.Load(base); ok {
		return tok.(string), nil
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	var me struct{ CSRF string }
	if err := postJSON(c, base+"/api/v1/login", "", fmt.Sprintf(`{"user":"admin","password":%q}`, testAdminPassword), &me); err != nil {
		return "", err
	}
	var tok struct{ Token string }
	if err := postJSON(c, base+"/api/v1/tokens", me.CSRF, `{"name":"tests","role":"admin"}`, &tok); err != nil {
		return "", err
	}
	actual, _ := tokens.LoadOrStore(base, tok.Token)
	return actual.(string), nil
}

func postJSON(c *http.Client, url, csrf, body string, v any) error {
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if csrf != "" {
		req.Header.Set("X-CSRF-Token", csrf)
	}
	res, err := c.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(res.Body)
	if res.StatusCode >= 300 {
		return fmt.Errorf("POST %s: %s %s", url, res.Status, b.Bytes())
	}
	return json.Unmarshal(b.Bytes(), v)
}

// passwordFile writes the tests' administrator password beside db and
// returns the environment that gives it to parkd.
func passwordFile(db string) (string, error) {
	path := db + ".test-password"
	if err := os.WriteFile(path, []byte(testAdminPassword+"\n"), 0o600); err != nil {
		return "", err
	}
	return "PARKD_ADMIN_PASSWORD_FILE=" + path, nil
}

// navigate loads url in the browser and, when the console sends it to
// the login page, logs in as the administrator, which brings it back.
func navigate(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	// The console learns it has no session once its modules run, and
	// then goes to the login page: wait for the one or the other.
	if pageState(t, ctx, "topbar", "login") == "topbar" {
		return
	}
	if err := chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.CSS("#login-user")),
		chromedp.SendKeys(chromedp.CSS("#login-user"), "admin"),
		chromedp.SendKeys(chromedp.CSS("#login-password"), testAdminPassword),
		chromedp.Click(chromedp.CSS("#login-submit")),
	); err != nil {
		t.Fatal(err)
	}
	pageState(t, ctx, "topbar")
}

// pageState waits, through navigations, until the page is in one of the
// states wanted: the login page ("login") or a page of the console whose
// session is known ("topbar": its user's name is shown); it says which.
func pageState(t *testing.T, ctx context.Context, want ...string) string {
	t.Helper()
	const js = `document.readyState !== "complete" ? "" :
		location.pathname === "/ui/login.html" ? "login" :
		(document.querySelector("#user-name") && document.querySelector("#user-name").textContent !== "") ? "topbar" :
		document.querySelector("#topbar") ? "" : "other"`
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		ectx, cancel := context.WithTimeout(ctx, 5*time.Second)
		s, err := chromedp.Run(ectx, chromedp.Evaluate[string](js))
		cancel()
		if err == nil && slices.Contains(want, s) {
			return s
		}
		time.Sleep(50 * time.Millisecond) // a navigation under way: ask again
	}
	t.Fatalf("the page became none of %v", want)
	return ""
}

// Without --admin-password-file the first start makes admin with a random
// password, shown once on stderr and kept beside the database for its
// owner alone; it logs in. The next start makes none and shows nothing.
func TestFirstAdministrator(t *testing.T) {
	db := filepath.Join(t.TempDir(), "parktwin.db")
	p := startParkd(t, db, "PARKD_ADMIN_PASSWORD_FILE=", "PARKD_SIMULATE=false")
	path := db + ".admin-password"
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("no password file: %v\n%s", err, p.stderr)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %v, want 0600", path, fi.Mode().Perm())
	}
	b, _ := os.ReadFile(path)
	pw := strings.TrimSpace(string(b))
	if len(pw) < 20 || !strings.Contains(p.stderr.String(), pw) {
		t.Fatalf("the password %q is not the one shown:\n%s", pw, p.stderr)
	}
	var me struct{ User, Role string }
	if err := postJSON(&http.Client{}, p.base+"/api/v1/login", "", fmt.Sprintf(`{"user":"admin","password":%q}`, pw), &me); err != nil || me.Role != "admin" {
		t.Fatalf("login with the shown password: %+v %v", me, err)
	}
	if err := p.stop(t); err != nil {
		t.Fatal(err)
	}
	p2 := startParkd(t, db, "PARKD_ADMIN_PASSWORD_FILE=", "PARKD_SIMULATE=false")
	if strings.Contains(p2.stderr.String(), pw) || strings.Contains(p2.stderr.String(), "first start") {
		t.Errorf("the second start shows a password:\n%s", p2.stderr)
	}
}
