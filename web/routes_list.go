package web

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Route is a route the host serves: its method and its path in fiber's
// syntax (/api/v1/tanks/:id).
type Route struct {
	Method, Path string
}

// Routes returns every route the host serves, its own and the live
// park's, sorted, without the HEAD routes fiber adds for each GET and
// without middleware: what the OpenAPI document must describe.
func (h *Host) Routes() []Route {
	var out []Route
	for _, app := range []*fiber.App{h.app, h.live.srv.app} {
		for _, r := range app.GetRoutes(true) {
			if r.Method == fiber.MethodHead || r.Method == fiber.MethodConnect || r.Method == fiber.MethodTrace {
				continue
			}
			out = append(out, Route{Method: r.Method, Path: r.Path})
		}
	}
	slices.SortFunc(out, func(a, b Route) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		return strings.Compare(a.Method, b.Method)
	})
	return slices.Compact(out)
}
