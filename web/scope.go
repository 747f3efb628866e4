package web

// The scopes of the route table: an enterprise user acts on its own
// enterprise's part of the park, a keeper on its own warehouses; and a
// dispatcher leaves level I and II incidents to a commander. Another
// enterprise's entity is answered 404, as if it did not exist, so that
// its IDs tell nothing; a filter or a new entity naming another
// enterprise is 403.

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"parktwin/twin"
	"parktwin/twin/msg"
	"parktwin/web/auth"
)

// own narrows an enterprise user to the entities of kind k of its
// enterprise (a hazard unit's grading through its unit).
func (s *Server) own(k twin.Kind) func(*fiber.Ctx, auth.Identity) error {
	return func(c *fiber.Ctx, id auth.Identity) error {
		if id.Role != auth.Enterprise || !byEnterprise[k] {
			return nil
		}
		snap := s.twin.Snapshot()
		e, ok := snap.Get(k, c.Params("id"))
		if !ok || enterpriseOf(snap, e) != id.Enterprise {
			return twin.Errorf(twin.ENOTFOUND, "id", "no %s %s", k, c.Params("id"))
		}
		return nil
	}
}

// ownList narrows an enterprise user's list to its enterprise, as
// ?enterprise= does.
func ownList(c *fiber.Ctx, id auth.Identity) error {
	if id.Role != auth.Enterprise {
		return nil
	}
	if q := c.Query("enterprise"); q != "" && q != id.Enterprise {
		return twin.Reasoned(twin.EFORBIDDEN, "enterprise", "an enterprise user reads its own enterprise alone", msg.New("error.ownEnterprise"))
	}
	if strings.HasSuffix(c.Path(), "/chemicals") {
		return nil // not filtered: the catalogue is no enterprise's
	}
	c.Request().URI().QueryArgs().Set("enterprise", id.Enterprise)
	return nil
}

// ownStream narrows an enterprise user's stream to its enterprise and to
// the layers filtered by enterprise (and the park's own).
func (s *Server) ownStream(c *fiber.Ctx, id auth.Identity) error {
	if id.Role != auth.Enterprise {
		return nil
	}
	if q := c.Query("enterprise"); q != "" && q != id.Enterprise {
		return twin.Reasoned(twin.EFORBIDDEN, "enterprise", "an enterprise user reads its own enterprise alone", msg.New("error.ownEnterprise"))
	}
	mine := s.enterpriseLayers()
	// Kept for the stream's subscribe messages, which may not reach
	// further than ?layers= may (clientSays).
	c.Locals(mayReadKey, mine)
	args := c.Request().URI().QueryArgs()
	if q := c.Query("layers"); q != "" {
		for _, n := range strings.Split(q, ",") {
			if n = strings.TrimSpace(n); n != "" && !slices.Contains(mine, n) {
				return layerForbidden(n)
			}
		}
	} else {
		args.Set("layers", strings.Join(mine, ","))
	}
	args.Set("enterprise", id.Enterprise)
	return nil
}

// mayReadKey keys, among a stream request's user values, the layers an
// enterprise user may read; a string, as the websocket package copies
// only those to its connection.
const mayReadKey = "parktwin.mayRead"

// enterpriseLayers returns the layers an enterprise user may read: those
// filtered by enterprise, and the park's own.
func (s *Server) enterpriseLayers() []string {
	allowed := []string{layerOf(twin.KindPark), layerOf(twin.KindChemical)}
	for _, k := range twin.Kinds {
		if byEnterprise[k] {
			allowed = append(allowed, layerOf(k))
		}
	}
	var mine []string
	for _, n := range s.hub.layerNames() {
		if slices.Contains(allowed, n) {
			mine = append(mine, n)
		}
	}
	return mine
}

// ownNewDanger lets an enterprise user register hidden dangers of its
// own enterprise alone.
func ownNewDanger(c *fiber.Ctx, id auth.Identity) error {
	if id.Role != auth.Enterprise {
		return nil
	}
	var f struct {
		Properties struct {
			Enterprise string `json:"enterprise"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(c.Body(), &f); err != nil {
		return twin.Errorf(twin.EMALFORMED, "", "not a Feature: %v", err)
	}
	if f.Properties.Enterprise != id.Enterprise {
		return twin.Errorf(twin.EFORBIDDEN, "properties.enterprise", "an enterprise user registers its own enterprise's hidden dangers alone")
	}
	return nil
}

// keeps narrows a keeper to the warehouses it keeps.
func keeps(k twin.Kind) func(*fiber.Ctx, auth.Identity) error {
	if k != twin.KindWarehouse {
		return nil
	}
	return func(c *fiber.Ctx, id auth.Identity) error {
		if id.Role == auth.Keeper && !id.Keeps(c.Params("id")) {
			return twin.Errorf(twin.EFORBIDDEN, "id", "%s does not keep warehouse %s", id.User, c.Params("id"))
		}
		return nil
	}
}

// KeepsWarehouse reports whether the request's caller may change the
// warehouse's stock: a keeper of it, or any other role the route lets
// in. For the routes of a warehouse's ledger.
func KeepsWarehouse(c *fiber.Ctx, warehouse string) bool {
	id, ok := identityOf(c)
	return ok && (id.Role != auth.Keeper || id.Keeps(warehouse))
}

// grave leaves the actions on level I and II incidents to a commander:
// a dispatcher's are refused.
func (s *Server) grave(c *fiber.Ctx, id auth.Identity) error {
	if id.Role != auth.Dispatcher {
		return nil
	}
	inc, ok := twin.Lookup[*twin.Incident](s.twin.Snapshot(), c.Params("id"))
	if ok && (inc.Level == twin.LevelI || inc.Level == twin.LevelII) {
		return twin.Reasoned(twin.EFORBIDDEN, "", fmt.Sprintf("incident %s is level %s: a commander's", inc.ID, inc.Level),
			msg.New("error.graveIncident", "incident", inc.ID, "level", inc.Level.String()))
	}
	return nil
}

// layerForbidden is the refusal of a layer, l, an enterprise user does
// not read: in ?layers= (403) or a subscribe message (its close, 4403).
func layerForbidden(l string) *twin.Error {
	return twin.Reasoned(twin.EFORBIDDEN, "layers", "an enterprise user does not read the layer "+l, msg.New("error.layerForbidden", "layer", l))
}
