package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/go-pdf/fpdf"
)

// The PDF's page: A4 portrait, in millimetres.
const (
	pdfMargin  = 15.0
	pdfWidth   = 210.0 - 2*pdfMargin // the width of the text
	pdfLine    = 4.6                 // a table line's height at pdfBody
	pdfBody    = 9.0                 // points
	pdfFooterY = -11.0               // the footer's top, from the page's foot
)

// PDF writes r as an A4 PDF with the same content as the HTML page, its
// labels in lang: "en" for English, Chinese otherwise. The same report
// gives the same bytes: the document's dates are the report's start and
// its catalogues are sorted.
func PDF(w io.Writer, r *Report, lang string) (err error) {
	// fpdf panics on some inputs (an index out of its tables) instead of
	// returning an error: a report must not take its server down with it.
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("report pdf: %v", v)
		}
	}()
	p, err := newPage(r, lang)
	if err != nil {
		return fmt.Errorf("report pdf: %w", err)
	}
	d := newDoc(r, p)
	d.header()
	d.expectations()
	d.timeline()
	d.units()
	d.equipment()
	d.shortfalls()
	d.drawMap()
	// fpdf keeps its first error and skips the calls after it; Output
	// writes nothing when there was one.
	if err := d.f.Output(w); err != nil {
		return fmt.Errorf("report pdf: %w", err)
	}
	return nil
}

// doc is a PDF being written from a page.
type doc struct {
	f *fpdf.Fpdf
	p *page
}

func newDoc(r *Report, p *page) *doc {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetCatalogSort(true)
	f.SetCreationDate(docDate(r))
	f.SetModificationDate(docDate(r))
	f.SetCompression(true)
	f.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	f.SetAutoPageBreak(true, pdfMargin)
	f.AddUTF8FontFromBytes(fontFamily, "", cjkFont)
	f.SetTitle(pdfText(p.Name+" · "+p.Title), true)
	f.SetSubject(pdfText(p.Subtitle), true)
	f.SetCreator("parktwin", false)
	f.SetLang(p.L.HTMLLang)
	f.AliasNbPages("{nb}")
	d := &doc{f: f, p: p}
	f.SetFooterFunc(d.footer)
	f.AddPage()
	return d
}

func (d *doc) footer() {
	f := d.f
	f.SetY(pdfFooterY)
	f.SetFont(fontFamily, "", 7.5)
	f.SetTextColor(120, 120, 120)
	f.CellFormat(pdfWidth-20, 5, fit(f, d.p.Name+" · "+d.p.Title, pdfWidth-20), "T", 0, "L", false, 0, "")
	// Left-aligned: "{nb}" is wider than the number that replaces it.
	f.CellFormat(20, 5, fmt.Sprintf("%d / {nb}", f.PageNo()), "T", 0, "L", false, 0, "")
}

// header prints the report's name, both titles and its facts.
func (d *doc) header() {
	f, p := d.f, d.p
	f.SetFont(fontFamily, "", 10)
	f.SetTextColor(51, 68, 85)
	f.CellFormat(pdfWidth, 6, pdfText(p.Name), "", 1, "L", false, 0, "")
	f.SetFont(fontFamily, "", 18)
	f.SetTextColor(0, 0, 0)
	f.MultiCell(pdfWidth, 8.5, pdfText(p.Title), "", "L", false)
	if p.Subtitle != "" {
		f.SetFont(fontFamily, "", 12)
		f.SetTextColor(100, 100, 100)
		f.MultiCell(pdfWidth, 6, pdfText(p.Subtitle), "", "L", false)
	}
	f.Ln(2)
	f.SetFont(fontFamily, "", pdfBody)
	const labelW = 36.0
	for _, fd := range p.Header {
		f.SetTextColor(100, 100, 100)
		f.CellFormat(labelW, pdfLine+0.6, pdfText(fd.Label), "", 0, "L", false, 0, "")
		f.SetTextColor(0, 0, 0)
		f.MultiCell(pdfWidth-labelW, pdfLine+0.6, pdfText(fd.Value), "", "L", false)
	}
	f.SetTextColor(100, 100, 100)
	f.CellFormat(pdfWidth, pdfLine+0.6, pdfText(p.L.ClockNote), "", 1, "L", false, 0, "")
}

// heading starts a section, on a new page when the heading and a few
// lines after it would not fit on this one.
func (d *doc) heading(title string) {
	d.room(10 + 3*pdfLine)
	f := d.f
	f.Ln(4)
	f.SetFont(fontFamily, "", 12.5)
	f.SetTextColor(51, 68, 85)
	f.SetDrawColor(51, 68, 85)
	f.SetLineWidth(0.5)
	f.CellFormat(pdfWidth, 7, pdfText(title), "B", 1, "L", false, 0, "")
	f.SetLineWidth(0.2)
	f.Ln(1.5)
	f.SetFont(fontFamily, "", pdfBody)
	f.SetTextColor(0, 0, 0)
}

// note prints a line of grey text, for a section with nothing in it.
func (d *doc) note(s string) {
	d.f.SetTextColor(100, 100, 100)
	d.f.MultiCell(pdfWidth, pdfLine+0.6, pdfText(s), "", "L", false)
	d.f.SetTextColor(0, 0, 0)
}

// room starts a new page unless h millimetres are left on this one.
func (d *doc) room(h float64) {
	_, pageH := d.f.GetPageSize()
	if d.f.GetY()+h > pageH-pdfMargin {
		d.f.AddPage()
	}
}

func (d *doc) expectations() {
	p := d.p
	d.heading(p.L.Expectations)
	if len(p.Expectations) == 0 {
		d.note(p.L.None)
		return
	}
	cols := []column{{p.L.Expectation, 60, "L"}, {p.L.Of, 28, "L"}, {p.L.Target, 20, "R"},
		{p.L.Took, 20, "R"}, {p.L.At, 22, "R"}, {p.L.Status, 30, "C"}}
	rows := make([]row, 0, len(p.Expectations))
	for _, e := range p.Expectations {
		rw := row{cells: []string{e.What, e.Of, e.Target, e.Took, e.At, e.StatusLabel}}
		if c, ok := statusColour(e.Status); ok {
			rw.fills = map[int]rgb{5: c}
		}
		rows = append(rows, rw)
	}
	d.table(cols, rows)
}

func (d *doc) timeline() {
	p := d.p
	d.heading(p.L.Timeline)
	if len(p.Timeline) == 0 {
		d.note(p.L.None)
		return
	}
	cols := []column{{p.L.Time, 18, "R"}, {p.L.Kind, 18, "L"}, {p.L.What, 104, "L"}, {p.L.By, 40, "L"}}
	rows := make([]row, 0, len(p.Timeline))
	for _, e := range p.Timeline {
		rows = append(rows, row{cells: []string{e.At, e.Kind, e.What, e.By}})
	}
	d.table(cols, rows)
}

func (d *doc) units() {
	p := d.p
	d.heading(p.L.Units)
	if len(p.Units) == 0 {
		d.note(p.L.None)
		return
	}
	cols := []column{{p.L.Incident, 22, "L"}, {p.L.Team, 20, "L"}, {p.L.Vehicle, 22, "L"},
		{p.L.Ordered, 16, "R"}, {p.L.Rolling, 16, "R"}, {p.L.OnScene, 16, "R"},
		{p.L.Turnout, 22, "R"}, {p.L.Travel, 22, "R"}, {p.L.Response, 24, "R"}}
	rows := make([]row, 0, len(p.Units)+1)
	for _, u := range p.Units {
		rows = append(rows, row{cells: unitCells(u)})
	}
	if p.HasP90 {
		grey := rgb{240, 240, 240}
		rows = append(rows, row{cells: unitCells(p.P90), span: 6, fills: map[int]rgb{0: grey, 6: grey, 7: grey, 8: grey}})
	}
	d.table(cols, rows)
}

func unitCells(u unitRow) []string {
	return []string{u.Incident, u.Team, u.Vehicle, u.Ordered, u.Rolling, u.OnScene, u.Turnout, u.Travel, u.Response}
}

func (d *doc) equipment() {
	p := d.p
	d.heading(p.L.Equipment)
	if len(p.Equipment) == 0 {
		d.note(p.L.None)
		return
	}
	cols := []column{{p.L.Incident, 22, "L"}, {p.L.Warehouse, 20, "L"}, {p.L.Type, 32, "L"},
		{p.L.Quantity, 18, "R"}, {p.L.Items, 63, "L"}, {p.L.State, 25, "L"}}
	rows := make([]row, 0, len(p.Equipment))
	for _, e := range p.Equipment {
		rows = append(rows, row{cells: []string{e.Incident, e.Warehouse, e.Type, e.Quantity, e.Items, e.State}})
	}
	d.table(cols, rows)
}

func (d *doc) shortfalls() {
	p := d.p
	d.heading(p.L.Shortfalls)
	if len(p.Shortfalls) == 0 {
		d.note(p.L.NoShortfalls)
		return
	}
	for _, s := range p.Shortfalls {
		d.f.CellFormat(5, pdfLine+0.6, "•", "", 0, "R", false, 0, "")
		d.f.MultiCell(pdfWidth-5, pdfLine+0.6, pdfText(s), "", "L", false)
	}
}

// pdfText makes s safe to print with the embedded font. The PDF library
// keeps widths for runes up to U+FFFF only and panics past them, and a
// cell is one line: anything else becomes a replacement mark or a space.
func pdfText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t' || r == '\r':
			return ' '
		case r < ' ' || r == 0x7f || r > 0xffff || (r >= 0xd800 && r <= 0xdfff):
			return '?'
		}
		return r
	}, s)
}

// fit shortens s with an ellipsis until it is at most w wide.
func fit(f *fpdf.Fpdf, s string, w float64) string {
	s = pdfText(s)
	w -= 2 * f.GetCellMargin()
	if f.GetStringWidth(s) <= w {
		return s
	}
	rs := []rune(s)
	for len(rs) > 0 && f.GetStringWidth(string(rs)+"…") > w {
		rs = rs[:len(rs)-1]
	}
	return string(rs) + "…"
}
