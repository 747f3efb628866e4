package dispatch_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"parktwin/dispatch"
	"parktwin/twin"
	"parktwin/twin/msg"
)

// TestMessagesTranslated renders every plan message code in both
// languages: each has both templates, asking for the same arguments,
// with no Chinese in the English and no English words in the Chinese
// (units and standards' names aside).
func TestMessagesTranslated(t *testing.T) {
	for _, err := range dispatch.Messages.Check() {
		t.Error(err)
	}
	for code, tp := range dispatch.Messages {
		m := msg.Msg{Code: code, Args: map[string]any{}}
		for _, a := range msg.Placeholders(tp.En + tp.Zh) {
			m.Args[a] = "ARG"
		}
		for _, lang := range []string{msg.En, msg.Zh} {
			got := dispatch.Messages.Render(lang, m)
			if got == code || strings.Contains(got, "{") {
				t.Errorf("%s in %s renders as %q", code, lang, got)
			}
		}
	}
}

// TestPlanMessagesAreItsText plans a chlorine leak (staging, hot zones,
// tactics, escalation), a tank fire (foam carried, coverage) and a
// tank fire with too few foam tenders free, and checks that every
// reason, note and shortfall's message renders in English as exactly the
// text beside it, and uses only codes of the catalogue; and that the
// Chinese rendering holds no code left unrendered.
func TestPlanMessagesAreItsText(t *testing.T) {
	tw := demoPark(t)
	setWind(t, tw, 35)
	r := dispatch.DefaultRules()
	s := tw.Snapshot()
	g := dispatch.NewGraph(s)
	tank := floatingRoofTank(t, s)
	incs := []*twin.Incident{chlorineLeak(t, s), fireOn(tank, twin.LevelIII), fireOn(tank, twin.LevelI)}
	for _, inc := range incs {
		p, err := r.Plan(s, g, inc, time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		name := inc.Type.String() + " " + inc.Level.String()
		check := func(what, text string, ms []msg.Msg) {
			t.Helper()
			if text != "" && len(ms) == 0 {
				t.Errorf("%s: %s %q has no message", name, what, text)
				return
			}
			if got := dispatch.Messages.English(ms...); got != text {
				t.Errorf("%s: %s renders as\n%q\nbut reads\n%q", name, what, got, text)
			}
			walk(ms, func(m msg.Msg) {
				if _, ok := dispatch.Messages[m.Code]; !ok {
					t.Errorf("%s: %s uses code %s, not in the catalogue", name, what, m.Code)
				}
			})
			if zh := dispatch.Messages.Render(msg.Zh, ms...); strings.Contains(zh, "{") {
				t.Errorf("%s: %s in Chinese leaves a placeholder: %q", name, what, zh)
			}
		}
		if len(p.Assignments) == 0 || len(p.Notes) == 0 {
			t.Fatalf("%s: a plan with nothing to check: %d assignments, %d notes", name, len(p.Assignments), len(p.Notes))
		}
		for _, a := range p.Assignments {
			check("reason of "+a.Vehicle, a.Reason, a.ReasonMsg)
		}
		if len(p.NoteMsgs) != len(p.Notes) {
			t.Fatalf("%s: %d notes, %d note messages", name, len(p.Notes), len(p.NoteMsgs))
		}
		for i, n := range p.Notes {
			check("note", n, p.NoteMsgs[i])
		}
		for _, sf := range p.Shortfalls {
			if sf.WhatMsg != nil {
				check("shortfall", sf.What, []msg.Msg{*sf.WhatMsg})
			}
			if sf.ReasonMsg != nil {
				check("shortfall reason", sf.Reason, sf.ReasonMsg)
			}
		}
		for _, q := range p.Requirements {
			check("requirement "+q.What, q.Reason, q.ReasonMsg)
		}
		if p.Staging != nil {
			check("staging", p.Staging.Reason, p.Staging.ReasonMsg)
		}
		if p.WarmExit != nil {
			check("warm exit", p.WarmExit.Reason, p.WarmExit.ReasonMsg)
		}
	}
}

// walk calls f on every message in ms and in their arguments.
func walk(ms []msg.Msg, f func(msg.Msg)) {
	for _, m := range ms {
		f(m)
		for _, v := range m.Args {
			switch v := v.(type) {
			case msg.Msg:
				walk([]msg.Msg{v}, f)
			case []msg.Msg:
				walk(v, f)
			}
		}
	}
}

// TestTimelineMessagesAreItsText walks an incident through the desk —
// reported, reported again graver (merged, level raised), a release
// entered, planned and confirmed, under control, closed — and checks
// that every step of its timeline carries its message, which renders in
// English as the step's text and in Chinese with nothing left over.
func TestTimelineMessagesAreItsText(t *testing.T) {
	d, tw, clock := deskOnDemo(t)
	ctx := context.Background()
	tank := floatingRoofTank(t, tw.Snapshot())
	inc, _, err := d.Report(ctx, dispatch.Report{Type: "tank-fire", Entity: tank.ID, Level: "III", Reporter: "企业值班员"})
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	if _, _, err := d.Report(ctx, dispatch.Report{Type: "tank-fire", Entity: tank.ID, Level: "II", Reporter: "巡查员"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := d.SetRelease(ctx, inc.ID, twin.Release{RateKgS: 2, DurationS: 600}, "值班员"); err != nil {
		t.Fatal(err)
	}
	p, err := d.Plan(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Confirm(ctx, inc.ID, *p, "值班员"); err != nil {
		t.Fatal(err)
	}
	for _, to := range []twin.IncidentState{twin.IncidentUnderControl, twin.IncidentClosed} {
		if _, err := d.SetState(ctx, inc.ID, to, "指挥长"); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := twin.Lookup[*twin.Incident](tw.Snapshot(), inc.ID)
	if len(got.Timeline) < 7 {
		t.Fatalf("%d steps: %+v", len(got.Timeline), got.Timeline)
	}
	for _, e := range got.Timeline {
		if e.WhatMsg == nil {
			t.Errorf("step %q has no message", e.What)
			continue
		}
		if en := dispatch.Messages.English(*e.WhatMsg); en != e.What {
			t.Errorf("step %q renders as %q", e.What, en)
		}
		if zh := dispatch.Messages.Render(msg.Zh, *e.WhatMsg); strings.Contains(zh, "{") || zh == e.WhatMsg.Code {
			t.Errorf("step %q in Chinese: %q", e.What, zh)
		}
	}
}
