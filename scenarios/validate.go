package scenarios

// What a scenario file alone can tell: required fields, ranges, order.

import (
	"fmt"
	"slices"
	"strings"

	"parktwin/twin"
	"parktwin/twin/demo"
)

// validate checks what the file alone can tell; has reports whether the
// file gives a value at a path (a zero may be given or left out).
func (s *Scenario) validate(has func(path string) bool) error {
	m := s.Metadata
	switch {
	case m.ID == "":
		return bad("metadata.id", "required")
	case !slug.MatchString(m.ID):
		return bad("metadata.id", "%q is not a slug (lower-case words joined by '-')", m.ID)
	case m.Title.Zh == "" || m.Title.En == "":
		return bad("metadata.title", "zh and en are both required")
	case m.Objective == "":
		return bad("metadata.objective", "required")
	case m.Level == 0:
		return bad("metadata.level", "required (I, II, III or IV)")
	case m.Duration <= 0:
		return bad("metadata.duration", "a positive duration is required")
	case m.Author == "":
		return bad("metadata.author", "required")
	}
	if err := s.Start.validate(has); err != nil {
		return err
	}
	if len(s.Injects) == 0 {
		return bad("injects", "name at least one inject")
	}
	for i := range s.Injects {
		p := fmt.Sprintf("injects[%d]", i)
		in := &s.Injects[i]
		switch {
		case !has(p + ".at"):
			return bad(p+".at", "required")
		case in.At > m.Duration:
			return bad(p+".at", "%s is after the scenario's duration (%s)", in.At, m.Duration)
		case i > 0 && in.At < s.Injects[i-1].At:
			return bad(p+".at", "must not come before injects[%d] (%s)", i-1, s.Injects[i-1].At)
		}
		if err := in.validate(p, m.Duration, has); err != nil {
			return err
		}
	}
	ids := map[string]bool{}
	for i := range s.Expectations {
		p := fmt.Sprintf("expectations[%d]", i)
		e := &s.Expectations[i]
		switch {
		case e.ID == "":
			return bad(p+".id", "required")
		case !slug.MatchString(e.ID):
			return bad(p+".id", "%q is not a slug (lower-case words joined by '-')", e.ID)
		case ids[e.ID]:
			return bad(p+".id", "%s is given twice", e.ID)
		}
		ids[e.ID] = true
		if err := e.validate(p); err != nil {
			return err
		}
		switch {
		case e.Of == FromInject && e.Inject == nil:
			return bad(p+".inject", "required with of: inject (the index of an inject)")
		case e.Of != FromInject && e.Inject != nil:
			return bad(p+".inject", "only an expectation of: inject names an inject")
		case e.Inject != nil && (*e.Inject < 0 || *e.Inject >= len(s.Injects)):
			return bad(p+".inject", "no inject %d (the scenario has %d)", *e.Inject, len(s.Injects))
		}
	}
	return nil
}

func (st *Start) validate(has func(string) bool) error {
	switch {
	case st.Park == "":
		return bad("start.park", "required (live, demo, journal or a park file's path)")
	case st.Scale != 0 && st.Park != ParkDemo:
		return bad("start.scale", "only the demo park has a scale")
	case st.Scale < 0 || st.Scale > demo.MaxScale:
		return bad("start.scale", "want 1 to %d", demo.MaxScale)
	case st.Time.IsZero():
		return bad("start.time", "required (an RFC 3339 time, like 2026-12-01T02:30:00+08:00)")
	}
	if st.Weather != nil {
		return st.Weather.validate("start.weather", has)
	}
	return nil
}

func (w *Weather) validate(p string, has func(string) bool) error {
	if w.Wind != nil {
		switch {
		case !has(p + ".wind.from"):
			return bad(p+".wind.from", "required (degrees clockwise from north)")
		case !(w.Wind.From >= 0 && w.Wind.From <= 360):
			return bad(p+".wind.from", "want degrees from 0 to 360, got %v", w.Wind.From)
		case !has(p + ".wind.speedMS"):
			return bad(p+".wind.speedMS", "required (metres per second)")
		case !(w.Wind.SpeedMS >= 0):
			return bad(p+".wind.speedMS", "must not be negative")
		}
	}
	switch {
	case w.Stability != 0 && w.CloudCover != nil:
		return bad(p+".cloudCover", "give stability or cloudCover, not both")
	case w.CloudCover != nil && !(*w.CloudCover >= 0 && *w.CloudCover <= 8):
		return bad(p+".cloudCover", "want oktas from 0 to 8, got %v", *w.CloudCover)
	case w.TemperatureC != nil && !(*w.TemperatureC >= -50 && *w.TemperatureC <= 60):
		return bad(p+".temperatureC", "%v °C is not a plausible air temperature", *w.TemperatureC)
	case w.Wind == nil && w.Stability == 0 && w.CloudCover == nil && w.TemperatureC == nil:
		return bad(p, "name at least one of wind, stability, cloudCover, temperatureC")
	}
	return nil
}

func (in *Inject) validate(p string, total Duration, has func(string) bool) error {
	var set []string
	for _, k := range in.kinds() {
		if k.set {
			set = append(set, k.name)
		}
	}
	switch {
	case len(set) == 0:
		return bad(p, "name one of excursion, report, road, unit, equipment, weather, message")
	case len(set) > 1:
		return bad(p, "exactly one kind an inject, got %s", strings.Join(set, " and "))
	}
	p += "." + set[0]
	switch {
	case in.Excursion != nil:
		return in.Excursion.validate(p, total-in.At, has)
	case in.Report != nil:
		return in.Report.validate(p)
	case in.Road != nil:
		switch {
		case in.Road.ID == "":
			return bad(p+".id", "required")
		case !has(p + ".closed"):
			return bad(p+".closed", "required (true closes the road, false opens it)")
		}
	case in.Unit != nil:
		switch {
		case in.Unit.Team == "":
			return bad(p+".team", "required")
		case in.Unit.Status == 0:
			return bad(p+".status", "required (available, out-of-service, …)")
		}
	case in.Equipment != nil:
		return in.Equipment.validate(p)
	case in.Weather != nil:
		return in.Weather.validate(p, has)
	case in.Message != nil:
		if in.Message.Zh == "" || in.Message.En == "" {
			return bad(p, "zh and en are both required")
		}
	}
	return nil
}

func (x *Excursion) validate(p string, left Duration, has func(string) bool) error {
	if len(x.Sensors) == 0 {
		return bad(p+".sensors", "name at least one sensor")
	}
	seen := map[string]bool{}
	for i, id := range x.Sensors {
		switch {
		case id == "":
			return bad(fmt.Sprintf("%s.sensors[%d]", p, i), "required")
		case seen[id]:
			return bad(fmt.Sprintf("%s.sensors[%d]", p, i), "%s is given twice", id)
		}
		seen[id] = true
	}
	if len(x.Profile) == 0 {
		return bad(p+".profile", "name at least one sample")
	}
	for i, smp := range x.Profile {
		sp := fmt.Sprintf("%s.profile[%d]", p, i)
		switch {
		case !has(sp + ".after"):
			return bad(sp+".after", "required")
		case !has(sp + ".value"):
			return bad(sp+".value", "required")
		case i > 0 && smp.After <= x.Profile[i-1].After:
			return bad(sp+".after", "must be after profile[%d]", i-1)
		case smp.After > left:
			return bad(sp+".after", "%s after the inject is past the scenario's end", smp.After)
		}
	}
	return nil
}

func (r *Report) validate(p string) error {
	switch {
	case r.Type == 0:
		return bad(p+".type", "required")
	case r.Entity == "" && r.Point == nil:
		return bad(p, "name an entity or a point")
	case r.Point != nil && !(r.Point.Lon() >= minLon && r.Point.Lon() <= maxLon &&
		r.Point.Lat() >= minLat && r.Point.Lat() <= maxLat):
		return bad(p+".point", "[%v, %v] is not near the park (lon %v–%v, lat %v–%v)",
			r.Point.Lon(), r.Point.Lat(), minLon, maxLon, minLat, maxLat)
	case r.Chemical != "" && !twin.ValidCAS(r.Chemical):
		return bad(p+".chemical", "%q is not a CAS number", r.Chemical)
	case r.Reporter == "":
		return bad(p+".reporter", "required")
	}
	return nil
}

func (f *EquipmentFault) validate(p string) error {
	switch {
	case f.Warehouse == "":
		return bad(p+".warehouse", "required")
	case f.Serial == "" && f.Type == "":
		return bad(p, "name a serial, or a type and a quantity")
	case f.Serial != "" && (f.Type != "" || f.Quantity != 0):
		return bad(p+".serial", "a serial names one item: give no type or quantity with it")
	case f.Type != "" && !(f.Quantity > 0):
		return bad(p+".quantity", "a positive quantity is required with a type")
	case f.State == 0:
		return bad(p+".state", "required (missing or expired)")
	}
	return nil
}

// whatRules say, for each expectation, what Within is measured from (the
// first is the default) and which parameter it needs.
var whatRules = map[What]struct {
	of    []From
	needs string // "type" (optional), "capability" or "target"
}{
	AlarmAcknowledged:  {of: []From{FromFirstAlarm}},
	OrderIssued:        {of: []From{FromFirstAlarm}},
	IncidentCreated:    {of: []From{FromFirstAlarm, FromReport}, needs: "type"},
	PlanConfirmed:      {of: []From{FromReport, FromFirstAlarm}},
	UnitOnScene:        {of: []From{FromOrder, FromReport}},
	FoamMet:            {of: []From{FromOrder, FromReport}},
	CapabilityAssigned: {of: []From{FromReport, FromFirstAlarm}, needs: "capability"},
	EvacuationOrdered:  {of: []From{FromReport, FromFirstAlarm}, needs: "target"},
	UnderControl:       {of: []From{FromStart, FromReport}},
}

func (e *Expectation) validate(p string) error {
	if e.What == 0 {
		return bad(p+".what", "required (one of %s)", strings.Join(whatNames[1:], ", "))
	}
	r := whatRules[e.What]
	if e.Of == 0 {
		e.Of = r.of[0]
	}
	var ofs []string
	for _, f := range r.of {
		ofs = append(ofs, f.String())
	}
	switch {
	case e.Within <= 0:
		return bad(p+".within", "a positive target duration is required")
	case e.Of != FromInject && !slices.Contains(r.of, e.Of):
		return bad(p+".of", "%s is measured from %s or an inject, not %s", e.What, strings.Join(ofs, ", "), e.Of)
	case e.Type != 0 && r.needs != "type":
		return bad(p+".type", "only incident-created takes a type")
	case e.Capability == 0 && r.needs == "capability":
		return bad(p+".capability", "required")
	case e.Capability != 0 && r.needs != "capability":
		return bad(p+".capability", "only capability-assigned takes a capability")
	case e.Target == "" && r.needs == "target":
		return bad(p+".target", "required")
	case e.Target != "" && r.needs != "target":
		return bad(p+".target", "only evacuation-ordered takes a target")
	}
	return nil
}
