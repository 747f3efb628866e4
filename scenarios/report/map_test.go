package report_test

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"parktwin/scenarios/report"
)

// TestMapKeepsShape draws a square of 1 km a side at the park's latitude:
// a degree of longitude is shorter there than one of latitude, so the
// square is 0.00899° tall and 0.01039° wide, and must be drawn square.
func TestMapKeepsShape(t *testing.T) {
	const lat, side = 30.145, 1000.0
	dLat := side / (6371008.8 * math.Pi / 180)
	dLon := dLat / math.Cos(lat*math.Pi/180)
	west, south := 120.79, lat-dLat/2
	r := &report.Report{Kind: "drill", Title: report.Text{Zh: "方块", En: "Square"}, Map: report.Map{
		Bounds: [4]float64{120.78, 30.13, 120.82, 30.16},
		Routes: []report.Route{{Vehicle: "SQ", Line: [][2]float64{
			{west, south}, {west + dLon, south}, {west + dLon, south + dLat}, {west, south + dLat},
		}}},
	}}
	page := renderHTML(t, r, "en")
	m := regexp.MustCompile(`<polyline[^>]* points="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no route drawn")
	}
	var xs, ys []float64
	for _, pair := range strings.Fields(m[1]) {
		x, y, _ := strings.Cut(pair, ",")
		xf, _ := strconv.ParseFloat(x, 64)
		yf, _ := strconv.ParseFloat(y, 64)
		xs, ys = append(xs, xf), append(ys, yf)
	}
	w, h := xs[1]-xs[0], ys[1]-ys[2] // y grows down: north is up
	if w <= 0 || h <= 0 || math.Abs(w-h) > 0.3 {
		t.Errorf("a 1 km square drawn %.1f wide and %.1f tall", w, h)
	}
	// The scale bar agrees: 1 km is as long as the square's side.
	bar := regexp.MustCompile(`d="M([\d.]+) [\d.]+ V[\d.]+ H([\d.]+) `).FindStringSubmatch(page)
	if bar == nil || !strings.Contains(page, ">1 km<") {
		t.Fatalf("no 1 km scale bar")
	}
	x1, _ := strconv.ParseFloat(bar[1], 64)
	x2, _ := strconv.ParseFloat(bar[2], 64)
	if math.Abs((x2-x1)-w) > 0.3 {
		t.Errorf("the 1 km bar is %.1f long, the square's side %.1f", x2-x1, w)
	}
}
