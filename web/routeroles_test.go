package web_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"parktwin/web"
)

// braces writes a fiber path as the docs do: /orders/:id → /orders/{id}.
func bracesOf(path string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if name, ok := strings.CutPrefix(p, ":"); ok {
			parts[i] = "{" + name + "}"
		}
	}
	return strings.Join(parts, "/")
}

// routeRolesJS renders the roles of the host's and the live twin's
// tables (web/routes.go) as the console's module web/ui/routeroles.js:
// for each guarded route, "METHOD /path/{param}" → the roles that may
// call it, and whether a planner may call it too in a sandbox (a twin's
// route its own roles do not keep). The console offers an action only to
// the roles its route allows (web/ui/can.js).
func routeRolesJS(host, twinRoutes []web.TableRoute) []byte {
	type entry struct {
		Roles   []string `json:"roles"`
		Sandbox bool     `json:"sandbox,omitempty"`
		Grave   bool     `json:"grave,omitempty"`
	}
	out := map[string]entry{}
	add := func(rs []web.TableRoute, twin bool) {
		for _, r := range rs {
			if r.Public || r.Forward || r.Method == "ALL" {
				continue
			}
			key := r.Method + " " + bracesOf(r.Path)
			if _, ok := out[key]; ok {
				continue // the first route of a path answers (fiber's order)
			}
			names := []string{}
			for _, role := range r.Roles.List() {
				names = append(names, role.String())
			}
			out[key] = entry{Roles: names, Sandbox: twin && !r.Own, Grave: r.Grave}
		}
	}
	add(twinRoutes, true)
	add(host, false)
	keys := make([]string, 0, len(out))
	for k := range out {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b bytes.Buffer
	b.WriteString("// routeroles.js — who may call each route of parkd, for the console's\n")
	b.WriteString("// buttons (can.js). Generated from the route table (web/routes.go) by\n")
	b.WriteString("// `go test ./web -run TestRouteRolesJS -update`: do not edit by hand.\n\n")
	b.WriteString("/**\n * ROUTE_ROLES maps \"METHOD /api/v1/path/{param}\" to the roles its route allows\n")
	b.WriteString(" * (roles), whether a planner may call it too in a sandbox (sandbox), and\n")
	b.WriteString(" * whether on a level I or II incident it is a commander's, not a dispatcher's (grave).\n */\n")
	b.WriteString("export const ROUTE_ROLES = {\n")
	for _, k := range keys {
		kj, _ := json.Marshal(k)
		vj, _ := json.Marshal(out[k])
		b.WriteString("  " + string(kj) + ": " + string(vj) + ",\n")
	}
	b.WriteString("};\n")
	return b.Bytes()
}

// The console's copy of the route table's roles is the table's: the
// module parkd serves at /ui/routeroles.js is what the host's and the
// live twin's tables give. It fails when a route or its roles change and
// web/ui/routeroles.js was not made again.
func TestRouteRolesJS(t *testing.T) {
	const path = "ui/routeroles.js"
	base, _, host := startHost(t)
	got := routeRolesJS(host.RouteTable())
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	status, served, _ := do(t, "GET", base+"/ui/routeroles.js", "")
	if status != 200 {
		t.Fatalf("GET /ui/routeroles.js: %d", status)
	}
	if !bytes.Equal(got, served) {
		t.Errorf("the served %s is not what the route table gives: run go test ./web -run TestRouteRolesJS -update\ngot:\n%s", path, got)
	}
	// The table as the browser reads it: a viewer may call no change, a
	// duty officer acknowledges an alarm, a dispatcher does not.
	for _, c := range []struct {
		key, role string
		may       bool
	}{
		{"POST /api/v1/alarms/{id}/ack", "duty-officer", true},
		{"POST /api/v1/alarms/{id}/ack", "dispatcher", false},
		{"POST /api/v1/alarms/{id}/ack", "viewer", false},
		{"POST /api/v1/incidents/{id}/state", "dispatcher", true},
		{"POST /api/v1/incidents/{id}/state", "viewer", false},
		{"POST /api/v1/handovers/{id}/sign", "duty-officer", true},
		{"POST /api/v1/drills", "planner", true},
		{"POST /api/v1/drills", "viewer", false},
	} {
		re := regexp.MustCompile(regexp.QuoteMeta(`"`+c.key+`": {"roles":[`) + `([^\]]*)\]`)
		m := re.FindSubmatch(served)
		if m == nil {
			t.Errorf("%s is not in the served table", c.key)
			continue
		}
		if has := bytes.Contains(m[1], []byte(`"`+c.role+`"`)); has != c.may {
			t.Errorf("%s: %s listed %v, want %v", c.key, c.role, has, c.may)
		}
	}
}

// canCall matches the console's calls of can(method, path) in web/ui.
var canCall = regexp.MustCompile(`\bcan\(\s*"([A-Z]+)",\s*"([^"]+)"`)

// Every route the console asks can() about is a route of the table: a
// route renamed or removed fails here rather than hiding a button for
// everyone.
func TestCanNamesRoutes(t *testing.T) {
	_, _, host := startHost(t)
	h, tw := host.RouteTable()
	known := map[string]bool{}
	for _, r := range append(h, tw...) {
		known[r.Method+" "+bracesOf(r.Path)] = true
	}
	files, err := os.ReadDir("ui")
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	for _, f := range files {
		if !strings.HasSuffix(f.Name(), ".js") {
			continue
		}
		b, err := os.ReadFile("ui/" + f.Name())
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range canCall.FindAllSubmatch(b, -1) {
			calls++
			if key := string(m[1]) + " " + string(m[2]); !known[key] {
				t.Errorf("ui/%s asks can(%q, %q): no such route in web/routes.go", f.Name(), m[1], m[2])
			}
		}
	}
	if calls < 10 {
		t.Errorf("only %d calls of can() found in web/ui: the console's buttons ask it", calls)
	}
}
