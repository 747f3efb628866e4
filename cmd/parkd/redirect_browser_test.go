package main

import (
	"context"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestLoginNextStaysOnTheServer logs in from login pages whose ?next=
// names another origin in the spellings the URL parser turns into one (a
// tab it drops, a backslash it reads as a slash, a scheme): each lands on
// this server's console, and a path of this server is still followed.
func TestLoginNextStaysOnTheServer(t *testing.T) {
	p := startParkd(t, filepath.Join(t.TempDir(), "parktwin.db"), "PARKD_SIMULATE=false")
	for _, tt := range []struct{ next, want string }{
		{"/\t/evil.example/phish", "/"},
		{"/\\evil.example/phish", "/"},
		{"\\\\evil.example", "/"},
		{"https://evil.example/", "/"},
		{"//evil.example", "/"},
		{"/ui/audit.html?user=admin", "/ui/audit.html?user=admin"},
	} {
		ctx := browser(t) // a browser of its own: no session carried over
		if err := chromedp.Do(ctx,
			chromedp.Navigate(p.base+"/ui/login.html?next="+url.QueryEscape(tt.next)),
			chromedp.WaitVisible(chromedp.CSS("#login-user")),
			chromedp.SendKeys(chromedp.CSS("#login-user"), "admin"),
			chromedp.SendKeys(chromedp.CSS("#login-password"), testAdminPassword),
			chromedp.Click(chromedp.CSS("#login-submit")),
		); err != nil {
			t.Fatal(err)
		}
		got := leftLogin(t, ctx)
		if got != p.base+tt.want {
			t.Errorf("next=%q: landed on %s, want %s", tt.next, got, p.base+tt.want)
		}
	}
}

// leftLogin waits, through the navigation, until the page is no longer
// the login page, and says where it is.
func leftLogin(t *testing.T, ctx context.Context) string {
	t.Helper()
	const js = `document.readyState === "complete" && location.pathname !== "/ui/login.html" ? location.href : ""`
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		ectx, cancel := context.WithTimeout(ctx, 5*time.Second)
		s, err := chromedp.Run(ectx, chromedp.Evaluate[string](js))
		cancel()
		if err == nil && s != "" {
			return s
		}
		time.Sleep(50 * time.Millisecond) // a navigation under way: ask again
	}
	t.Fatal("the login page was never left")
	return ""
}
