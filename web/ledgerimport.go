package web

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"

	"parktwin/twin"
)

// A warehouse office's file of movements, CSV or an Excel workbook, is
// imported whole: every row is read and checked, then all are entered as
// one command in the writer, or none. An error names the row (the file's,
// the header being row 1) and the column.

// importColumns are the columns an import takes: an entry's fields as
// POST …/ledger takes them. A header cell may carry a Chinese name before
// the English one, as the export writes them ("序列号 serials").
var importColumns = map[string]bool{"op": true, "type": true, "quantity": true, "serials": true, "lot": true,
	"from": true, "to": true, "incident": true, "loan": true, "reason": true, "result": true, "findings": true,
	"state": true, "due": true, "expires": true, "schedule": true, "made": true, "tested": true}

// ledgerDecides are the export's columns the ledger itself decides: an
// import leaves them, so that an exported file can be edited and imported.
var ledgerDecides = map[string]bool{"id": true, "at": true, "unit": true, "lots": true, "actor": true}

// importLedger answers POST /warehouses/{id}/ledger/import: 201 with the
// entries as entered, or the first refusal with its row and column.
func (s *Server) importLedger(c *fiber.Ctx) error {
	body := c.Body()
	var rows [][]string
	var err error
	ct := strings.ToLower(c.Get(fiber.HeaderContentType))
	switch {
	case strings.HasPrefix(ct, xlsxType):
		rows, err = xlsxRows(body)
	case strings.HasPrefix(ct, "text/csv"):
		r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff"))))
		r.FieldsPerRecord = -1
		rows, err = r.ReadAll()
		if pe, ok := err.(*csv.ParseError); ok {
			return twin.Invalid("rows["+strconv.Itoa(pe.Line)+"]", "row %d: %v", pe.Line, pe.Err)
		}
	default:
		return twin.Errorf(twin.EMALFORMED, "", "an import is text/csv or %s", xlsxType)
	}
	if err != nil {
		return twin.Invalid("", "not a readable file: %v", err)
	}
	imp, err := importEntries(c.Params("id"), rows)
	if err != nil {
		return err
	}
	evs, err := s.twin.Apply(c.UserContext(), imp)
	if err != nil {
		return err
	}
	out := make([]entryJSON, 0, len(evs))
	for _, ev := range evs {
		if e, ok := ev.Entity.(*twin.LedgerEntry); ok {
			out = append(out, entryView(e))
		}
	}
	setSeq(c, evs[len(evs)-1].Seq)
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"warehouse": c.Params("id"), "entries": out})
}

// xlsxRows reads a workbook's first sheet.
func xlsxRows(body []byte) ([][]string, error) {
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.GetRows(f.GetSheetName(0))
}

// importEntries reads rows (a header, then one entry a row; empty rows
// are passed over) into one command.
func importEntries(warehouse string, rows [][]string) (twin.Import, error) {
	var imp twin.Import
	if len(rows) == 0 {
		return imp, twin.Invalid("rows[1]", "row 1: no header")
	}
	cols := make([]string, len(rows[0]))
	for j, h := range rows[0] {
		f := strings.Fields(strings.TrimPrefix(h, "\ufeff"))
		if len(f) == 0 {
			continue
		}
		name := strings.ToLower(f[len(f)-1])
		switch {
		case importColumns[name]:
			cols[j] = name
		case ledgerDecides[name]:
		default:
			col, _ := excelize.ColumnNumberToName(j + 1)
			return imp, twin.Invalid("rows[1]."+col, "row 1, column %s: %q is no column an import takes", col, h)
		}
	}
	for i, row := range rows[1:] {
		n := i + 2
		if strings.TrimSpace(strings.Join(row, "")) == "" {
			continue
		}
		var req entryRequest
		for j, v := range row {
			if j >= len(cols) || cols[j] == "" {
				continue
			}
			v = strings.TrimSpace(v)
			switch cols[j] {
			case "quantity":
				if v == "" {
					continue
				}
				q, err := strconv.ParseFloat(v, 64)
				if err != nil {
					return imp, twin.RowError(n, twin.Invalid("quantity", "%q is not a number", v))
				}
				req.Quantity = q
			case "serials":
				req.Serials = strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' || r == '，' || r == ';' })
			case "tested":
				// "monthly:2026-11-20 service:2026-06-01": a last test per
				// schedule, as the export writes them.
				for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' || r == '，' || r == ';' }) {
					id, d, ok := strings.Cut(f, ":")
					if !ok || id == "" {
						return imp, twin.RowError(n, twin.Invalid("tested", "%q is not schedule:date (e.g. calibration:2026-06-01)", f))
					}
					if req.Tested == nil {
						req.Tested = map[string]string{}
					}
					req.Tested[id] = d
				}
			default:
				*req.field(cols[j]) = v
			}
		}
		e, err := req.entry(warehouse)
		if err != nil {
			return imp, twin.RowError(n, err)
		}
		imp.Entries = append(imp.Entries, e)
		imp.Rows = append(imp.Rows, n)
	}
	if len(imp.Entries) == 0 {
		return imp, twin.Invalid("rows[2]", "row 2: no entry to import")
	}
	return imp, nil
}

// field is the text field of a request named as its column.
func (r *entryRequest) field(name string) *string {
	return map[string]*string{"op": &r.Op, "type": &r.Type, "lot": &r.Lot, "from": &r.From, "to": &r.To,
		"incident": &r.Incident, "loan": &r.Loan, "reason": &r.Reason, "result": &r.Result, "findings": &r.Findings,
		"state": &r.State, "due": &r.Due, "expires": &r.Expires, "schedule": &r.Schedule, "made": &r.Made}[name]
}
