package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"parktwin/web/auth"
)

const xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// A warehouse office's files imported whole: CSV and xlsx, every row or
// none, a refusal naming its row and column.
func TestLedgerImport(t *testing.T) {
	base, _, _ := startServer(t)
	keeper := roleToken(t, base, auth.NewToken{Name: "库管李", Role: auth.Keeper, Warehouses: []string{"WH-02"}})
	post := func(wh, file, ct string) (int, []byte) {
		t.Helper()
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest("POST", base+"/api/v1/warehouses/"+wh+"/ledger/import", bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+keeper)
		req.Header.Set("Content-Type", ct)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, body
	}
	count := func() int {
		t.Helper()
		_, b, _ := do(t, "GET", base+"/api/v1/warehouses/WH-02/ledger", "")
		var l struct{ Entries []entryAnswer }
		if err := json.Unmarshal(b, &l); err != nil {
			t.Fatal(err)
		}
		return len(l.Entries)
	}
	refused := func(name string, st int, b []byte, code int, field string) {
		t.Helper()
		var e errorAnswer
		if st != code || json.Unmarshal(b, &e) != nil || e.Field != field || !strings.Contains(e.Message, "row ") {
			t.Errorf("%s: %d %s, want %d naming %s", name, st, b, code, field)
		}
	}

	n0 := count()
	st, b := post("WH-02", "testdata/import/good.csv", "text/csv")
	var got struct{ Entries []entryAnswer }
	if st != 201 || json.Unmarshal(b, &got) != nil || len(got.Entries) != 3 || got.Entries[0].Actor != "库管李" || got.Entries[2].Op != "issue" {
		t.Fatalf("good.csv: %d %s", st, b)
	}
	if n := count(); n != n0+3 {
		t.Errorf("after good.csv: %d entries, want %d", n, n0+3)
	}

	// A row the reading refuses, and a row the ledger refuses: nothing of
	// the file is entered, not even its good rows before.
	n1 := count()
	st, b = post("WH-02", "testdata/import/badnumber.csv", "text/csv")
	refused("badnumber.csv", st, b, 422, "rows[3].quantity")
	st, b = post("WH-02", "testdata/import/short.csv", "text/csv")
	refused("short.csv", st, b, 409, "rows[3].quantity")
	// A cylinder without its manufacture date: its 15-year life (GB 28053)
	// would have no start — refused, naming the row and the column.
	st, b = post("WH-02", "testdata/import/nomade.csv", "text/csv")
	refused("nomade.csv", st, b, 422, "rows[3].made")
	if n := count(); n != n1 {
		t.Errorf("refused files entered %d entries", n-n1)
	}
	if _, b, _ := do(t, "GET", base+"/api/v1/warehouses/WH-02/ledger?serial=IMP-020", ""); strings.Contains(string(b), "LE-") {
		t.Errorf("IMP-020 of a refused file is in the ledger: %s", b)
	}

	// An Excel workbook headed as the export heads its columns.
	dir := t.TempDir()
	book := func(name string, rows ...[]any) string {
		t.Helper()
		f := excelize.NewFile()
		defer f.Close()
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow(f.GetSheetName(0), cell, &r); err != nil {
				t.Fatal(err)
			}
		}
		p := filepath.Join(dir, name)
		if err := f.SaveAs(p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	header := []any{"编号 id", "操作 op", "类型 type", "数量 quantity", "序列号 serials", "去向 to", "原因 reason"}
	good := book("good.xlsx", header,
		[]any{"", "receive", "boom", 50, "", "", "采购入库"},
		[]any{"", "issue", "scba", "", "IMP-002", "TEAM-03", "训练"})
	st, b = post("WH-02", good, xlsx)
	if st != 201 || json.Unmarshal(b, &got) != nil || len(got.Entries) != 2 || got.Entries[0].Quantity != 50 {
		t.Fatalf("good.xlsx: %d %s", st, b)
	}
	bad := book("bad.xlsx", header,
		[]any{"", "receive", "boom", 50, "", "", "采购入库"},
		[]any{"", "receive", "tea-kettle", 1, "", "", "采购入库"})
	n2 := count()
	st, b = post("WH-02", bad, xlsx)
	refused("bad.xlsx", st, b, 422, "rows[3].type")
	if n := count(); n != n2 {
		t.Errorf("a refused workbook entered %d entries", n-n2)
	}
	st, b = post("WH-02", book("col.xlsx", []any{"op", "type", "colour"}, []any{"receive", "boom", "red"}), xlsx)
	refused("an unknown column", st, b, 422, "rows[1].C")

	// A keeper imports into its own warehouses alone.
	if st, b := post("WH-01", "testdata/import/good.csv", "text/csv"); st != 403 {
		t.Errorf("another warehouse: %d %s, want 403", st, b)
	}
}
