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
