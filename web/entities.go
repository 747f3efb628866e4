package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"parktwin/twin"
	"parktwin/twin/msg"
	"parktwin/twin/telemetry"
	"parktwin/web/auth"
)

// The collections of the REST API: GET lists a kind as a FeatureCollection
// (chemicals as a plain JSON list), POST creates from a Feature, and
// /{id} reads, patches (RFC 7386 merge patch of the Feature) or deletes one.

func (s *Server) list(k twin.Kind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		snap := s.twin.Snapshot()
		ent := c.Query("enterprise")
		if ent != "" && !byEnterprise[k] {
			return twin.Invalid("enterprise", "the %s are not filtered by enterprise", k.Path())
		}
		if err := checkEnterprise(snap, ent); err != nil {
			return err
		}
		setSeq(c, snap.Seq())
		var b bytes.Buffer
		if err := writeLayer(&b, snap, k, c.Query("state"), s.values(), ent); err != nil {
			return err
		}
		if k == twin.KindChemical {
			c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
		} else {
			c.Set(fiber.HeaderContentType, "application/geo+json")
		}
		return c.Send(b.Bytes())
	}
}

// writeLayer writes a kind as the REST API and the stream show it: a
// FeatureCollection (sensors with their latest values, alarms filtered
// by state), chemicals as a JSON list; with ent, only the entities of
// that enterprise (see enterpriseOf).
func writeLayer(b *bytes.Buffer, snap *twin.Snapshot, k twin.Kind, states string, values map[string]telemetry.Value, ent string) error {
	if ent != "" && k != twin.KindSensor && k != twin.KindAlarm {
		var fs [][]byte
		for e := range snap.Entities(k) {
			if enterpriseOf(snap, e) != ent {
				continue
			}
			f, err := twin.EncodeFeature(e)
			if err != nil {
				return err
			}
			fs = append(fs, f)
		}
		writeFeatures(b, fs)
		return nil
	}
	switch k {
	case twin.KindChemical:
		list := make([]chemicalJSON, 0, snap.Len(k))
		for ch := range twin.All[*twin.Chemical](snap) {
			list = append(list, chemicalJSON{CAS: ch.CAS, Chemical: ch})
		}
		return json.NewEncoder(b).Encode(list)
	case twin.KindSensor:
		return writeSensors(b, snap, values, ent)
	case twin.KindAlarm:
		return writeAlarms(b, snap, states, ent)
	}
	return twin.WriteCollection(b, snap, k)
}

// writeSensors writes the sensors with their latest values.
func writeSensors(b *bytes.Buffer, snap *twin.Snapshot, values map[string]telemetry.Value, ent string) error {
	var fs [][]byte
	for e := range snap.Entities(twin.KindSensor) {
		if ent != "" && enterpriseOf(snap, e) != ent {
			continue
		}
		v, ok := values[e.EntityID()]
		f, err := sensorFeature(e, v, ok)
		if err != nil {
			return err
		}
		fs = append(fs, f)
	}
	writeFeatures(b, fs)
	return nil
}

// writeAlarms writes the alarms in the states asked for, newest first.
func writeAlarms(b *bytes.Buffer, snap *twin.Snapshot, states string, ent string) error {
	want, err := alarmStates(states)
	if err != nil {
		return err
	}
	var fs [][]byte
	for a := range twin.All[*twin.Alarm](snap) {
		if want != nil && !want[a.State] || ent != "" && a.Enterprise != ent {
			continue
		}
		f, err := twin.EncodeFeature(a)
		if err != nil {
			return err
		}
		fs = append(fs, f)
	}
	slices.Reverse(fs)
	writeFeatures(b, fs)
	return nil
}

// writeAlarmsKept writes the alarms not closed and the latest closed
// ones, closed of them (all when negative), newest first; with ent, that
// enterprise's alone. The latest are the last raised: alarm IDs follow
// the order they were raised in.
func writeAlarmsKept(b *bytes.Buffer, snap *twin.Snapshot, ent string, closed int) error {
	if closed < 0 {
		return writeAlarms(b, snap, "", ent)
	}
	as := make([]*twin.Alarm, 0, snap.Len(twin.KindAlarm))
	for a := range twin.All[*twin.Alarm](snap) {
		if ent == "" || a.Enterprise == ent {
			as = append(as, a)
		}
	}
	var fs [][]byte
	for i := len(as) - 1; i >= 0; i-- {
		a := as[i]
		if a.State == twin.AlarmClosed {
			if closed == 0 {
				continue
			}
			closed--
		}
		f, err := twin.EncodeFeature(a)
		if err != nil {
			return err
		}
		fs = append(fs, f)
	}
	writeFeatures(b, fs)
	return nil
}

func writeFeatures(b *bytes.Buffer, fs [][]byte) {
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	for i, f := range fs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
		b.Write(f)
	}
	b.WriteString("\n]}\n")
}

// chemicalJSON is a catalogue entry as the chemicals list shows it: the
// Feature's properties with the CAS number.
type chemicalJSON struct {
	CAS string `json:"cas"`
	*twin.Chemical
}

func (s *Server) get(k twin.Kind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		snap := s.twin.Snapshot()
		e, ok := snap.Get(k, c.Params("id"))
		if !ok {
			return twin.NotFound(k, c.Params("id"))
		}
		setSeq(c, snap.Seq())
		setETag(c, snap.Version(k, e.EntityID()))
		switch e := e.(type) {
		case *twin.Chemical:
			return c.JSON(chemicalJSON{CAS: e.CAS, Chemical: e})
		case *twin.Sensor:
			var v float64
			var ts time.Time
			ok := false
			if s.mon != nil {
				v, ts, ok = s.mon.Latest(e.ID)
			}
			f, err := sensorFeature(e, telemetry.Value{Value: v, T: ts}, ok)
			if err != nil {
				return err
			}
			c.Set(fiber.HeaderContentType, "application/geo+json")
			return c.Send(f)
		case *twin.Warehouse:
			return sendFeature(c, fiber.StatusOK, snap.WithStock(e)) // its ledger's stock
		}
		return sendFeature(c, fiber.StatusOK, e)
	}
}

func (s *Server) create(k twin.Kind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		body, err := jsonBody(c)
		if err != nil {
			return err
		}
		e, err := twin.DecodeFeatureOf(k, body)
		if err != nil {
			return err
		}
		evs, err := s.twin.Apply(c.UserContext(), twin.Create{Entity: e})
		if err != nil {
			return err
		}
		ev := evs[0] // a warehouse's opening ledger entries follow it
		setSeq(c, evs[len(evs)-1].Seq)
		setETag(c, ev.Seq)
		c.Location(s.base + "/" + k.Path() + "/" + ev.ID)
		return sendFeature(c, fiber.StatusCreated, s.shown(ev.Entity))
	}
}

func (s *Server) patch(k twin.Kind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		body, err := jsonBody(c)
		if err != nil {
			return err
		}
		if list, ok := replacesList(body); ok && list == "properties.stock" && k == twin.KindWarehouse {
			// Not a matter of versions: a stock is never patched.
			return twin.Errorf(twin.ECONFLICT, "stock", "%s's stock is derived from its ledger and is never edited: post an entry to %s/warehouses/%s/ledger",
				c.Params("id"), s.base, c.Params("id"))
		}
		if err := patchAllowed(c, k, body); err != nil {
			return err
		}
		version, err := s.ifMatch(c, k, false)
		if err != nil {
			return err
		}
		if list, ok := replacesList(body); ok && version == 0 {
			return twin.Errorf(twin.EPRECONDREQUIRED, "If-Match",
				"this patch replaces the list %s whole (RFC 7386): send If-Match with the ETag of the version you read it from, so that nobody's change to it is lost", list)
		}
		evs, err := s.twin.Apply(c.UserContext(), twin.Patch{Kind: k, ID: c.Params("id"), Merge: body, Version: version})
		if err != nil {
			return preconditionFailed(err, version)
		}
		return s.sendChanged(c, k, evs)
	}
}

// patchAllowed refuses a patch that sets a field the caller's role may
// not change (patchFields), naming the first such field, before anything
// is applied. The Feature's "type" may be sent; the id only as the path's.
func patchAllowed(c *fiber.Ctx, k twin.Kind, body []byte) error {
	id, ok := identityOf(c)
	if !ok || id.Role == auth.Admin || id.Role == auth.Planner || !patchExtras[k].Has(id.Role) {
		return nil // the guard let only these roles in; planners are in a sandbox
	}
	var f map[string]json.RawMessage
	if err := json.Unmarshal(body, &f); err != nil {
		return twin.Errorf(twin.EMALFORMED, "", "malformed JSON: %v", err)
	}
	var props map[string]json.RawMessage
	var refused []string
	for name, v := range f {
		switch name {
		case "type":
			continue
		case "id":
			var s string
			if json.Unmarshal(v, &s) == nil && s == c.Params("id") {
				continue
			}
		case "properties":
			if json.Unmarshal(v, &props) == nil {
				continue
			}
		}
		refused = append(refused, name)
	}
	for name := range props {
		if !slices.Contains(patchFields[k], name) {
			refused = append(refused, "properties."+name)
		}
	}
	if len(refused) == 0 {
		return nil
	}
	slices.Sort(refused)
	return twin.Errorf(twin.EFORBIDDEN, refused[0], "a %s may change only %s of a %s, not %s: the rest is park data, an administrator's",
		id.Role, strings.Join(patchFields[k], ", "), k, strings.Join(refused, ", "))
}

// replace answers PUT: the whole Feature, replacing the stored one. The
// If-Match header is required: a whole replacement made from an old copy
// would erase every change made since.
func (s *Server) replace(k twin.Kind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		version, err := s.ifMatch(c, k, true)
		if err != nil {
			return err
		}
		body, err := jsonBody(c)
		if err != nil {
			return err
		}
		e, err := twin.DecodeFeatureOf(k, body)
		if err != nil {
			return err
		}
		switch id := c.Params("id"); e.EntityID() {
		case id:
		case "": // the path names it
			if e, err = withID(k, body, id); err != nil {
				return err
			}
		default:
			return twin.Invalid("id", "the Feature's id %s is not the %s of the path", e.EntityID(), id)
		}
		evs, err := s.twin.Apply(c.UserContext(), twin.Update{Entity: e, Version: version})
		if err != nil {
			return preconditionFailed(err, version)
		}
		return s.sendChanged(c, k, evs)
	}
}

// replacesList reports whether a merge patch sets a property to a list,
// and which: a list is replaced whole, so such a patch is a write of
// everything in it as the client last saw it (a team's vehicles, a
// warehouse's stock).
func replacesList(patch []byte) (string, bool) {
	var p struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if json.Unmarshal(patch, &p) != nil {
		return "", false
	}
	names := make([]string, 0, len(p.Properties))
	for name, v := range p.Properties {
		if t := bytes.TrimSpace(v); len(t) > 0 && t[0] == '[' {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return "", false
	}
	slices.Sort(names)
	return "properties." + names[0], true
}

// withID decodes a Feature again with its id set to the path's.
func withID(k twin.Kind, body []byte, id string) (twin.Entity, error) {
	var f map[string]json.RawMessage
	if err := json.Unmarshal(body, &f); err != nil {
		return nil, twin.Errorf(twin.EMALFORMED, "", "malformed JSON: %v", err)
	}
	f["id"], _ = json.Marshal(id)
	b, _ := json.Marshal(f)
	return twin.DecodeFeatureOf(k, b)
}

// sendChanged answers a PATCH or PUT with the entity as it now stands
// and its ETag. A change that changed nothing made no event: the entity
// is answered as it was, at its own version.
func (s *Server) sendChanged(c *fiber.Ctx, k twin.Kind, evs []twin.Event) error {
	if len(evs) == 0 {
		snap := s.twin.Snapshot()
		e, ok := snap.Get(k, c.Params("id"))
		if !ok {
			return twin.NotFound(k, c.Params("id"))
		}
		setSeq(c, snap.Seq())
		setETag(c, snap.Version(k, e.EntityID()))
		return sendFeature(c, fiber.StatusOK, s.shown(e))
	}
	ev := evs[len(evs)-1]
	setSeq(c, ev.Seq)
	setETag(c, ev.Seq)
	return sendFeature(c, fiber.StatusOK, s.shown(ev.Entity))
}

// shown returns an entity as the REST API shows it: a warehouse with the
// stock its ledger leaves.
func (s *Server) shown(e twin.Entity) twin.Entity {
	if w, ok := e.(*twin.Warehouse); ok {
		return s.twin.Snapshot().WithStock(w)
	}
	return e
}

func (s *Server) remove(k twin.Kind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		version, err := s.ifMatch(c, k, false)
		if err != nil {
			return err
		}
		evs, err := s.twin.Apply(c.UserContext(), twin.Delete{Kind: k, ID: c.Params("id"), Version: version})
		if err != nil {
			return preconditionFailed(err, version)
		}
		setSeq(c, evs[len(evs)-1].Seq)
		return c.SendStatus(fiber.StatusNoContent)
	}
}

// setETag sets an entity's ETag: its version, the seq of its last change.
func setETag(c *fiber.Ctx, version uint64) {
	c.Set(fiber.HeaderETag, `"`+strconv.FormatUint(version, 10)+`"`)
}

// ifMatch reads If-Match (RFC 9110 §13.1.1) as the version a change of
// entity (k, the path's id) is based on. The header is a list of entity
// tags, compared strongly: a weak tag (W/"5") never matches, and a tag
// matches only as GET sends it ("42", not "042"). When one of them is the
// entity's current version, that is the condition, checked again by the
// writer; when none is, the change is refused (412). "*" matches any
// current entity: no condition (0), which a whole replacement may not
// use, since it must say what it replaces.
func (s *Server) ifMatch(c *fiber.Ctx, k twin.Kind, required bool) (uint64, error) {
	h := strings.TrimSpace(c.Get(fiber.HeaderIfMatch))
	if h == "" || h == "*" {
		if required {
			return 0, twin.Errorf(twin.EPRECONDREQUIRED, "If-Match",
				"a whole replacement needs If-Match with the ETag of the version it replaces (GET it first)")
		}
		return 0, nil
	}
	cur := s.twin.Snapshot().Version(k, c.Params("id"))
	if cur == 0 {
		return 0, nil // no such entity: the writer says so (404)
	}
	var stale uint64
	for _, tag := range strings.Split(h, ",") {
		tag = strings.TrimSpace(tag)
		if strings.HasPrefix(tag, "W/") {
			continue
		}
		if len(tag) < 2 || tag[0] != '"' || tag[len(tag)-1] != '"' {
			return 0, twin.Errorf(twin.EMALFORMED, "If-Match", "%s is not an entity tag: want one as GET gives it, such as \"42\"", tag)
		}
		opaque := tag[1 : len(tag)-1]
		v, err := strconv.ParseUint(opaque, 10, 64)
		if err != nil || v == 0 || strconv.FormatUint(v, 10) != opaque {
			continue // not a tag this server sends: it matches nothing
		}
		if v == cur {
			return v, nil
		}
		stale = max(stale, v)
	}
	if stale == 0 {
		return 0, twin.Errorf(twin.EPRECONDITION, "If-Match", "If-Match %s matches no version of %s %s (it is at %d)", h, k, c.Params("id"), cur)
	}
	return stale, nil // the writer refuses it as stale: 412
}

// preconditionFailed turns a refusal for a stale version into 412 when
// the version came from If-Match.
func preconditionFailed(err error, version uint64) error {
	if version != 0 && twin.IsStale(err) {
		return twin.Errorf(twin.EPRECONDITION, "If-Match", "%s", twin.ErrorMessage(err))
	}
	return err
}

// jsonBody returns the request body, which must be one JSON value.
func jsonBody(c *fiber.Ctx) ([]byte, error) {
	body := c.Body()
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, twin.Errorf(twin.EMALFORMED, "", "the request has no body; send a GeoJSON Feature")
	}
	if !json.Valid(body) {
		var v any
		err := json.Unmarshal(body, &v)
		return nil, twin.Reasoned(twin.EMALFORMED, "", fmt.Sprintf("malformed JSON: %v", err), msg.New("error.malformedJSON"))
	}
	return body, nil
}

// decodeStrict reads b into v, refusing unknown fields: a typo in a
// request is an error, not a field silently ignored.
func decodeStrict(b []byte, v any, what string) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		english := fmt.Sprintf("not %s: %v", what, err)
		if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return twin.Reasoned(twin.EMALFORMED, "", english, msg.New("error.unknownField", "field", strings.Trim(f, `"`)))
		}
		return twin.Reasoned(twin.EMALFORMED, "", english, msg.New("error.malformedJSON"))
	}
	return twin.CheckLimits(v)
}

func sendFeature(c *fiber.Ctx, status int, e twin.Entity) error {
	b, err := twin.EncodeFeature(e)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/geo+json")
	return c.Status(status).Send(b)
}
