package report

// A table in the PDF: a head row repeated on each page it runs onto, rows
// as tall as their longest cell, each kept whole on one page.

// column is a table's column: its head, width (mm) and alignment ("L",
// "R" or "C").
type column struct {
	head  string
	w     float64
	align string
}

// row is one row of cells, one a column.
type row struct {
	cells []string
	span  int         // the first cell spans this many columns (the P90 row); 0 for one
	fills map[int]rgb // backgrounds by column
}

// maxCellLines cuts a longer text, so that every row fits on a page.
const maxCellLines = 12

var (
	headFill   = rgb{238, 241, 244}
	ruleColour = rgb{200, 200, 200}
)

func (d *doc) table(cols []column, rows []row) {
	d.tableRow(cols, d.headRow(cols), nil)
	for _, r := range rows {
		d.tableRow(cols, r, cols)
	}
}

func (d *doc) headRow(cols []column) row {
	r := row{fills: map[int]rgb{}}
	for i, c := range cols {
		r.cells = append(r.cells, c.head)
		r.fills[i] = headFill
	}
	return r
}

// tableRow prints r, first on a new page (with the head again when
// repeatHead is the table's columns) unless it fits on this one.
func (d *doc) tableRow(cols []column, r row, repeatHead []column) {
	f := d.f
	type box struct {
		x, w   float64
		lines  []string
		align  string
		fill   rgb
		filled bool
	}
	left, _, _, _ := f.GetMargins()
	var boxes []box
	x, most := left, 1
	for i := 0; i < len(cols) && i < len(r.cells); i++ {
		b := box{x: x, w: cols[i].w, align: cols[i].align}
		b.fill, b.filled = r.fills[i]
		text := r.cells[i]
		if i == 0 && r.span > 1 { // the first cell takes the spanned cells' room
			for j := 1; j < r.span && j < len(cols); j++ {
				b.w += cols[j].w
			}
			i = r.span - 1
			b.align = "L"
		}
		b.lines = d.cellLines(text, b.w)
		most = max(most, len(b.lines))
		boxes = append(boxes, b)
		x += b.w
	}
	h := float64(most)*pdfLine + 1.2

	_, pageH := f.GetPageSize()
	if f.GetY()+h > pageH-pdfMargin {
		f.AddPage()
		if repeatHead != nil {
			d.tableRow(repeatHead, d.headRow(repeatHead), nil)
		}
	}
	y := f.GetY()
	f.SetDrawColor(ruleColour.r, ruleColour.g, ruleColour.b)
	f.SetLineWidth(0.2)
	for _, b := range boxes {
		style := "D"
		if b.filled {
			f.SetFillColor(b.fill.r, b.fill.g, b.fill.b)
			style = "FD"
		}
		f.Rect(b.x, y, b.w, h, style)
		for i, l := range b.lines {
			f.SetXY(b.x, y+0.6+float64(i)*pdfLine)
			f.CellFormat(b.w, pdfLine, l, "", 0, b.align, false, 0, "")
		}
	}
	f.SetXY(left, y+h)
}

// cellLines wraps s to width w, cut at maxCellLines.
func (d *doc) cellLines(s string, w float64) []string {
	lines := d.f.SplitText(pdfText(s), w)
	if len(lines) > maxCellLines {
		lines = lines[:maxCellLines]
		lines[maxCellLines-1] = fit(d.f, lines[maxCellLines-1]+"…", w)
	}
	return lines
}
