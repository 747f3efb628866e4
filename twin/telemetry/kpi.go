package telemetry

import (
	"cmp"
	"math"
	"slices"
	"time"

	"parktwin/twin"
)

// The alarm KPIs (ISA-18.2 clause 16, EEMUA 191), computed from the
// alarm history the twin keeps: every alarm ever raised stays in the twin
// as an entity, closed ones too. A pure function of the alarms, the rules
// and the range: the same history gives the same figures.

// beijing is the time of the console's days and shifts: UTC+8 all year
// (China keeps no daylight saving time), so a fixed zone needs no data.
var beijing = time.FixedZone("CST", 8*3600)

// Period groupings of the KPIs.
const (
	ByDay   = "day"
	ByShift = "shift"
)

// AlarmKPI is the figures of one period (a day or a shift, clipped to the
// range asked for).
type AlarmKPI struct {
	From  time.Time `json:"from"`
	To    time.Time `json:"to"`
	Day   string    `json:"day,omitempty"`   // the Beijing date the period starts on
	Shift string    `json:"shift,omitempty"` // the shift's name, by shift
	// Alarms is how many alarms were raised in the period;
	// PerOperatorHour the same per operator per hour.
	Alarms          int     `json:"alarms"`
	PerOperatorHour float64 `json:"perOperatorHour"`
	// Standing is how many alarms were standing at some time in the
	// period: still present rules.standingAfter after being raised.
	Standing int `json:"standing"`
	// Chattering is how many sensor conditions chattered in the period.
	Chattering int `json:"chattering"`
	// Of the alarms raised in the period, Acked were acknowledged;
	// AckMedianS and AckP90S are their times to acknowledge, in seconds
	// (absent when none was).
	Acked      int      `json:"acked"`
	AckMedianS *float64 `json:"ackMedianS,omitempty"`
	AckP90S    *float64 `json:"ackP90S,omitempty"`
	// FloodS is how long the period was in flood, FloodShare its share
	// of the period.
	FloodS     float64 `json:"floodS"`
	FloodShare float64 `json:"floodShare"`
	// BadActors are the ten sensor conditions with the most alarms raised
	// in the period, most first; TopShare their share of the alarms.
	BadActors []BadActor `json:"badActors"`
	TopShare  float64    `json:"topShare"`
	// Shelved is how many alarms were shelved at some time in the period
	// (ISA-18.2: shelved alarms are reviewed); ShelvedS their time shelved
	// within the period, summed, in seconds; Shelvings the shelvings that
	// overlap the period, by start.
	Shelved   int           `json:"shelved"`
	ShelvedS  float64       `json:"shelvedS"`
	Shelvings []ShelvingRow `json:"shelvings"`
}

// ShelvingRow is one shelving of one alarm, for review.
type ShelvingRow struct {
	Alarm      string          `json:"alarm"`
	Sensor     string          `json:"sensor"`
	Subject    string          `json:"subject,omitempty"`
	Enterprise string          `json:"enterprise,omitempty"`
	Condition  twin.Condition  `json:"condition"`
	Level      twin.AlarmLevel `json:"level"`
	twin.Shelving
}

// BadActor is one sensor condition and how many alarms it raised.
type BadActor struct {
	Sensor     string         `json:"sensor"`
	Subject    string         `json:"subject,omitempty"`
	Enterprise string         `json:"enterprise,omitempty"`
	Condition  twin.Condition `json:"condition"`
	Alarms     int            `json:"alarms"`
}

// Span is a stretch of time, with the most alarms it held: a flood.
type Span struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	Peak int       `json:"peak"` // the most alarms within one flood window
	// Ongoing says the flood goes on past the range's end, where To is cut.
	Ongoing bool `json:"ongoing,omitempty"`
}

// Chatter is one sensor condition that chattered: raised Alarms times in
// the range, from First to Last, at most MaxInWindow within one
// chattering window.
type Chatter struct {
	BadActor
	MaxInWindow int       `json:"maxInWindow"`
	First       time.Time `json:"first"`
	Last        time.Time `json:"last"`
}

// AlarmReport is the KPIs of a range by day or by shift, and their total;
// the floods in the range; the alarms standing at its end and the sensor
// conditions that chattered in it, for review.
type AlarmReport struct {
	From       time.Time     `json:"from"`
	To         time.Time     `json:"to"`
	By         string        `json:"by"`
	Periods    []AlarmKPI    `json:"periods"`
	Total      AlarmKPI      `json:"total"`
	Floods     []Span        `json:"floods"`
	Standing   []*twin.Alarm `json:"-"` // standing at To, longest first
	Chattering []Chatter     `json:"chattering"`
}

// AlarmKPIs computes the report of the alarms from from to to (at most
// now), by day or by shift.
func AlarmKPIs(alarms []*twin.Alarm, r AlarmRules, from, to time.Time, by string) AlarmReport {
	slices.SortFunc(alarms, func(a, b *twin.Alarm) int {
		return cmp.Or(a.RaisedAt.Compare(b.RaisedAt), cmp.Compare(a.ID, b.ID))
	})
	raises := make([]time.Time, len(alarms))
	for i, a := range alarms {
		raises[i] = a.RaisedAt
	}
	floods := floodSpans(raises, r.FloodThreshold(), r.Flood.Window.D())
	chats := chatters(alarms, r.Chattering)
	rep := AlarmReport{From: from, To: to, By: by}
	k := kpiCalc{alarms: alarms, rules: r, floods: floods, chats: chats, shelvings: shelvingRows(alarms)}
	for _, a := range alarms {
		if s, e := standingSpan(a, r.StandingAfter.D()); s.Before(e) {
			k.stood = append(k.stood, a)
		}
	}
	for _, p := range periods(from, to, by, r.Shifts) {
		rep.Periods = append(rep.Periods, k.period(p))
	}
	rep.Total = k.period(AlarmKPI{From: from, To: to})
	for _, f := range floods {
		if f.To.After(from) && f.From.Before(to) {
			if f.To.After(to) {
				f.To, f.Ongoing = to, true
			}
			rep.Floods = append(rep.Floods, f)
		}
	}
	for _, c := range chats {
		if c.in(from, to) {
			rep.Chattering = append(rep.Chattering, c.summary(from, to))
		}
	}
	slices.SortFunc(rep.Chattering, func(a, b Chatter) int {
		return cmp.Or(b.Alarms-a.Alarms, cmp.Compare(a.Sensor, b.Sensor), cmp.Compare(a.Condition, b.Condition))
	})
	standAt := to.Add(-time.Nanosecond) // the last instant of the range
	for _, a := range alarms {
		if s, e := standingSpan(a, r.StandingAfter.D()); !standAt.Before(s) && standAt.Before(e) {
			rep.Standing = append(rep.Standing, a)
		}
	}
	return rep
}

type kpiCalc struct {
	alarms []*twin.Alarm // by time raised
	stood  []*twin.Alarm // the alarms that were standing at some time
	rules  AlarmRules
	floods []Span
	chats  []chatter
	// shelvings of all the alarms, by start
	shelvings []ShelvingRow
}

// shelvingRows lists every shelving of the alarms, by start.
func shelvingRows(alarms []*twin.Alarm) []ShelvingRow {
	var out []ShelvingRow
	for _, a := range alarms {
		for _, s := range a.Shelvings {
			out = append(out, ShelvingRow{Alarm: a.ID, Sensor: a.Sensor, Subject: a.Subject, Enterprise: a.Enterprise,
				Condition: a.Condition, Level: a.Level, Shelving: s})
		}
	}
	slices.SortFunc(out, func(a, b ShelvingRow) int { return cmp.Or(a.From.Compare(b.From), cmp.Compare(a.Alarm, b.Alarm)) })
	return out
}

func (k kpiCalc) period(p AlarmKPI) AlarmKPI {
	hours := p.To.Sub(p.From).Hours()
	var acks []float64
	type key struct {
		sensor string
		cond   twin.Condition
	}
	actors := map[key]*BadActor{}
	for _, a := range k.stood {
		if s, e := standingSpan(a, k.rules.StandingAfter.D()); s.Before(p.To) && e.After(p.From) {
			p.Standing++
		}
	}
	lo, _ := slices.BinarySearchFunc(k.alarms, p.From, func(a *twin.Alarm, t time.Time) int { return a.RaisedAt.Compare(t) })
	hi, _ := slices.BinarySearchFunc(k.alarms, p.To, func(a *twin.Alarm, t time.Time) int { return a.RaisedAt.Compare(t) })
	for _, a := range k.alarms[lo:hi] { // raised in the period
		p.Alarms++
		if !a.AckedAt.IsZero() {
			acks = append(acks, a.AckedAt.Sub(a.RaisedAt).Seconds())
		}
		kk := key{a.Sensor, a.Condition}
		if actors[kk] == nil {
			actors[kk] = &BadActor{Sensor: a.Sensor, Subject: a.Subject, Enterprise: a.Enterprise, Condition: a.Condition}
		}
		actors[kk].Alarms++
	}
	if hours > 0 {
		p.PerOperatorHour = round3(float64(p.Alarms) / hours / float64(k.rules.Operators))
	}
	p.Acked = len(acks)
	if len(acks) > 0 {
		slices.Sort(acks)
		med, p90 := round3(quantile(acks, 0.5)), round3(quantile(acks, 0.9))
		p.AckMedianS, p.AckP90S = &med, &p90
	}
	for _, f := range k.floods {
		lo, hi := later(f.From, p.From), earlier(f.To, p.To)
		if hi.After(lo) {
			p.FloodS += hi.Sub(lo).Seconds()
		}
	}
	if d := p.To.Sub(p.From).Seconds(); d > 0 {
		p.FloodShare = round3(p.FloodS / d)
	}
	for _, c := range k.chats {
		if c.in(p.From, p.To) {
			p.Chattering++
		}
	}
	p.BadActors = make([]BadActor, 0, len(actors))
	for _, b := range actors {
		p.BadActors = append(p.BadActors, *b)
	}
	slices.SortFunc(p.BadActors, func(a, b BadActor) int {
		return cmp.Or(b.Alarms-a.Alarms, cmp.Compare(a.Sensor, b.Sensor), cmp.Compare(a.Condition, b.Condition))
	})
	p.BadActors = p.BadActors[:min(10, len(p.BadActors))]
	p.Shelvings = []ShelvingRow{}
	shelved := map[string]bool{}
	for _, s := range k.shelvings {
		lo, hi := later(s.From, p.From), earlier(s.Until, p.To)
		if !hi.After(lo) {
			continue
		}
		p.Shelvings = append(p.Shelvings, s)
		p.ShelvedS += hi.Sub(lo).Seconds()
		shelved[s.Alarm] = true
	}
	p.Shelved = len(shelved)
	p.ShelvedS = round3(p.ShelvedS)
	top := 0
	for _, b := range p.BadActors {
		top += b.Alarms
	}
	if p.Alarms > 0 {
		p.TopShare = round3(float64(top) / float64(p.Alarms))
	}
	return p
}

// standingSpan is when an alarm was standing: from standingAfter after it
// was raised until it cleared or closed (empty when that came first).
func standingSpan(a *twin.Alarm, after time.Duration) (from, to time.Time) {
	from = a.RaisedAt.Add(after)
	to = time.Unix(math.MaxInt64/2, 0) // still present
	for _, t := range []time.Time{a.ClearedAt, a.ClosedAt} {
		if !t.IsZero() && t.Before(to) {
			to = t
		}
	}
	return from, to
}

// floodSpans returns the stretches of time in which more than n alarms
// were raised within the last w: an instant t is in flood when more than
// n alarms were raised in (t−w, t].
func floodSpans(raises []time.Time, n int, w time.Duration) []Span {
	type step struct {
		at time.Time
		d  int
	}
	steps := make([]step, 0, 2*len(raises))
	for _, r := range raises {
		steps = append(steps, step{r, 1}, step{r.Add(w), -1})
	}
	// At one instant the alarms leaving the window go before those
	// coming in: an alarm counts for exactly w.
	slices.SortFunc(steps, func(a, b step) int { return cmp.Or(a.at.Compare(b.at), a.d-b.d) })
	var out []Span
	count := 0
	for i, s := range steps {
		count += s.d
		if i+1 < len(steps) && steps[i+1].at.Equal(s.at) {
			continue // the count at this instant is the one after all its steps
		}
		switch {
		case count > n && (len(out) == 0 || !out[len(out)-1].To.IsZero()):
			out = append(out, Span{From: s.at, Peak: count})
		case count > n:
			out[len(out)-1].Peak = max(out[len(out)-1].Peak, count)
		case len(out) > 0 && out[len(out)-1].To.IsZero():
			out[len(out)-1].To = s.at
		}
	}
	return out
}

// chatter is the raises of one sensor condition that chattered, and the
// instants at which its count within the window reached the rule.
type chatter struct {
	BadActor
	raises []time.Time
	hits   []time.Time // each raise that completed Raises within the window
	window time.Duration
}

func (c chatter) in(from, to time.Time) bool {
	for _, h := range c.hits {
		if !h.Before(from) && h.Before(to) {
			return true
		}
	}
	return false
}

func (c chatter) summary(from, to time.Time) Chatter {
	out := Chatter{BadActor: c.BadActor}
	out.Alarms = 0
	for i, r := range c.raises {
		if r.Before(from) || !r.Before(to) {
			continue
		}
		if out.Alarms == 0 {
			out.First = r
		}
		out.Alarms++
		out.Last = r
		j := i
		for j > 0 && r.Sub(c.raises[j-1]) < c.window {
			j--
		}
		out.MaxInWindow = max(out.MaxInWindow, i-j+1)
	}
	return out
}

// chatters finds the sensor conditions raised rule.Raises times or more
// within rule.Window: counting back from each raise, the raises less than
// the window earlier.
func chatters(alarms []*twin.Alarm, rule ChatterRule) []chatter {
	type key struct {
		sensor string
		cond   twin.Condition
	}
	by := map[key]*chatter{}
	var keys []key
	for _, a := range alarms { // by time raised
		k := key{a.Sensor, a.Condition}
		c := by[k]
		if c == nil {
			c = &chatter{BadActor: BadActor{Sensor: a.Sensor, Subject: a.Subject, Enterprise: a.Enterprise, Condition: a.Condition},
				window: rule.Window.D()}
			by[k] = c
			keys = append(keys, k)
		}
		c.raises = append(c.raises, a.RaisedAt)
		if n := len(c.raises); n >= rule.Raises && a.RaisedAt.Sub(c.raises[n-rule.Raises]) < rule.Window.D() {
			c.hits = append(c.hits, a.RaisedAt)
		}
	}
	var out []chatter
	for _, k := range keys {
		if c := by[k]; len(c.hits) > 0 {
			out = append(out, *c)
		}
	}
	return out
}

// quantile is the q-quantile of sorted xs, interpolated linearly between
// the closest ranks (Hyndman & Fan type 7, the spreadsheet's PERCENTILE).
func quantile(xs []float64, q float64) float64 {
	h := float64(len(xs)-1) * q
	lo := int(math.Floor(h))
	if lo+1 >= len(xs) {
		return xs[len(xs)-1]
	}
	return xs[lo] + (h-float64(lo))*(xs[lo+1]-xs[lo])
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// periods splits from–to into Beijing days or shifts, each clipped to the
// range.
func periods(from, to time.Time, by string, shifts []Shift) []AlarmKPI {
	var out []AlarmKPI
	l := from.In(beijing)
	day := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, beijing).AddDate(0, 0, -1)
	for ; day.Before(to); day = day.AddDate(0, 0, 1) {
		type cut struct {
			from, to time.Time
			shift    string
		}
		var cuts []cut
		if by == ByDay {
			cuts = []cut{{day, day.AddDate(0, 0, 1), ""}}
		} else {
			for i, s := range shifts {
				end := day.AddDate(0, 0, 1).Add(shifts[0].Start.D())
				if i+1 < len(shifts) {
					end = day.Add(shifts[i+1].Start.D())
				}
				cuts = append(cuts, cut{day.Add(s.Start.D()), end, s.Name})
			}
		}
		for _, c := range cuts {
			lo, hi := later(c.from, from), earlier(c.to, to)
			if hi.After(lo) {
				out = append(out, AlarmKPI{From: lo.UTC(), To: hi.UTC(), Day: c.from.Format("2006-01-02"), Shift: c.shift})
			}
		}
	}
	return out
}
