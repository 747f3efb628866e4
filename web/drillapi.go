package web

// The drills API: /api/v1/scenarios and /api/v1/drills.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"parktwin/scenarios"
	"parktwin/scenarios/report"
	"parktwin/twin"
	"parktwin/twin/demo"
	"parktwin/twin/msg"
)

// scenarioView is what the API says of a scenario.
type scenarioView struct {
	ID           string          `json:"id"`
	Title        report.Text     `json:"title"`
	Objective    string          `json:"objective"`
	Level        string          `json:"level"`
	DurationS    float64         `json:"durationS"`
	Author       string          `json:"author"`
	Builtin      bool            `json:"builtin"`
	Park         string          `json:"park"`
	Start        time.Time       `json:"start"`
	Injects      []injectView    `json:"injects"`
	Expectations []expectSummary `json:"expectations"`
}

type injectView struct {
	AtS     float64 `json:"atS"`
	Kind    string  `json:"kind"`
	Applied *bool   `json:"applied,omitempty"`
}

type expectSummary struct {
	ID      string  `json:"id"`
	What    string  `json:"what"`
	TargetS float64 `json:"targetS"`
}

func viewScenario(sc *scenarios.Scenario, builtin bool) scenarioView {
	md := sc.Metadata
	v := scenarioView{ID: md.ID, Title: report.Text{Zh: md.Title.Zh, En: md.Title.En}, Objective: md.Objective,
		Level: md.Level.String(), DurationS: md.Duration.D().Seconds(), Author: md.Author, Builtin: builtin,
		Park: sc.Start.Park, Start: sc.Start.Time, Injects: []injectView{}, Expectations: []expectSummary{}}
	for _, in := range sc.Injects {
		v.Injects = append(v.Injects, injectView{AtS: in.At.D().Seconds(), Kind: in.Kind()})
	}
	for _, e := range sc.Expectations {
		v.Expectations = append(v.Expectations, expectSummary{ID: e.ID, What: e.What.String(), TargetS: e.Within.D().Seconds()})
	}
	return v
}

func (r *drillRoom) listScenarios(c *fiber.Ctx) error {
	out := []scenarioView{}
	for _, e := range r.library.List() {
		out = append(out, viewScenario(e.Scenario, e.Builtin))
	}
	return c.JSON(fiber.Map{"scenarios": out})
}

// getScenario answers with one scenario; ?format=yaml with its file.
func (r *drillRoom) getScenario(c *fiber.Ctx) error {
	sc, builtin, ok := r.library.Get(c.Params("id"))
	if !ok {
		return twin.Errorf(twin.ENOTFOUND, "id", "no scenario %s", c.Params("id"))
	}
	if c.Query("format") == "yaml" {
		c.Set(fiber.HeaderContentType, "application/yaml")
		return c.Send(sc.Source())
	}
	return c.JSON(viewScenario(sc, builtin))
}

// uploadScenario adds a scenario from a YAML body, checked against the
// park it is to run on: 201 new, 200 replacing an uploaded one.
func (r *drillRoom) uploadScenario(c *fiber.Ctx) error {
	body := bytes.TrimSpace(c.Body())
	if len(body) == 0 {
		return twin.Errorf(twin.EMALFORMED, "", "send the scenario's YAML as the body")
	}
	sc, err := scenarios.Parse("upload.yaml", c.Body())
	if err != nil {
		return err
	}
	park, err := r.parkOf(sc)
	if err != nil {
		return err
	}
	if err := sc.Check(park); err != nil {
		return err
	}
	replaced, err := r.library.Add(sc)
	if err != nil {
		return err
	}
	status := fiber.StatusCreated
	if replaced {
		status = fiber.StatusOK
	}
	c.Location("/api/v1/scenarios/" + sc.Metadata.ID)
	return c.Status(status).JSON(viewScenario(sc, false))
}

// parkOf returns the park a scenario is to run on, to check it against.
func (r *drillRoom) parkOf(sc *scenarios.Scenario) (*twin.Snapshot, error) {
	switch sc.Start.Park {
	case scenarios.ParkDemo:
		tw, err := twin.Open(twin.Config{ID: "check", Exercise: true})
		if err != nil {
			return nil, err
		}
		defer tw.Close()
		if _, err := tw.Apply(twin.AsSystem(context.Background(), twin.ActorSeed), twin.Creates(demo.GenerateWith(1, max(sc.Start.Scale, 1), demo.Options{Now: sc.Start.Time})...)...); err != nil {
			return nil, err
		}
		return tw.Snapshot(), nil
	case scenarios.ParkLive:
		return r.h.live.park.Twin().Snapshot(), nil
	case scenarios.ParkJournal:
		return r.journalAt(sc)
	}
	return nil, twin.Invalid("start.park", "starting from %s is not supported", sc.Start.Park)
}

// journalAt returns the live park as its journal says it stood at the
// scenario's start.
func (r *drillRoom) journalAt(sc *scenarios.Scenario) (*twin.Snapshot, error) {
	if r.h.cfg.Journal == nil {
		return nil, twin.Errorf(twin.EUNAVAILABLE, "start.park", "this server keeps no journal to start from")
	}
	return scenarios.SnapshotAt(r.h.cfg.Journal, sc.Start.Time)
}

// drillView is what the API says of a drill.
type drillView struct {
	ID           string               `json:"id"`
	Twin         string               `json:"twin"`
	Scenario     string               `json:"scenario"`
	Title        report.Text          `json:"title"`
	State        string               `json:"state"`
	Speed        float64              `json:"speed"`
	DrillTime    string               `json:"drillTime"` // ISO 8601: PT1M30S
	DrillTimeS   float64              `json:"drillTimeS"`
	DurationS    float64              `json:"durationS"`
	Start        time.Time            `json:"start"`
	Now          time.Time            `json:"now"`
	Next         int                  `json:"next"`
	Pass         int                  `json:"pass"` // a new pass (after seeking back) is a new park: reload
	Actions      int                  `json:"actions"`
	Injects      []injectView         `json:"injects"`
	Expectations []report.Expectation `json:"expectations"`
	Messages     []messageView        `json:"messages"`
	Log          []logView            `json:"log"`
}

type messageView struct {
	AtS float64 `json:"atS"`
	Zh  string  `json:"zh"`
	En  string  `json:"en"`
}

type logView struct {
	AtS   float64 `json:"atS"`
	What  string  `json:"what"`
	Error string  `json:"error,omitempty"`
}

func viewDrill(d *scenarios.Drill) drillView {
	sc, st := d.Scenario(), d.State()
	md := sc.Metadata
	v := drillView{ID: d.ID(), Twin: d.ID(), Scenario: md.ID, Title: report.Text{Zh: md.Title.Zh, En: md.Title.En},
		State: st.State, Speed: d.Speed(), DrillTime: formatISODuration(st.DrillTime), DrillTimeS: st.DrillTime.Seconds(),
		DurationS: md.Duration.D().Seconds(), Start: sc.Start.Time, Now: sc.Start.Time.Add(st.DrillTime), Next: st.Next,
		Pass: d.Passes(), Actions: len(d.Actions()), Injects: []injectView{}, Expectations: d.Expectations(),
		Messages: []messageView{}, Log: []logView{}}
	for i, in := range sc.Injects {
		applied := i < st.Next
		v.Injects = append(v.Injects, injectView{AtS: in.At.D().Seconds(), Kind: in.Kind(), Applied: &applied})
		if applied && in.Message != nil {
			v.Messages = append(v.Messages, messageView{AtS: in.At.D().Seconds(), Zh: in.Message.Zh, En: in.Message.En})
		}
	}
	for _, e := range d.Log() {
		v.Log = append(v.Log, logView{AtS: e.At.Seconds(), What: e.What, Error: e.Error})
	}
	return v
}

func (r *drillRoom) listDrills(c *fiber.Ctx) error {
	r.mu.Lock()
	ids := make([]string, 0, len(r.drills))
	for id := range r.drills {
		ids = append(ids, id)
	}
	r.mu.Unlock()
	slices.Sort(ids)
	out := []drillView{}
	for _, id := range ids {
		if d, err := r.get(id); err == nil {
			out = append(out, viewDrill(d))
		}
	}
	return c.JSON(fiber.Map{"drills": out})
}

func (r *drillRoom) getDrill(c *fiber.Ctx) error {
	d, err := r.get(c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(viewDrill(d))
}

// drillRequest is the body of POST /api/v1/drills.
type drillRequest struct {
	Scenario string `json:"scenario"`
	// Throwaway drills are not kept across a restart.
	Throwaway bool `json:"throwaway"`
}

func (r *drillRoom) createDrill(c *fiber.Ctx) error {
	var req drillRequest
	if err := decodeStrict(c.Body(), &req, "a drill request"); err != nil {
		return err
	}
	if req.Scenario == "" {
		return twin.Invalid("scenario", "required: the id of a scenario (GET /api/v1/scenarios)")
	}
	sc, _, ok := r.library.Get(req.Scenario)
	if !ok {
		return twin.Errorf(twin.ENOTFOUND, "scenario", "no scenario %s", req.Scenario)
	}
	id, err := r.newID()
	if err != nil {
		return err
	}
	cfg := scenarios.Config{ID: id, Live: r.h.live.park}
	if sc.Start.Park == scenarios.ParkJournal {
		if cfg.Origin, err = r.journalAt(sc); err != nil {
			r.release(id)
			return err
		}
	}
	d, err := r.start(c.UserContext(), sc, cfg, !req.Throwaway)
	if err != nil && d == nil {
		r.release(id)
	}
	if err != nil {
		return err
	}
	c.Location("/api/v1/drills/" + id)
	return c.Status(fiber.StatusCreated).JSON(viewDrill(d))
}

func (r *drillRoom) deleteDrill(c *fiber.Ctx) error {
	d, err := r.get(c.Params("id"))
	if err != nil {
		return err
	}
	err = r.stop(c.UserContext(), d)
	r.mu.Lock()
	delete(r.drills, d.ID())
	r.mu.Unlock()
	if r.shelf != nil {
		err = errors.Join(err, r.shelf.Remove(d.ID()))
	}
	if err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// controlRequest is the body of POST /api/v1/drills/{id}/control.
type controlRequest struct {
	Action string          `json:"action"`
	Speed  json.RawMessage `json:"speed"`
	To     json.RawMessage `json:"to"`
}

// speeds a drill may be played at, besides "max".
var speeds = []float64{0.5, 1, 2, 5, 10, 60}

func (r *drillRoom) control(c *fiber.Ctx) error {
	d, err := r.get(c.Params("id"))
	if err != nil {
		return err
	}
	var req controlRequest
	if err := decodeStrict(c.Body(), &req, "a control"); err != nil {
		return err
	}
	switch req.Action {
	case "play":
		speed, err := parseSpeed(req.Speed)
		if err != nil {
			return err
		}
		err = d.Play(speed)
	case "pause":
		err = d.Pause()
	case "step":
		err = d.Step()
	case "seek":
		to, perr := parseDrillTime(req.To)
		if perr != nil {
			return perr
		}
		err = d.Seek(c.UserContext(), to)
	case "stop":
		err = r.stop(c.UserContext(), d)
	default:
		return twin.Invalid("action", "want play, pause, step, seek or stop, got %q", req.Action)
	}
	if err != nil {
		return err
	}
	return c.JSON(viewDrill(d))
}

// parseSpeed reads a play speed: one of speeds, or "max" (as fast as
// possible, 0); 1 when left out.
func parseSpeed(raw json.RawMessage) (float64, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return 1, nil
	}
	if string(raw) == `"max"` {
		return 0, nil
	}
	v, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || !slices.Contains(speeds, v) {
		return 0, twin.Invalid("speed", "want one of 0.5, 1, 2, 5, 10, 60 or \"max\", got %s", raw)
	}
	return v, nil
}

// parseDrillTime reads a drill time: an ISO 8601 duration ("PT25M",
// "PT1H2M3.5S") or a Go one ("25m").
func parseDrillTime(raw json.RawMessage) (time.Duration, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil || s == "" {
		return 0, twin.Reasoned(twin.EINVALID, "to", fmt.Sprintf("want a drill time such as \"PT25M\", got %s", raw),
			msg.New("error.drillTime", "field", "to", "got", string(raw)))
	}
	if d, ok := parseISODuration(strings.ToUpper(s)); ok {
		return d, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return d, nil
	}
	return 0, twin.Reasoned(twin.EINVALID, "to", fmt.Sprintf("%q is not a drill time (like PT25M)", s),
		msg.New("error.drillTime", "field", "to", "got", s))
}

// report serves a drill's after-action report.
func (r *drillRoom) report(c *fiber.Ctx) error {
	d, err := r.get(c.Params("id"))
	if err != nil {
		return err
	}
	return sendReport(c, d.Report())
}

// sendReport answers with an after-action report: JSON, or ?format=html
// or pdf (?lang=en for English labels).
func sendReport(c *fiber.Ctx, rep *report.Report) error {
	lang := c.Query("lang", "zh")
	if lang != "zh" && lang != "en" {
		return twin.Invalid("lang", "want zh or en, got %q", lang)
	}
	var buf bytes.Buffer
	switch c.Query("format", "json") {
	case "json":
		return c.JSON(rep)
	case "html":
		if err := report.HTML(&buf, rep, lang); err != nil {
			return err
		}
		c.Type("html", "utf-8")
		c.Set(fiber.HeaderContentSecurityPolicy, reportPolicy(buf.Bytes()))
	case "pdf":
		if err := report.PDF(&buf, rep, lang); err != nil {
			return err
		}
		c.Type("pdf")
		// The browser's PDF viewer is a plugin of its own: a policy
		// with object-src 'none' would keep it from showing the report,
		// which holds no script of ours to guard.
		c.Response().Header.Del(fiber.HeaderContentSecurityPolicy)
		c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`inline; filename="%s-report.pdf"`, rep.ID))
	default:
		return twin.Invalid("format", "want json, html or pdf, got %q", c.Query("format"))
	}
	return c.Send(buf.Bytes())
}
