package report

import "github.com/go-pdf/fpdf"

// pdfMapH is the map's height on the page (mm); it is as wide as the text.
const pdfMapH = 125.0

// drawMap draws the incidents as labelled markers and the routes as lines
// in a box, with a scale bar and north up, on a page of its own if it does
// not fit on this one.
func (d *doc) drawMap() {
	f, l, m := d.f, d.p.L, d.p.Map
	if d.p.HasMap {
		d.room(14 + pdfMapH) // the heading goes with the map
	}
	d.heading(l.Map)
	if !d.p.HasMap {
		d.note(l.NoMap)
		return
	}
	x0, y0 := f.GetX(), f.GetY()
	f.SetFillColor(251, 251, 248)
	f.SetDrawColor(ruleColour.r, ruleColour.g, ruleColour.b)
	f.Rect(x0, y0, pdfWidth, pdfMapH, "FD")
	f.ClipRect(x0, y0, pdfWidth, pdfMapH, false) // a long label stays in the box

	const pad = 8.0
	p := newProjection(m, pdfWidth-2*pad, pdfMapH-2*pad)
	xy := func(pt [2]float64) (float64, float64) {
		x, y := p.xy(pt)
		return x0 + pad + x, y0 + pad + y
	}

	f.SetLineCapStyle("round")
	f.SetLineJoinStyle("round")
	f.SetFontSize(8)
	for i, r := range m.Routes {
		pts := p.projectLine(r.Line)
		if len(pts) == 0 {
			continue
		}
		c := routeColours[i%len(routeColours)]
		f.SetDrawColor(c.r, c.g, c.b)
		f.SetLineWidth(0.8)
		for j := 1; j < len(pts); j++ {
			f.Line(x0+pad+pts[j-1][0], y0+pad+pts[j-1][1], x0+pad+pts[j][0], y0+pad+pts[j][1])
		}
		label := pdfText(r.Vehicle)
		lx, ly := x0+pad+pts[0][0]+1.5, y0+pad+pts[0][1]-1.5
		left, above := labelSide(pts)
		if left {
			lx -= 3 + f.GetStringWidth(label)
		}
		if !above {
			ly += 5
		}
		f.SetTextColor(c.r, c.g, c.b)
		f.Text(lx, ly, label)
	}

	f.SetLineWidth(0.4)
	f.SetTextColor(0, 0, 0)
	for _, in := range m.Incidents {
		if !finite(in.Point[0], in.Point[1]) {
			continue
		}
		x, y := xy(in.Point)
		f.SetFillColor(incidentRed.r, incidentRed.g, incidentRed.b)
		f.SetDrawColor(255, 255, 255)
		f.Circle(x, y, 2, "FD")
		f.Text(x+3.2, y+1.1, pdfText(in.Label))
	}

	// The scale bar, bottom left, and a north arrow, top right.
	length, label := p.scaleBar(pdfWidth / 4)
	bx, by := x0+pad, y0+pdfMapH-pad/2
	f.SetDrawColor(34, 34, 34)
	f.SetLineWidth(0.5)
	f.Line(bx, by, bx+length, by)
	f.Line(bx, by, bx, by-1.5)
	f.Line(bx+length, by, bx+length, by-1.5)
	f.Text(bx+length+2, by+1, label)
	nx, ny := x0+pdfWidth-pad, y0+pad
	f.SetFillColor(34, 34, 34)
	f.Polygon([]fpdf.PointType{{X: nx, Y: ny}, {X: nx - 1.8, Y: ny + 5}, {X: nx + 1.8, Y: ny + 5}}, "F")
	f.Text(nx-1.2, ny+9, "N")

	f.ClipEnd()
	f.SetLineWidth(0.2)
	f.SetLineCapStyle("butt")
	f.SetXY(x0, y0+pdfMapH+2)
}
