package dispatch_test

import (
	"context"
	"encoding/xml"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"

	"parktwin/dispatch"
	"parktwin/twin"
	"parktwin/twin/weather"
)

func TestZoneConfigShipped(t *testing.T) {
	c := dispatch.DefaultZoneConfig()
	if c.Release.DefaultHoleMM != 25 || c.Release.DischargeCoefficient != 0.61 || c.ERG.SmallSpillMaxL != 208 {
		t.Errorf("zones.yaml: %+v", c.Release)
	}
	for _, bad := range []struct{ yaml, want string }{
		{"release: {defaultHoleMM: 0}", "release.defaultHoleMM"},
		{"nonsense: 1", "nonsense"},
	} {
		if _, err := dispatch.ParseZoneConfig("bad.yaml", []byte(bad.yaml)); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%q: %v, want an error naming %s", bad.yaml, err, bad.want)
		}
	}
}

// zonesOf computes the zones of inc on tw's park at t.
func zonesOf(t *testing.T, tw *twin.Twin, inc *twin.Incident, at time.Time) *dispatch.IncidentZones {
	t.Helper()
	z, err := dispatch.DefaultZoneConfig().ComputeZones(tw.Snapshot(), inc, at)
	if err != nil {
		t.Fatal(err)
	}
	if z == nil {
		t.Fatal("no zones")
	}
	return z
}

// centroidBearing is the bearing from the source of a zone's vertices'
// mean.
func centroidBearing(src orb.Point, zn *dispatch.Zone) float64 {
	var c orb.Point
	ring := zn.Polygon[0]
	for _, p := range ring[:len(ring)-1] {
		c[0] += p[0]
		c[1] += p[1]
	}
	n := float64(len(ring) - 1)
	return bearingOf(src, orb.Point{c[0] / n, c[1] / n})
}

// The demo park's chlorine tank on a clear winter night, 2 m/s from 35°,
// the default release: a 25 mm hole below the liquid (Crowl & Louvar
// eq. 4-6 worked here by hand), 10 minutes, a large spill. ERG 2016 Table 3
// (rail tank car, night, low wind): isolate 1000 m, protect 11 km
// downwind; by day 9.9 km. The footprints and the protective action area
// lie downwind (215°); the villages on the axis are inside and on the
// evacuation list, the gravest zones first.
func TestChlorineZones(t *testing.T) {
	tw := demoPark(t)
	setWind(t, tw, 35)
	inc := chlorineLeak(t, tw.Snapshot())
	z := zonesOf(t, tw, inc, night)
	src := z.Source
	// 0.80 full: the demo fills a fixed liquid-chlorine tank to at most 80 %
	// of its volume (GB 11984 [unverified]; issue 13, point 16 and the
	// second review).
	if want := 60 * 0.80 * 1470.0; math.Abs(src.InventoryKg-want) > 1 {
		t.Errorf("inventory %v kg, want %v", src.InventoryKg, want)
	}
	// Qm = C0 A √(2ρ(ΔP + ρgh)), ΔP from the vapour pressure at 4 °C
	// (Clausius-Clapeyron through 673 kPa at 20 °C and 1150 kPa at 40 °C).
	b := math.Log(1150.0/673) / (1/293.15 - 1/313.15)
	psat := 673 * math.Exp(b*(1/293.15-1/277.15))
	dp := (psat-101.325)*1000 + 1470*9.80665*(0.80*2.8)
	want := 0.61 * math.Pi / 4 * 0.025 * 0.025 * math.Sqrt(2*1470*dp)
	if math.Abs(src.RateKgS-want)/want > 1e-6 {
		t.Errorf("release rate %v kg/s, by hand %v", src.RateKgS, want)
	}
	if src.Spill != "large" || src.DurationS != 600 || src.AirborneKgS != src.RateKgS || src.Entered {
		t.Errorf("source %+v", src)
	}
	if !z.Night || z.Stability == nil || z.Stability.Class != "F" {
		t.Errorf("night %v, stability %+v: want a night with class F", z.Night, z.Stability)
	}
	iso := zoneOf(t, z, "isolation")
	pad := zoneOf(t, z, "protective-action")
	if iso.Circle.RadiusM != 1000 || pad.Value != 11000 || !iso.Hot || pad.Hot {
		t.Errorf("isolation %v m (hot %v), protective action %v m (hot %v)", iso.Circle.RadiusM, iso.Hot, pad.Value, pad.Hot)
	}
	for _, name := range []string{"protective-action", "toxic-AEGL-2", "toxic-AEGL-1"} {
		if b := centroidBearing(inc.Position, zoneOf(t, z, name)); angle(b, 215) > 1 {
			t.Errorf("%s lies at %.1f° from the source, want downwind 215°", name, b)
		}
	}
	aegl2 := zoneOf(t, z, "toxic-AEGL-2")
	if !aegl2.Hot || aegl2.Unit != "ppm" || aegl2.Value != 2 {
		t.Errorf("AEGL-2 %+v", aegl2)
	}
	var hot []string
	for _, h := range z.Hot() {
		hot = append(hot, h.ID)
	}
	if !slices.Equal(hot, []string{"INC-00001/isolation", "INC-00001/toxic-AEGL-2"}) {
		t.Errorf("hot zones %v", hot)
	}
	// Inside: the isolation circle holds enterprises with their people;
	// TGT-07 (4.3 km on the axis) is in the protective action area.
	if len(iso.Inside.Enterprises) == 0 || iso.Inside.People == 0 || len(iso.Inside.Roads) == 0 {
		t.Errorf("nothing inside the isolation circle: %+v", iso.Inside)
	}
	if !slices.ContainsFunc(pad.Inside.Targets, func(x dispatch.InsideTarget) bool { return x.ID == "TGT-07" }) {
		t.Errorf("TGT-07 not in the protective action area: %+v", pad.Inside.Targets)
	}
	for _, tg := range pad.Inside.Targets {
		target, _ := twin.Lookup[*twin.Target](tw.Snapshot(), tg.ID)
		if !planar.PolygonContains(pad.Polygon, target.Position) {
			t.Errorf("%s listed inside but outside the polygon", tg.ID)
		}
	}
	if len(z.Evacuation) == 0 || z.Evacuation[0].Priority != 1 {
		t.Fatalf("evacuation list %+v", z.Evacuation)
	}
	// The list goes from the gravest zone down.
	rank := map[string]int{}
	for i, zn := range z.Zones {
		rank[zn.ID] = i
	}
	for i := 1; i < len(z.Evacuation); i++ {
		a, b := z.Evacuation[i-1], z.Evacuation[i]
		za, zb := zoneByID(z, a.Zone), zoneByID(z, b.Zone)
		if za.Hot == zb.Hot && za.Kind == zb.Kind && za.Rank > zb.Rank {
			t.Errorf("evacuation %d (%s in %s) before %d (%s in %s)", a.Priority, a.Target, a.Zone, b.Priority, b.Target, b.Zone)
		}
	}

	// By day the protective action distance is the day's.
	noon := time.Date(2026, 12, 1, 12, 0, 0, 0, night.Location())
	if d := zoneOf(t, zonesOf(t, tw, inc, noon), "protective-action"); d.Value != 9900 {
		t.Errorf("by day: protect %v m, want ERG's 9900 m", d.Value)
	}
}

func zoneByID(z *dispatch.IncidentZones, id string) *dispatch.Zone {
	for i := range z.Zones {
		if z.Zones[i].ID == id {
			return &z.Zones[i]
		}
	}
	return nil
}

// A release entered as a small leak: Table 1's small spill (isolate 60 m,
// protect 1.1 km at night).
func TestSmallSpillZones(t *testing.T) {
	tw := demoPark(t)
	setWind(t, tw, 35)
	inc := chlorineLeak(t, tw.Snapshot())
	inc.Release = &twin.Release{RateKgS: 0.2, DurationS: 60} // 12 kg: 8 L
	z := zonesOf(t, tw, inc, night)
	if z.Source.Spill != "small" || !z.Source.Entered {
		t.Fatalf("source %+v", z.Source)
	}
	if iso, pad := zoneOf(t, z, "isolation"), zoneOf(t, z, "protective-action"); iso.Circle.RadiusM != 60 || pad.Value != 1100 {
		t.Errorf("isolate %v m, protect %v m; want 60 and 1100", iso.Circle.RadiusM, pad.Value)
	}
}

// Without weather there is no downwind zone: a toxic-by-inhalation
// chemical's protective action distance goes all round (the wind's way
// unknown, issue 13); in a calm no plume is drawn and the protective
// action distance goes all round.
func TestZonesWithoutWind(t *testing.T) {
	tw := demoPark(t)
	inc := chlorineLeak(t, tw.Snapshot())
	z := zonesOf(t, tw, inc, night)
	for _, zn := range z.Zones {
		if zn.Kind != dispatch.ZoneIsolation && (zn.Kind != dispatch.ZoneProtectiveAction || zn.Circle == nil || zn.Hot) {
			t.Errorf("without weather: zone %s", zn.ID)
		}
	}
	if !slices.ContainsFunc(z.Notes, func(n string) bool { return strings.Contains(n, "no weather") }) {
		t.Errorf("notes %v do not say there is no weather", z.Notes)
	}
	w := twin.Weather{WindFromDeg: 35, WindSpeedMS: 0.5, TemperatureC: 4, HumidityPct: 70, CloudOktas: 2}
	if _, err := weather.Override(context.Background(), tw, w); err != nil {
		t.Fatal(err)
	}
	z = zonesOf(t, tw, inc, night)
	pad := zoneOf(t, z, "protective-action")
	if pad.Circle == nil || slices.ContainsFunc(z.Zones, func(zn dispatch.Zone) bool { return zn.Kind == dispatch.ZoneToxic }) {
		t.Errorf("calm: protective action %+v, zones %d", pad.Circle, len(z.Zones))
	}
}

// A fire on a floating-roof tank: heat-flux rings about the tank, the
// 12.5 kW/m² one hot, each wider than the tank.
func TestTankFireZones(t *testing.T) {
	tw := demoPark(t)
	setWind(t, tw, 35)
	s := tw.Snapshot()
	var tank *twin.Tank
	for tk := range twin.All[*twin.Tank](s) {
		if tk.Chemical == "71-43-2" && tk.Type == twin.InternalFloatingRoof {
			tank = tk
			break
		}
	}
	if tank == nil {
		t.Skip("no benzene internal floating-roof tank")
	}
	inc := fireOn(tank, twin.LevelIII)
	z := zonesOf(t, tw, inc, night)
	hot := zoneOf(t, z, "poolfire-12.5")
	if !hot.Hot || hot.Circle == nil || hot.Circle.RadiusM <= tank.DiameterM/2 {
		t.Errorf("12.5 kW/m² ring %+v around a %.1f m tank", hot.Circle, tank.DiameterM)
	}
	r := []float64{}
	for _, zn := range z.Zones {
		if zn.Model == "poolfire" {
			r = append(r, zn.Circle.RadiusM) // 37.5 kW/m² first, where the flame reaches it
		}
	}
	if len(r) < 3 {
		t.Errorf("%d pool-fire rings", len(r))
	}
	if !slices.IsSorted(r) {
		t.Errorf("rings %v: the weaker flux must reach farther", r)
	}
}

// Impossible releases are refused naming the input, and change nothing.
func TestReleaseRefused(t *testing.T) {
	tw := demoPark(t)
	desk := dispatch.NewDesk(tw, dispatch.DefaultRules())
	ctx := context.Background()
	inc, _, err := desk.Report(ctx, dispatch.Report{Type: "toxic-release", Entity: "TNK-0013-01", Level: "III", Reporter: "值班员"})
	if err != nil {
		t.Fatal(err)
	}
	before := tw.Snapshot().Seq()
	for _, c := range []struct {
		rel   twin.Release
		field string
	}{
		{twin.Release{HoleDiameterMM: 3000}, "holeDiameterMM"},       // wider than the 2.8 m tank
		{twin.Release{InventoryKg: 100000}, "inventoryKg"},           // 60 m³ of chlorine is 88.2 t
		{twin.Release{RateKgS: 1e5 - 1}, "rateKgS"},                  // empties 79 t at once
		{twin.Release{DurationS: -5}, "durationS"},                   // negative
		{twin.Release{HoleDiameterMM: 25, RateKgS: 2}, "rateKgS"},    // both
		{twin.Release{HoleDiameterMM: 25, Phase: "gas"}, "phase"},    // unknown
		{twin.Release{HoleDiameterMM: math.NaN()}, "holeDiameterMM"}, // not a number
	} {
		_, _, err := desk.SetRelease(ctx, inc.ID, c.rel, "调度员")
		if twin.ErrorCode(err) != twin.EINVALID || twin.ErrorField(err) != c.field {
			t.Errorf("%+v: %v, want invalid %s", c.rel, err, c.field)
		}
	}
	if tw.Snapshot().Seq() != before {
		t.Error("a refused release changed the park")
	}
}

// An entered release is kept on the incident with who entered it, in its
// timeline; the zones follow it, and stay the same zones (the same
// pointer) until something they depend on changes.
func TestSetReleaseMovesTheZones(t *testing.T) {
	tw := demoPark(t)
	desk := dispatch.NewDesk(tw, dispatch.DefaultRules())
	ctx := context.Background()
	setWind(t, tw, 35)
	inc, _, err := desk.Report(ctx, dispatch.Report{Type: "toxic-release", Entity: "TNK-0013-01", Level: "III", Reporter: "值班员"})
	if err != nil {
		t.Fatal(err)
	}
	z0, err := desk.Zones(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := desk.Zones(inc.ID); again != z0 {
		t.Error("the zones were computed again with nothing changed")
	}
	got, src, err := desk.SetRelease(ctx, inc.ID, twin.Release{HoleDiameterMM: 50, DurationS: 1800, Note: "液相阀"}, "调度员乙")
	if err != nil {
		t.Fatal(err)
	}
	if got.Release == nil || got.Release.By != "调度员乙" || got.Release.HoleDiameterMM != 50 {
		t.Errorf("release kept %+v", got.Release)
	}
	last := got.Timeline[len(got.Timeline)-1]
	if last.By != "调度员乙" || !strings.Contains(last.What, "release entered: a 50 mm hole") {
		t.Errorf("timeline %+v", last)
	}
	z1, err := desk.Zones(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if z1 == z0 || !z1.Source.Entered || math.Abs(z1.Source.RateKgS-4*z0.Source.RateKgS)/z1.Source.RateKgS > 1e-9 || src.RateKgS != z1.Source.RateKgS {
		t.Errorf("a 50 mm hole: %v kg/s, the 25 mm %v kg/s: want four times", z1.Source.RateKgS, z0.Source.RateKgS)
	}
	setWind(t, tw, 125)
	z2, _ := desk.Zones(inc.ID)
	if z2 == z1 {
		t.Error("the wind turned and the zones stayed")
	}
	if b := centroidBearing(inc.Position, zoneOf(t, z2, "protective-action")); angle(b, 305) > 1 {
		t.Errorf("the protective action area at %.0f°, want 305°", b)
	}
}

// The zones as GeoJSON: a FeatureCollection of closed polygons with the
// incident's figures as foreign members; as CAP 1.2: one area per zone,
// circles as "lat,lon radius-km", polygons as closed "lat,lon" rings.
func TestZonesExport(t *testing.T) {
	tw := demoPark(t)
	setWind(t, tw, 35)
	inc := chlorineLeak(t, tw.Snapshot())
	z := zonesOf(t, tw, inc, night)
	b, err := z.FeatureCollection()
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(fc.Features) != len(z.Zones) || fc.ExtraMembers["incident"] != "INC-00001" || fc.ExtraMembers["evacuation"] == nil {
		t.Fatalf("%d features for %d zones, members %v", len(fc.Features), len(z.Zones), fc.ExtraMembers)
	}
	for _, f := range fc.Features {
		pg, ok := f.Geometry.(orb.Polygon)
		if !ok || len(pg[0]) < 4 || pg[0][0] != pg[0][len(pg[0])-1] {
			t.Errorf("%v: not a closed polygon", f.ID)
		}
		if _, ok := f.Properties["inside"]; !ok || f.Properties["incident"] != "INC-00001" {
			t.Errorf("%v: properties %v", f.ID, f.Properties)
		}
	}

	a := z.CAP(dispatch.CAPOptions{Sender: "parktwin@test", Exercise: true, Twin: "SBX-01"})
	x, err := xml.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		XMLName xml.Name
		Status  string `xml:"status"`
		Sent    string `xml:"sent"`
		Info    []struct {
			Language string `xml:"language"`
			Area     []struct {
				AreaDesc string   `xml:"areaDesc"`
				Polygon  []string `xml:"polygon"`
				Circle   []string `xml:"circle"`
			} `xml:"area"`
		} `xml:"info"`
	}
	if err := xml.Unmarshal(x, &back); err != nil {
		t.Fatal(err)
	}
	if back.XMLName.Space != dispatch.CAPNamespace || back.XMLName.Local != "alert" || back.Status != "Exercise" {
		t.Errorf("alert %v, status %s", back.XMLName, back.Status)
	}
	if _, err := time.Parse("2006-01-02T15:04:05-07:00", back.Sent); err != nil || strings.Contains(back.Sent, "Z") {
		t.Errorf("sent %q is not CAP's dateTime", back.Sent)
	}
	if len(back.Info) != 2 || back.Info[0].Language != "zh-CN" || back.Info[1].Language != "en-US" {
		t.Fatalf("info blocks %+v", back.Info)
	}
	for _, area := range back.Info[1].Area {
		for _, c := range area.Circle {
			parts := strings.Fields(c)
			ll := strings.Split(parts[0], ",")
			lat, _ := strconv.ParseFloat(ll[0], 64)
			r, err := strconv.ParseFloat(parts[1], 64)
			if len(parts) != 2 || len(ll) != 2 || err != nil || math.Abs(lat-inc.Position[1]) > 1e-5 || r <= 0 {
				t.Errorf("%s: circle %q", area.AreaDesc, c)
			}
		}
		for _, p := range area.Polygon {
			pts := strings.Fields(p)
			if len(pts) < 4 || pts[0] != pts[len(pts)-1] {
				t.Errorf("%s: polygon of %d points, closed %v", area.AreaDesc, len(pts), pts[0] == pts[len(pts)-1])
			}
			lat, _ := strconv.ParseFloat(strings.Split(pts[1], ",")[0], 64)
			if math.Abs(lat-inc.Position[1]) > 0.2 {
				t.Errorf("%s: the first number of a pair (%v) is not the latitude", area.AreaDesc, lat)
			}
		}
	}
	if len(back.Info[0].Area) != len(z.Zones) {
		t.Errorf("%d areas for %d zones", len(back.Info[0].Area), len(z.Zones))
	}
}

// A report from an alarm on a hazard unit names no chemical, so its
// incident has no zones; a further report naming the tank brings the
// chemical, and the zones follow.
func TestMergedReportNamesTheChemical(t *testing.T) {
	tw := demoPark(t)
	setWind(t, tw, 35)
	desk := dispatch.NewDesk(tw, dispatch.DefaultRules())
	ctx := context.Background()
	tk, _ := twin.Lookup[*twin.Tank](tw.Snapshot(), "TNK-0013-01")
	first, _, err := desk.Report(ctx, dispatch.Report{Type: "toxic-release", Point: []float64{tk.Position[0], tk.Position[1]}, Level: "III", Reporter: "值班员"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := desk.Zones(first.ID); twin.ErrorCode(err) != twin.ECONFLICT {
		t.Fatalf("zones of an incident without a chemical: %v", err)
	}
	again, merged, err := desk.Report(ctx, dispatch.Report{Type: "toxic-release", Entity: tk.ID, Level: "III", Reporter: "夜班班长"})
	if err != nil || !merged || again.ID != first.ID || again.Chemical != "7782-50-5" {
		t.Fatalf("merged %v into %s, chemical %q: %v", merged, again.ID, again.Chemical, err)
	}
	if z, err := desk.Zones(first.ID); err != nil || len(z.Zones) == 0 {
		t.Fatalf("zones after the chemical was named: %v", err)
	}
}
