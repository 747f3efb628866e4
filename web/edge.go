package web

// The network edge: what a request must be before any route sees it. A
// page the duty officer opens elsewhere must not reach the API through
// the browser: not by a name that resolves to parkd (DNS rebinding: the
// Host check), not by a form or a no-cors fetch (the content type and the
// Origin of a change), not by a foreign page opening the stream.

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"mime"
	"net"
	"net/url"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"parktwin/twin"
	"parktwin/twin/msg"
)

// hostList is the names a request's Host may carry: "name:port" matches
// that name on that port, a bare "name" the name on any port. Names
// compare without regard to case.
type hostList []string

// allows reports whether host (a Host header, or an Origin's host) is one
// of the list. An empty list allows every host: a server made without
// names (a test's) checks nothing.
func (l hostList) allows(host string) bool {
	if len(l) == 0 {
		return true
	}
	host = strings.ToLower(host)
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	}
	for _, want := range l {
		want = strings.ToLower(want)
		if want == host {
			return true
		}
		if _, _, err := net.SplitHostPort(want); err != nil && strings.Trim(want, "[]") == strings.Trim(name, "[]") {
			return true
		}
	}
	return false
}

// checkHost refuses a request whose Host is not one of the server's names
// with 421 Misdirected Request (RFC 9110 §15.5.20): parkd is not the
// server that name is meant for.
func checkHost(hosts hostList) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if host := c.Get(fiber.HeaderHost); !hosts.allows(host) {
			return fiber.NewError(fiber.StatusMisdirectedRequest,
				"host "+quote(host)+" is not a name of this server (see --hosts)")
		}
		return c.Next()
	}
}

// quote bounds and quotes a value from a request for an error message.
func quote(s string) string {
	if len(s) > 100 {
		s = s[:100] + "…"
	}
	return `"` + strings.ToValidUTF8(s, "?") + `"`
}

// originAllowed reports whether a browser page at origin may act on the
// server: an origin given in the configuration, or one whose host is a
// name of the server (the request's own Host when no names are set).
func originAllowed(origin, host string, hosts hostList, origins []string) bool {
	if slices.Contains(origins, origin) {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return false
	}
	if len(hosts) == 0 {
		return strings.EqualFold(u.Host, host)
	}
	return hosts.allows(u.Host)
}

// The media types a changing request's body may have. JSON for every
// route; a Feature's own type where a Feature is sent; a merge patch's on
// PATCH; YAML for a scenario uploaded.
var (
	jsonTypes     = []string{fiber.MIMEApplicationJSON, "application/geo+json"}
	patchTypes    = append(slices.Clip(jsonTypes), "application/merge-patch+json")
	scenarioTypes = append(slices.Clip(jsonTypes), "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
	// A ledger's import (JSON passes here to be refused by the route, after
	// its guard): none is a type a cross-site form may send.
	importTypes = append(slices.Clip(jsonTypes), "text/csv", xlsxType)
)

// bodyTypes returns the media types a changing request to path may send.
func bodyTypes(method, path string) []string {
	switch {
	case method == fiber.MethodPatch:
		return patchTypes
	case path == "/api/v1/scenarios":
		return scenarioTypes
	case strings.HasSuffix(path, "/ledger/import"):
		return importTypes
	}
	return jsonTypes
}

// checkChange refuses a changing request a browser could send from
// another site without asking (a "simple" request): a body whose type is
// not one the route takes (415: a text/plain form post never runs), and
// a request from a page whose Origin is not the server's (403: a no-cors
// fetch with no body). Requests with neither body nor type (POST
// …/plan) are what the console and API clients send and pass.
func checkChange(hosts hostList, origins []string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if !isChange(c.Method()) {
			return c.Next()
		}
		if o := c.Get(fiber.HeaderOrigin); o != "" && !originAllowed(o, c.Get(fiber.HeaderHost), hosts, origins) {
			return twin.Reasoned(twin.EFORBIDDEN, "", fmt.Sprintf("a page at %s may not change this server", quote(o)), msg.New("error.origin", "origin", o))
		}
		ct := c.Get(fiber.HeaderContentType)
		if ct == "" && len(c.Body()) == 0 {
			return c.Next()
		}
		typ, _, err := mime.ParseMediaType(ct)
		want := bodyTypes(c.Method(), c.Path())
		if err != nil || !slices.Contains(want, typ) {
			return fiber.NewError(fiber.StatusUnsupportedMediaType,
				"content type "+quote(ct)+" is not taken here: send "+strings.Join(want, " or "))
		}
		return c.Next()
	}
}

// ContentPolicy is the Content-Security-Policy of every answer: the
// console's own scripts, styles, images and connections (its stream is
// same-origin), nothing inline (no <script> body, no on… attribute, no
// style attribute in markup), nothing from elsewhere (the map draws the
// park's own layers: there are no tiles to fetch), no plugins, no <base>,
// and no page of another site may frame it. A name with markup that
// slipped past the console's escaping still runs nothing.
const ContentPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// pageHeaders gives every answer its Content-Security-Policy and tells
// browsers to take its content type as given (nosniff): a JSON answer
// holding markup is never read as a page, nor a text as a script. A
// route with other needs (an after-action report's inline style) sets
// its own policy after this.
func pageHeaders(c *fiber.Ctx) error {
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderContentSecurityPolicy, ContentPolicy)
	return c.Next()
}

// reportPolicy is the Content-Security-Policy of an after-action report's
// HTML page, which stands alone to be saved and printed: its CSS inline,
// in <style> elements, each allowed by its hash; its map inline SVG. No
// script at all, nothing fetched.
func reportPolicy(page []byte) string {
	var b strings.Builder
	b.WriteString("default-src 'none'; style-src")
	rest, n := page, 0
	for {
		_, after, ok := bytes.Cut(rest, []byte("<style>"))
		if !ok {
			break
		}
		body, tail, ok := bytes.Cut(after, []byte("</style>"))
		if !ok {
			break
		}
		sum := sha256.Sum256(body)
		b.WriteString(" 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'")
		rest, n = tail, n+1
	}
	if n == 0 {
		b.WriteString(" 'none'")
	}
	b.WriteString("; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	return b.String()
}
