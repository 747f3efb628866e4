package scenarios

// What each kind of inject does to a drill's park when its time comes.

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"parktwin/dispatch"
	"parktwin/twin"
	"parktwin/twin/telemetry"
)

// readingEvery is how often an excursion sends a reading of each of its
// sensors, in drill time.
const readingEvery = 5 * time.Second

// inject applies the scenario's inject i. It runs inside the clock's
// Advance, at the inject's time. A refused inject is logged with its
// error and the drill goes on.
func (p *pass) inject(i int) {
	in := &p.d.sc.Injects[i]
	what, err := p.apply(in)
	if what == "" {
		what = in.Kind()
	}
	p.record(fmt.Sprintf("injects[%d] %s", i, what), err)
	p.d.mu.Lock()
	p.next = i + 1
	p.d.mu.Unlock()
}

// apply does what in says and returns a line for the drill's log.
func (p *pass) apply(in *Inject) (string, error) {
	ctx := twin.AsSystem(p.ctx, twin.ActorDrill)
	tw := p.inst.Twin()
	switch {
	case in.Excursion != nil:
		return p.excursion(in.Excursion), nil
	case in.Report != nil:
		return p.report(ctx, in.Report)
	case in.Road != nil:
		r := in.Road
		merge, err := json.Marshal(map[string]any{"properties": map[string]bool{"closed": r.Closed}})
		if err != nil {
			return "", err
		}
		what := fmt.Sprintf("road %s reopened", r.ID)
		if r.Closed {
			what = fmt.Sprintf("road %s closed", r.ID)
		}
		_, err = tw.Apply(ctx, twin.Patch{Kind: twin.KindRoad, ID: r.ID, Merge: merge})
		return what, err
	case in.Unit != nil:
		u := in.Unit
		who := "every vehicle of " + u.Team
		if u.Vehicle != "" {
			who = u.Vehicle + " of " + u.Team
		}
		_, err := tw.Apply(ctx, twin.Decide(func(s *twin.Snapshot) ([]twin.Command, error) { return setStatus(s, u) }))
		return fmt.Sprintf("unit: %s %s", who, u.Status), err
	case in.Equipment != nil:
		f := in.Equipment
		item := f.Serial
		if item == "" {
			item = fmt.Sprintf("%v of %s", f.Quantity, f.Type)
		}
		today := p.date()
		_, err := tw.Apply(ctx, twin.Decide(func(s *twin.Snapshot) ([]twin.Command, error) { return fault(s, f, today) }))
		return fmt.Sprintf("equipment: %s in %s %s", item, f.Warehouse, f.State), err
	case in.Weather != nil:
		return "weather: " + describeWeather(in.Weather), p.setWeather(ctx, in.Weather)
	case in.Message != nil:
		return fmt.Sprintf("message: %s / %s", in.Message.Zh, in.Message.En), nil
	}
	return "", fmt.Errorf("an inject of no kind")
}

// excursion schedules the readings of the excursion's sensors, one per
// sensor every readingEvery from the profile's first point to its last,
// linearly interpolated between the points; a reading due at once is sent
// at once.
func (p *pass) excursion(x *Excursion) string {
	first, last := x.Profile[0].After.D(), x.Profile[len(x.Profile)-1].After.D()
	// The simulator leaves the sensors to the drill until its last
	// reading has stood for a reading's interval.
	p.inst.HoldSensors(x.Sensors, p.clock.Now().Add(last+readingEvery))
	for after := first; after <= last; after += readingEvery {
		v := interpolate(x.Profile, after)
		if after == 0 {
			// Now, before the loops' calls at this instant (the
			// simulator's among them), as a timer set now would not be.
			p.send(x.Sensors, v)
			continue
		}
		p.clock.AfterFunc(after, func() { p.send(x.Sensors, v) })
	}
	peak := x.Profile[0].Value
	for _, s := range x.Profile {
		peak = max(peak, s.Value)
	}
	return fmt.Sprintf("excursion: %s from %v, peak %v, to %v over %v", strings.Join(x.Sensors, ", "),
		x.Profile[0].Value, peak, x.Profile[len(x.Profile)-1].Value, last-first)
}

// send ingests one reading of value for each sensor, at the clock's time.
// A reading the monitor refuses is logged.
func (p *pass) send(sensors []string, value float64) {
	now := p.clock.Now()
	rs := make([]telemetry.Reading, len(sensors))
	for i, id := range sensors {
		rs[i] = telemetry.Reading{Sensor: id, T: now, Value: value}
	}
	_, rej, err := p.inst.Monitor().Ingest(p.ctx, rs)
	if err != nil {
		p.record(fmt.Sprintf("excursion readings of %s", strings.Join(sensors, ", ")), err)
		return
	}
	for _, r := range rej {
		p.record(fmt.Sprintf("excursion reading of %s = %v", sensors[r.Index], value), fmt.Errorf("%s", r.Error))
	}
}

// interpolate returns the profile's value at after, linearly between its
// points; before the first point it is the first value, after the last
// the last.
func interpolate(p []Sample, after time.Duration) float64 {
	if after <= p[0].After.D() {
		return p[0].Value
	}
	for i := 1; i < len(p); i++ {
		a, b := p[i-1], p[i]
		if after <= b.After.D() {
			f := float64(after-a.After.D()) / float64(b.After.D()-a.After.D())
			return a.Value + (b.Value-a.Value)*f
		}
	}
	return p[len(p)-1].Value
}

// report gives the caller's report to the desk.
func (p *pass) report(ctx context.Context, r *Report) (string, error) {
	// The desk takes the place as an entity or a point, not both: a
	// scenario's caller who names both is taken at the entity, the one
	// name the park can check.
	rep := dispatch.Report{Type: r.Type.String(), Entity: r.Entity, Chemical: r.Chemical,
		Level: r.Level.String(), Reporter: r.Reporter}
	where := r.Entity
	if r.Point != nil {
		pt := fmt.Sprintf("[%v, %v]", r.Point[0], r.Point[1])
		if r.Entity == "" {
			rep.Point, where = []float64{r.Point[0], r.Point[1]}, pt
		} else {
			where += " (said to be at " + pt + ")"
		}
	}
	what := fmt.Sprintf("report: %s at %s by %s", r.Type, where, r.Reporter)
	if r.Note != "" {
		what += ": " + r.Note
	}
	inc, merged, err := p.inst.Desk().Report(ctx, rep)
	switch {
	case err != nil:
		return what, err
	case merged:
		return what + " (merged into " + inc.ID + ")", nil
	}
	return what + " (incident " + inc.ID + ")", nil
}

// setStatus sets the status of the team's vehicle, or of every vehicle of
// the team when none is named. It runs in the twin's writer.
func setStatus(s *twin.Snapshot, u *UnitChange) ([]twin.Command, error) {
	team, ok := twin.Lookup[*twin.Team](s, u.Team)
	if !ok {
		return nil, twin.Errorf(twin.ENOTFOUND, "team", "no team %s", u.Team)
	}
	t := *team
	t.Vehicles = slices.Clone(team.Vehicles)
	found := false
	for i := range t.Vehicles {
		if u.Vehicle == "" || t.Vehicles[i].ID == u.Vehicle {
			t.Vehicles[i].Status, found = u.Status, true
		}
	}
	if u.Vehicle != "" && !found {
		return nil, twin.Errorf(twin.ENOTFOUND, "vehicle", "team %s has no vehicle %s", u.Team, u.Vehicle)
	}
	return []twin.Command{twin.Update{Entity: &t}}, nil
}

// fault marks warehouse equipment missing (lost, or bulk stock gone) or
// expired (its inspection due today; a lot of bulk stock failing its
// test), through the warehouse's ledger. For a type of serialized items,
// the first Quantity items not already in that state are marked; an
// expired quantity of bulk stock fails the first lot to expire, whole.
// It runs in the twin's writer.
func fault(s *twin.Snapshot, f *EquipmentFault, today twin.Date) ([]twin.Command, error) {
	st := s.Stock(f.Warehouse)
	if _, ok := twin.Lookup[*twin.Warehouse](s, f.Warehouse); !ok {
		return nil, twin.Errorf(twin.ENOTFOUND, "warehouse", "no warehouse %s", f.Warehouse)
	}
	const why = "演练注入 (drill inject)"
	e := &twin.LedgerEntry{Warehouse: f.Warehouse, Type: f.Type, Reason: why}
	marked := func(it twin.Item) bool {
		if f.State == Missing {
			return it.State == twin.AssetLost || it.State == twin.AssetRetired
		}
		return it.Due == today || it.State == twin.AssetIssued || it.State == twin.AssetLost || it.State == twin.AssetRetired
	}
	mark := func() {
		if f.State == Missing {
			e.Op = twin.OpLost
		} else {
			e.Op, e.Due = twin.OpAdjust, today
		}
	}
	if f.Serial != "" {
		for _, ts := range st.Types() {
			if _, ok := ts.Items[f.Serial]; ok {
				e.Type, e.Serials = ts.Type, []string{f.Serial}
				mark()
				return []twin.Command{twin.Post{Entry: e}}, nil
			}
		}
		return nil, twin.Errorf(twin.ENOTFOUND, "serial", "%s holds no item %s", f.Warehouse, f.Serial)
	}
	ts := st.Type(f.Type)
	if ts == nil {
		return nil, twin.Errorf(twin.ENOTFOUND, "type", "%s holds no %s", f.Warehouse, f.Type)
	}
	switch {
	case ts.Serialized():
		for _, it := range ts.SortedItems() {
			if len(e.Serials) < int(f.Quantity) && !marked(it) {
				e.Serials = append(e.Serials, it.Serial)
			}
		}
		if float64(len(e.Serials)) < f.Quantity {
			return nil, twin.Errorf(twin.ECONFLICT, "quantity", "%s has fewer than %v %s left to mark %s", f.Warehouse, f.Quantity, f.Type, f.State)
		}
		mark()
	case f.State == Missing:
		e.Op, e.Quantity = twin.OpLost, f.Quantity
	default:
		lots := ts.SortedLots()
		if len(lots) == 0 {
			return nil, twin.Errorf(twin.ENOTFOUND, "type", "%s holds no %s", f.Warehouse, f.Type)
		}
		e.Op, e.Result, e.Findings = twin.OpInspect, twin.Fail, why+": expired"
		e.Lots = []twin.LotQuantity{{Lot: lots[0].ID}}
	}
	return []twin.Command{twin.Post{Entry: e}}, nil
}

// describeWeather says what a weather inject sets.
func describeWeather(w *Weather) string {
	var parts []string
	if w.Wind != nil {
		parts = append(parts, fmt.Sprintf("wind from %v° at %v m/s", w.Wind.From, w.Wind.SpeedMS))
	}
	if w.Stability != 0 {
		parts = append(parts, "stability "+w.Stability.String())
	}
	if w.CloudCover != nil {
		parts = append(parts, fmt.Sprintf("cloud cover %v oktas", *w.CloudCover))
	}
	if w.TemperatureC != nil {
		parts = append(parts, fmt.Sprintf("%v °C", *w.TemperatureC))
	}
	return strings.Join(parts, ", ")
}
