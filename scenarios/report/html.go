package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
)

//go:embed html.tmpl
var htmlSource string

// htmlPage is parsed once; html/template escapes every value it is given,
// and names in a report come from users.
var htmlPage = template.Must(template.New("report").Parse(htmlSource))

// HTML writes r as a printable HTML page, standing alone (its CSS and its
// SVG map inline), with its labels in lang: "en" for English, Chinese
// otherwise.
func HTML(w io.Writer, r *Report, lang string) error {
	p, err := newPage(r, lang)
	if err != nil {
		return fmt.Errorf("report html: %w", err)
	}
	var buf bytes.Buffer // a half-written page is worse than none
	if err := htmlPage.Execute(&buf, htmlData{page: p, SVG: newSVGMap(p.Map)}); err != nil {
		return fmt.Errorf("report html: %w", err)
	}
	if _, err := buf.WriteTo(w); err != nil {
		return fmt.Errorf("report html: %w", err)
	}
	return nil
}

type htmlData struct {
	*page
	SVG svgMap
}

// The SVG map's box, in its own units; the page scales it to its width.
const (
	svgW, svgH = 800.0, 500.0
	svgPad     = 24.0 // room for markers and labels at the edges
)

// svgMap is the map projected onto the SVG's box.
type svgMap struct {
	W, H      float64
	Incidents []svgPlace
	Routes    []svgRoute
	Scale     struct {
		X1, X2, Y, Tick float64 // Tick: the top of the bar's ends
		Label           string
	}
}

type svgPlace struct {
	X, Y  float64
	Label string
}

type svgRoute struct {
	Points         string // the polyline's points attribute
	Colour         string
	Vehicle        string
	LabelX, LabelY float64 // the route's start
	DX, DY         float64 // the label's offset from it, clear of the route
	Anchor         string  // "end" for a label left of the start

}

func newSVGMap(m Map) svgMap {
	s := svgMap{W: svgW, H: svgH}
	p := newProjection(m, svgW-2*svgPad, svgH-2*svgPad)
	xy := func(pt [2]float64) (float64, float64) {
		x, y := p.xy(pt)
		return round1(x + svgPad), round1(y + svgPad)
	}
	for i, r := range m.Routes {
		pts := p.projectLine(r.Line)
		if len(pts) == 0 {
			continue
		}
		rt := svgRoute{Colour: routeColours[i%len(routeColours)].hex(), Vehicle: r.Vehicle, DX: 6, DY: -6}
		strs := make([]string, len(pts))
		for j, pt := range pts {
			strs[j] = num(round1(pt[0]+svgPad)) + "," + num(round1(pt[1]+svgPad))
		}
		rt.Points = strings.Join(strs, " ")
		rt.LabelX, rt.LabelY = round1(pts[0][0]+svgPad), round1(pts[0][1]+svgPad)
		left, above := labelSide(pts)
		if left {
			rt.Anchor, rt.DX = "end", -6
		}
		if !above {
			rt.DY = 16
		}
		s.Routes = append(s.Routes, rt)
	}
	for _, in := range m.Incidents {
		if !finite(in.Point[0], in.Point[1]) {
			continue
		}
		x, y := xy(in.Point)
		s.Incidents = append(s.Incidents, svgPlace{X: x, Y: y, Label: in.Label})
	}
	length, label := p.scaleBar(svgW / 4)
	s.Scale.X1, s.Scale.Y, s.Scale.Tick = svgPad, svgH-svgPad/2, svgH-svgPad/2-6
	s.Scale.X2, s.Scale.Label = round1(svgPad+length), label
	return s
}

// round1 keeps a tenth of a unit: finer than any screen or printer needs,
// and short in the page.
func round1(x float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 1, 64), 64)
	return v
}

func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
