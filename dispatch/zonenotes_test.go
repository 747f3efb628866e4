package dispatch_test

import (
	"context"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"parktwin/dispatch"
	"parktwin/twin"
	"parktwin/twin/msg"
	"parktwin/twin/weather"
)

// TestZoneNotesAsMessages: a zone's own notes — ERG's 11 km, the guide's
// square, the wind unknown or calm, a passive plume, a footprint closed
// back to the source or cut at 10 km — carry one message each, which
// renders in English as the note and in Chinese with no English words
// (units and standards' names aside).
func TestZoneNotesAsMessages(t *testing.T) {
	tw := demoPark(t)
	inc := chlorineLeak(t, tw.Snapshot())
	var zones []dispatch.Zone
	for _, w := range []*twin.Weather{
		nil, // no weather: the wind unknown
		{WindFromDeg: 35, WindSpeedMS: 0.5, TemperatureC: 4, HumidityPct: 70, CloudOktas: 2}, // calm
		{WindFromDeg: 35, WindSpeedMS: 2, TemperatureC: 4, HumidityPct: 70, CloudOktas: 2},
	} {
		if w != nil {
			if _, err := weather.Override(context.Background(), tw, *w); err != nil {
				t.Fatal(err)
			}
		}
		zones = append(zones, zonesOf(t, tw, inc, night).Zones...)
	}
	codes := map[string]bool{}
	latin := regexp.MustCompile(`[A-Za-z]+`)
	for _, zn := range zones {
		if len(zn.NoteMsgs) != len(zn.Notes) {
			t.Errorf("%s: %d notes, %d as messages", zn.ID, len(zn.Notes), len(zn.NoteMsgs))
			continue
		}
		for i, ms := range zn.NoteMsgs {
			if got := dispatch.Messages.English(ms...); got != zn.Notes[i] {
				t.Errorf("%s: note %q renders as %q", zn.ID, zn.Notes[i], got)
			}
			zh := dispatch.Messages.Render(msg.Zh, ms...)
			for _, w := range latin.FindAllString(zh, -1) {
				if !slices.Contains([]string{"ERG", "BLEVE", "m", "km", "L"}, w) {
					t.Errorf("%s: note %q in Chinese: %q", zn.ID, zn.Notes[i], zh)
					break
				}
			}
			for _, m := range ms {
				codes[m.Code] = true
			}
		}
	}
	for _, want := range []string{"zone.note.windUnknown", "zone.note.calm", "zone.note.square", "zone.note.erg11km", "zone.note.passive"} {
		if !codes[want] {
			t.Errorf("no zone note %s among %v", want, codes)
		}
	}
	t.Logf("zone notes: %s", strings.Join(slices.Sorted(maps.Keys(codes)), ", "))
}

// TestZoneSourcesAsMessages: the sources of the zones ERG draws (a
// release's isolation and protective-action distance, a tank in a
// fire, a BLEVE's evacuation) and a confined space's are messages whose
// English is the source, and whose Chinese has no English words but the
// guide's own names (its material, a Table 3 container) and figures.
func TestZoneSourcesAsMessages(t *testing.T) {
	tw := demoPark(t)
	s := tw.Snapshot()
	zones := zonesOf(t, tw, chlorineLeak(t, s), night).Zones // no wind
	setWind(t, tw, 35)
	zones = append(zones, zonesOf(t, tw, chlorineLeak(t, s), night).Zones...)
	seen := map[string]bool{}
	for tk := range twin.All[*twin.Tank](tw.Snapshot()) {
		if tk.Chemical == "" || seen[tk.Chemical] {
			continue
		}
		seen[tk.Chemical] = true
		zones = append(zones, zonesOf(t, tw, fireOn(tk, twin.LevelII), night).Zones...)
	}
	models := map[string]int{}
	latin := regexp.MustCompile(`[A-Za-z]+`)
	for _, zn := range zones {
		erg := strings.HasPrefix(zn.Model, "erg")
		if len(zn.SourceMsg) == 0 {
			if erg {
				t.Errorf("%s (%s): source %q has no message", zn.ID, zn.Model, zn.Source)
			}
			continue
		}
		if models[zn.Model] == 0 {
			t.Logf("%s: %s", zn.ID, dispatch.Messages.Render(msg.Zh, zn.SourceMsg...))
		}
		models[zn.Model]++
		if got := dispatch.Messages.English(zn.SourceMsg...); got != zn.Source {
			t.Errorf("%s: source %q renders as %q", zn.ID, zn.Source, got)
		}
		zh := dispatch.Messages.Render(msg.Zh, withoutNames(zn.SourceMsg)...)
		for _, w := range latin.FindAllString(zh, -1) {
			if !slices.Contains([]string{"ERG", "BLEVE", "UN", "m", "t", "L", "km"}, w) {
				t.Errorf("%s: source %q in Chinese: %q", zn.ID, zn.Source, zh)
				break
			}
		}
	}
	for _, want := range []string{"erg", "erg-fire", "erg-bleve"} {
		if models[want] == 0 {
			t.Errorf("no zone of %s among %v", want, models)
		}
	}
}

// withoutNames returns ms with the arguments that are ERG's own names
// (its material, a container) and numbers (a UN number) emptied, at any
// depth.
func withoutNames(ms []msg.Msg) []msg.Msg {
	out := make([]msg.Msg, len(ms))
	for i, m := range ms {
		c := msg.Msg{Code: m.Code, Args: map[string]any{}}
		for k, v := range m.Args {
			switch v := v.(type) {
			case msg.Msg:
				c.Args[k] = withoutNames([]msg.Msg{v})
			case []msg.Msg:
				c.Args[k] = withoutNames(v)
			default:
				if k == "material" || k == "container" {
					v = ""
				}
				c.Args[k] = v
			}
		}
		out[i] = c
	}
	return out
}
