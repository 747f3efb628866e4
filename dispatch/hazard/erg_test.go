package hazard

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The CSV's units: ERG 2016 prints chlorine's small-spill distances as
// 60 m, 0.3 km, 1.1 km and its rail-car Table 3 row as 1000 m; 9.9, 6.4,
// 5.1 km by day and 11+, 9.0, 6.7 km by night; ammonia's rail-car row as
// 300 m; 1.7, 1.3, 1.0 km; 4.3, 2.3, 1.3 km. The CSV holds 60, 300, 1100,
// 9900 …: metres throughout, 11000 standing for "more than 11 km".
// [The printed figures are recalled, not re-read in this work.]
func TestERGKnownEntries(t *testing.T) {
	got, err := ERG(ERGInput{UN: 1017})
	if err != nil {
		t.Fatal(err)
	}
	cl := got.Entries[0]
	if diff := cmp.Diff(ERGDistances{IsolationM: 60, DayM: 300, NightM: 1100}, cl.Small); diff != "" {
		t.Errorf("chlorine small spill (-want +got):\n%s", diff)
	}
	if !cl.LargeByTable3 || cl.Table3[0].Code != "RAIL" {
		t.Fatalf("chlorine: %+v", cl)
	}
	want := ERGContainer{Code: "RAIL", Name: "rail tank car", IsolationM: 1000,
		Day: ERGWind{9900, 6400, 5100}, Night: ERGWind{11000, 9000, 6700}}
	if diff := cmp.Diff(want, cl.Table3[0]); diff != "" {
		t.Errorf("chlorine rail car (-want +got):\n%s", diff)
	}
	am, _ := ERG(ERGInput{UN: 1005, Container: "rail", WindSpeedMS: ptr(4)})
	if diff := cmp.Diff(&ERGPick{WindClass: "moderate", IsolationM: 300, DayM: 1300, NightM: 2300}, am.Pick); diff != "" {
		t.Errorf("ammonia rail car, 4 m/s (-want +got):\n%s", diff)
	}
	low, _ := ERG(ERGInput{UN: 1017, Container: "RAIL", WindSpeedMS: ptr(2)})
	if low.Pick.WindClass != "low" || low.Pick.NightM != 11000 {
		t.Errorf("chlorine rail, 2 m/s: %+v", low.Pick)
	}
	hi, _ := ERG(ERGInput{UN: 1017, Container: "RAIL", WindSpeedMS: ptr(7)})
	if hi.Pick.WindClass != "high" || hi.Pick.DayM != 5100 {
		t.Errorf("chlorine rail, 7 m/s: %+v", hi.Pick)
	}
	// Propane's BLEVE row: a 2000 L tank goes by the 2000 L row, 2500 L by 4000 L.
	p, _ := ERG(ERGInput{UN: 1978, CapacityL: ptr(2500)})
	if p.Pick.BLEVECapacityL != 4000 || p.Pick.BLEVEEvacM != 1050 {
		t.Errorf("propane 2500 L: %+v", p.Pick)
	}
	// All 684 rows loaded, and the six Table 3 gases are there.
	n := 0
	for _, es := range tables.erg {
		n += len(es)
	}
	if n < 600 {
		t.Errorf("%d ERG rows with a UN number", n)
	}
	for _, un := range []int{1005, 1017, 1040, 1050, 1052, 1079} {
		if !tables.erg[un][0].LargeByTable3 {
			t.Errorf("UN%d not in Table 3", un)
		}
	}
}

func TestERGRefuses(t *testing.T) {
	_, err := ERG(ERGInput{UN: 9999})
	refused(t, err, "un")
	_, err = ERG(ERGInput{UN: 1017, Container: "AG", WindSpeedMS: ptr(3)})
	refused(t, err, "container")
	_, err = ERG(ERGInput{UN: 1017, Container: "RAIL"})
	refused(t, err, "windSpeedMS")
	_, err = ERG(ERGInput{UN: 1978, CapacityL: ptr(500000)})
	refused(t, err, "capacityL")
	_, err = ERG(ERGInput{UN: 1017, CapacityL: ptr(100)})
	refused(t, err, "capacityL")
}

// The CSV's guide rows (IDNum 0) carry each orange guide's general
// distances (ERG 2016, guides 115 and 128): isolate 100 m / 50 m, large
// spill 800 m / 300 m, tank in fire 1,600 m / 800 m.
func TestERGGuideRows(t *testing.T) {
	for _, c := range []struct{ guide, iso, large, fire int }{{115, 100, 800, 1600}, {116, 100, 800, 1600}, {128, 50, 300, 800}, {131, 50, 0, 800}} {
		e, ok := ERGGuide(c.guide)
		if !ok {
			t.Fatalf("guide %d: no row", c.guide)
		}
		if e.Small.IsolationM != c.iso || e.Large.IsolationM != c.large || e.FireIsolationM != c.fire {
			t.Errorf("guide %d: %+v, want isolate %d, large spill %d, fire %d", c.guide, e, c.iso, c.large, c.fire)
		}
	}
	if _, ok := ERGGuide(999); ok {
		t.Error("guide 999 found")
	}
}
