package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"parktwin/twin"
	"parktwin/web"
	"parktwin/web/auth"
)

// roleTokens issues a token of every role on the server at base: the
// enterprise's for ent, the keeper's for WH-01.
func roleTokens(t *testing.T, base, ent string) map[auth.Role]string {
	t.Helper()
	out := map[auth.Role]string{}
	for _, r := range auth.AllRoles {
		nt := auth.NewToken{Name: "as-" + r.String(), Role: r}
		switch r {
		case auth.Enterprise:
			nt.Enterprise = ent
		case auth.Keeper:
			nt.Warehouses = []string{"WH-01"}
		}
		out[r] = roleToken(t, base, nt)
	}
	return out
}

// fill puts a value in every parameter of a route's path.
func fill(path string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, ":") || p == "*" {
			parts[i] = "X-0"
		}
	}
	return strings.Join(parts, "/")
}

// guarded reports whether an answer is the guard's refusal: 401, or 403
// with the guard's message ("a viewer may not …").
func guarded(status int, body []byte) (int, bool) {
	var e struct{ Error, Message string }
	json.Unmarshal(body, &e)
	switch {
	case status == http.StatusUnauthorized:
		return status, true
	case status == http.StatusForbidden && strings.HasPrefix(e.Message, "a ") && strings.Contains(e.Message, " may not "):
		return status, true
	}
	return status, false
}

// TestRouteTable walks both tables — the host's, and the twin's as served
// for the live park and for a sandbox (where planners may do everything)
// — and calls every guarded route anonymously (401), as every role it does
// not allow (403 from the guard) and as every role it allows (past the
// guard: whatever the handler then says of the body {"bogus":1}, which
// no handler takes, so nothing is changed).
func TestRouteTable(t *testing.T) {
	base, live, host := startHost(t)
	var ent string
	for e := range twin.All[*twin.Enterprise](live.Twin().Snapshot()) {
		ent = e.ID
		break
	}
	sb := newSandbox(t, base, `{"speed":0}`)
	tokens := roleTokens(t, base, ent)
	hostRoutes, twinRoutes := host.RouteTable()

	type call struct {
		method, url string
		roles       auth.Roles
	}
	var calls []call
	for _, rt := range hostRoutes {
		if rt.Forward || rt.Public {
			continue
		}
		calls = append(calls, call{rt.Method, base + fill(rt.Path), rt.Roles})
	}
	for _, rt := range twinRoutes {
		if rt.Public {
			continue
		}
		inSandbox := rt.Roles.Add(auth.Planner)
		if rt.Own {
			inSandbox = rt.Roles
		}
		calls = append(calls, call{rt.Method, base + fill(rt.Path), rt.Roles},
			call{rt.Method, base + "/api/v1/twins/" + sb.ID + strings.TrimPrefix(fill(rt.Path), "/api/v1"), inSandbox})
	}
	for _, c := range calls {
		method := c.method
		if method == "ALL" {
			method = http.MethodGet
		}
		body := ""
		if method != http.MethodGet {
			body = `{"bogus":1}`
		}
		st, b, _ := doWith(t, method, c.url, body, http.Header{headerAnon: {"1"}})
		if st != http.StatusUnauthorized {
			t.Errorf("%s %s anonymously: %d %s, want 401", method, c.url, st, b)
		}
		for _, r := range auth.AllRoles {
			st, b, _ := doWith(t, method, c.url, body, http.Header{"Authorization": {"Bearer " + tokens[r]}})
			st, refused := guarded(st, b)
			if c.roles.Allows(r) && refused {
				t.Errorf("%s %s as %s: %d %s, want past the guard", method, c.url, r, st, b)
			}
			if !c.roles.Allows(r) && (!refused || st != http.StatusForbidden) {
				t.Errorf("%s %s as %s: %d %s, want the guard's 403", method, c.url, r, st, b)
			}
		}
	}
	if len(calls) < 100 {
		t.Errorf("%d calls: the tables are shorter than they should be", len(calls))
	}
}

// Every route is public or names its roles; the public ones read, but for
// the login.
func TestRouteTableShape(t *testing.T) {
	_, _, host := startHost(t)
	hostRoutes, twinRoutes := host.RouteTable()
	for _, rt := range append(hostRoutes, twinRoutes...) {
		switch {
		case rt.Forward:
		case rt.Public && rt.Method != http.MethodGet && rt.Path != "/api/v1/login":
			t.Errorf("%s %s is public and not a read", rt.Method, rt.Path)
		case !rt.Public && rt.Roles == 0:
			t.Errorf("%s %s names no role", rt.Method, rt.Path)
		}
	}
}

// docs/security.md lists the route tables as they are (-update writes
// them).
func TestSecurityDoc(t *testing.T) {
	_, _, host := startHost(t)
	hostRoutes, twinRoutes := host.RouteTable()
	var b strings.Builder
	b.WriteString("<!-- routes: written by `go test ./web -run TestSecurityDoc -update` from the tables in web/routes.go -->\n\n")
	b.WriteString("The host's routes (the live park's console and API are served beside them):\n\n")
	writeTable(&b, hostRoutes, false)
	b.WriteString("\nEach twin's routes, at `/api/v1` for the live park and at `/api/v1/twins/{twin}` for a sandbox, drill or replay (there planners may call every one, and a replay answers reads alone):\n\n")
	writeTable(&b, twinRoutes, true)
	b.WriteString("\n<!-- /routes -->")
	const path = "../docs/security.md"
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	start, end := strings.Index(string(doc), "<!-- routes"), strings.Index(string(doc), "<!-- /routes -->")
	if start < 0 || end < start {
		t.Fatalf("%s has no <!-- routes --> … <!-- /routes --> section", path)
	}
	got := string(doc[:start]) + b.String() + string(doc[end+len("<!-- /routes -->"):])
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got != string(doc) {
		t.Errorf("%s's route tables are not the tables in web/routes.go: go test ./web -run TestSecurityDoc -update", path)
	}
}

func writeTable(b *strings.Builder, rs []web.TableRoute, twinTable bool) {
	b.WriteString("| method | path | who may |\n|---|---|---|\n")
	for _, rt := range rs {
		who := ""
		switch {
		case rt.Public:
			who = "anyone"
		case rt.Forward:
			who = "the twin's table"
		default:
			var names []string
			for _, r := range rt.Roles.List() {
				names = append(names, r.String())
			}
			who = strings.Join(names, ", ")
			if rt.Own {
				who += " (in a sandbox, drill or replay too: not planners there)"
			}
			if rt.Fields != nil {
				who += " (all but admin may set only `" + strings.Join(rt.Fields, "`, `") + "`; any other field is 403 naming it)"
			}
		}
		path, note := rt.Path, ""
		if twinTable {
			path = strings.TrimPrefix(path, "/api/v1")
			if path == rt.Path {
				note = " (the twin's root, not under the API)"
			}
		}
		fmt.Fprintf(b, "| %s | `%s`%s | %s |\n", rt.Method, braced(path), note, who)
	}
}

func braced(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if n, ok := strings.CutPrefix(s, ":"); ok {
			parts[i] = "{" + n + "}"
		}
	}
	return strings.Join(parts, "/")
}
