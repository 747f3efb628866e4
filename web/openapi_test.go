package web_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"
)

// forwarded reports whether a route hands requests on to a twin's own
// server (a sandbox's, a replay's): the API those serve is the live
// park's, described once, as the document's description says.
func forwarded(method, path string) bool {
	return strings.Contains(path, "*") ||
		(path == "/api/v1/twins/:twin" && method != "GET" && method != "DELETE") ||
		method == "OPTIONS"
}

// TestOpenAPIDescribesEveryRoute holds the served document to the routes
// the host registers: each route documented, each documented operation
// registered, the document valid and its examples valid against their
// schemas.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	base, _, host := startHostWith(t, "")
	status, b, h := do(t, "GET", base+"/api/v1/openapi.json", "")
	if status != 200 || h.Get("Content-Type") != "application/json" {
		t.Fatalf("openapi.json: %d %s", status, h.Get("Content-Type"))
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background(), openapi3.EnableExamplesValidation()); err != nil {
		t.Fatalf("the document is not valid: %v", err)
	}

	var registered []string
	for _, r := range host.Routes() {
		if forwarded(r.Method, r.Path) || r.Path == "/ui/*" {
			continue
		}
		registered = append(registered, r.Method+" "+openapiPath(r.Path))
	}
	var documented []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented = append(documented, method+" "+path)
		}
	}
	slices.Sort(registered)
	slices.Sort(documented)
	if diff := cmp.Diff(registered, documented); diff != "" {
		t.Errorf("routes (-registered, not documented; +documented, not registered):\n%s", diff)
	}
}

// openapiPath writes a fiber path (/tanks/:id) as OpenAPI does
// (/tanks/{id}).
func openapiPath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if name, ok := strings.CutPrefix(s, ":"); ok {
			segs[i] = "{" + name + "}"
		}
	}
	return strings.Join(segs, "/")
}
