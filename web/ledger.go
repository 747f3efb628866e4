package web

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"parktwin/twin"
	"parktwin/web/auth"
)

// The warehouses' ledgers (docs/warehouses.md): a keeper enters the
// movements of its own warehouses; anyone who reads the park reads every
// ledger, the stock it derives and the readiness against the minimums.

// keepers may post to a warehouse's ledger: its keeper (scoped by keeps)
// and the commander; admin may call every route.
var keepers = auth.Of(auth.Keeper, auth.Commander)

func (s *Server) ledgerRoutes() []route {
	return []route{
		post("/api/v1/warehouses/:id/ledger", keepers, s.postEntry).with(keeps(twin.KindWarehouse)),
		post("/api/v1/warehouses/:id/ledger/import", keepers, s.importLedger).with(keeps(twin.KindWarehouse)),
		get("/api/v1/warehouses/:id/ledger", readers, s.getLedger),
		get("/api/v1/warehouses/:id/stock", readers, s.getStock),
		get("/api/v1/warehouses/:id/labels.pdf", readers, s.getLabels),
		get("/api/v1/warehouses/:id/inspections", readers, s.getInspections), // inspections.go
		get("/api/v1/readiness", readers, s.getReadiness),
		// Loans: asked for by the operations room or a keeper, decided,
		// issued and taken back by the lender's keeper. Before the
		// loans' own /loans/{id}: overdue is not an ID.
		get("/api/v1/loans/overdue", readers, s.overdueLoans),
		post("/api/v1/loans", lenders, s.requestLoan),
		post("/api/v1/loans/:id/approve", keepers, s.loanAction("approve")).with(s.keepsLoan),
		post("/api/v1/loans/:id/refuse", keepers, s.loanAction("refuse")).with(s.keepsLoan),
		post("/api/v1/loans/:id/issue", keepers, s.loanAction("issue")).with(s.keepsLoan),
		post("/api/v1/loans/:id/return", keepers, s.loanAction("return")).with(s.keepsLoan),
		// Mutual aid shaped after EDXL-RM (edxlrm.go).
		get("/api/v1/loans/:id/edxl-rm", readers, s.getLoanEDXL),
		post("/api/v1/edxl-rm", lenders, s.postEDXL),
	}
}

// lenders may ask a warehouse for a loan.
var lenders = auth.Of(auth.DutyOfficer, auth.Dispatcher, auth.Commander, auth.Keeper)

// keepsLoan narrows a keeper to the loans of the warehouses it keeps.
func (s *Server) keepsLoan(c *fiber.Ctx, id auth.Identity) error {
	if id.Role != auth.Keeper {
		return nil
	}
	l, ok := twin.Lookup[*twin.Loan](s.twin.Snapshot(), c.Params("id"))
	if !ok {
		return twin.Errorf(twin.ENOTFOUND, "id", "no loan %s", c.Params("id"))
	}
	if !id.Keeps(l.Warehouse) {
		return twin.Errorf(twin.EFORBIDDEN, "id", "%s does not keep warehouse %s, which lends %s", id.User, l.Warehouse, l.ID)
	}
	return nil
}

// loanRequest is a request for a loan.
type loanRequest struct {
	Warehouse string  `json:"warehouse"`
	Borrower  string  `json:"borrower"`
	Type      string  `json:"type"`
	Quantity  float64 `json:"quantity"`
	Due       string  `json:"due"`
	Reason    string  `json:"reason"`
}

func (s *Server) requestLoan(c *fiber.Ctx) error {
	body, err := jsonBody(c)
	if err != nil {
		return err
	}
	var req loanRequest
	if err := decodeStrict(body, &req, "a loan request"); err != nil {
		return err
	}
	l := &twin.Loan{Warehouse: req.Warehouse, Borrower: req.Borrower, Type: req.Type, Quantity: req.Quantity, Reason: req.Reason}
	if err := l.Due.UnmarshalText([]byte(req.Due)); err != nil {
		return twin.InField("due", err)
	}
	evs, err := s.twin.Apply(c.UserContext(), twin.RequestLoan{Loan: l})
	if err != nil {
		return err
	}
	ev := evs[0]
	setSeq(c, ev.Seq)
	c.Location(s.base + "/loans/" + ev.ID)
	return sendFeature(c, fiber.StatusCreated, ev.Entity)
}

// loanReturn is what comes back of a loan: serials or a quantity, all
// that is out when neither; a check-in result.
type loanReturn struct {
	Serials  []string `json:"serials"`
	Quantity float64  `json:"quantity"`
	Result   string   `json:"result"`
}

func (s *Server) loanAction(action string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		cmd := twin.LoanAction{ID: c.Params("id"), Action: action}
		if body := c.Body(); action == "return" && len(bytes.TrimSpace(body)) > 0 {
			var r loanReturn
			if err := decodeStrict(body, &r, "a loan's return"); err != nil {
				return err
			}
			if r.Result != "" {
				if err := cmd.Result.UnmarshalText([]byte(r.Result)); err != nil {
					return twin.InField("result", err)
				}
			}
			cmd.Serials, cmd.Quantity = r.Serials, r.Quantity
		}
		evs, err := s.twin.Apply(c.UserContext(), cmd)
		if err != nil {
			return err
		}
		ev := evs[len(evs)-1] // the loan, after its ledger entry
		setSeq(c, ev.Seq)
		return sendFeature(c, fiber.StatusOK, ev.Entity)
	}
}

// overdueLoans answers GET /loans/overdue: the loans out past their day,
// the most overdue first.
func (s *Server) overdueLoans(c *fiber.Ctx) error {
	snap := s.twin.Snapshot()
	out := []twin.Entity{}
	for _, l := range snap.OverdueLoans(s.twin.Clock().Now()) {
		out = append(out, l)
	}
	var b bytes.Buffer
	fs := make([][]byte, 0, len(out))
	for _, e := range out {
		f, err := twin.EncodeFeature(e)
		if err != nil {
			return err
		}
		fs = append(fs, f)
	}
	writeFeatures(&b, fs)
	setSeq(c, snap.Seq())
	c.Set(fiber.HeaderContentType, "application/geo+json")
	return c.Send(b.Bytes())
}

// entryRequest is one entry as a keeper asks for it. Who and when come
// from the request (its actor) and the twin's clock, never the body.
type entryRequest struct {
	Op       string   `json:"op"`
	Type     string   `json:"type"`
	Quantity float64  `json:"quantity"`
	Serials  []string `json:"serials"`
	Lot      string   `json:"lot"`
	From     string   `json:"from"`
	To       string   `json:"to"`
	Incident string   `json:"incident"`
	Loan     string   `json:"loan"`
	Reason   string   `json:"reason"`
	Result   string   `json:"result"`
	Findings string   `json:"findings"`
	State    string   `json:"state"`
	Due      string   `json:"due"`
	Expires  string   `json:"expires"`
	// Schedule: the inspection schedule an inspect (or an adjust's due)
	// is for. Made: a receipt's manufacture date (出厂日期). Tested: a
	// receipt's last test per schedule ID, "YYYY-MM-DD".
	Schedule string            `json:"schedule"`
	Made     string            `json:"made"`
	Tested   map[string]string `json:"tested"`
}

func (r entryRequest) entry(warehouse string) (*twin.LedgerEntry, error) {
	e := &twin.LedgerEntry{Warehouse: warehouse, Type: r.Type, Quantity: r.Quantity, Serials: r.Serials,
		From: r.From, To: r.To, Incident: r.Incident, Loan: r.Loan, Reason: r.Reason, Findings: r.Findings, Schedule: r.Schedule}
	for _, f := range []struct {
		name string
		v    string
		into interface{ UnmarshalText([]byte) error }
	}{{"op", r.Op, &e.Op}, {"result", r.Result, &e.Result}, {"state", r.State, &e.State}, {"due", r.Due, &e.Due}, {"expires", r.Expires, &e.Expires}, {"made", r.Made, &e.Made}} {
		if f.v == "" {
			continue
		}
		if err := f.into.UnmarshalText([]byte(f.v)); err != nil {
			return nil, twin.InField(f.name, err)
		}
	}
	for id, v := range r.Tested {
		var d twin.Date
		if err := d.UnmarshalText([]byte(v)); err != nil {
			return nil, twin.InField("tested."+id, err)
		}
		if e.Tested == nil {
			e.Tested = map[string]twin.Date{}
		}
		e.Tested[id] = d
	}
	if r.Lot != "" {
		e.Lots = []twin.LotQuantity{{Lot: r.Lot}}
	}
	return e, nil
}

// postEntry answers POST /warehouses/{id}/ledger: 201 with the entry as
// entered, 409 insufficient naming what is short, 422 for an entry the
// ledger cannot take. An array of entries is a document (postDocument).
func (s *Server) postEntry(c *fiber.Ctx) error {
	body, err := jsonBody(c)
	if err != nil {
		return err
	}
	if b := bytes.TrimSpace(body); len(b) > 0 && b[0] == '[' {
		return s.postDocument(c, body)
	}
	var req entryRequest
	if err := decodeStrict(body, &req, "a ledger entry"); err != nil {
		return err
	}
	e, err := req.entry(c.Params("id"))
	if err != nil {
		return err
	}
	evs, err := s.twin.Apply(c.UserContext(), twin.Post{Entry: e})
	if err != nil {
		return err
	}
	ev := evs[len(evs)-1]
	setSeq(c, ev.Seq)
	c.Location(s.base + "/warehouses/" + e.Warehouse + "/ledger?entry=" + ev.ID)
	return c.Status(fiber.StatusCreated).JSON(entryView(ev.Entity.(*twin.LedgerEntry)))
}

// postDocument enters a document of many lines — a delivery note, a
// stocktake, a pallet's transfer — posted as an array of entries: all
// are entered, in order, as one command (twin.Document), or none. 201
// with the entries as entered; a refusal names the line by its index in
// the array ([2].quantity), 409 insufficient for a line the stock cannot
// cover, and nothing of the document is entered.
func (s *Server) postDocument(c *fiber.Ctx, body []byte) error {
	var reqs []entryRequest
	if err := decodeStrict(body, &reqs, "a document: an array of ledger entries"); err != nil {
		return err
	}
	doc := twin.Document{Entries: make([]*twin.LedgerEntry, 0, len(reqs))}
	for i, r := range reqs {
		e, err := r.entry(c.Params("id"))
		if err != nil {
			return twin.LineError(i, err)
		}
		doc.Entries = append(doc.Entries, e)
	}
	evs, err := s.twin.Apply(c.UserContext(), doc)
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

// entryJSON is an entry with its ID.
type entryJSON struct {
	ID string `json:"id"`
	*twin.LedgerEntry
}

func entryView(e *twin.LedgerEntry) entryJSON { return entryJSON{e.ID, e} }

// getLedger answers GET /warehouses/{id}/ledger: its entries, oldest
// first, filtered by type, serial, incident, op, and from/to (RFC 3339
// or a date).
func (s *Server) getLedger(c *fiber.Ctx) error {
	snap := s.twin.Snapshot()
	id := c.Params("id")
	if _, ok := twin.Lookup[*twin.Warehouse](snap, id); !ok && snap.Stock(id) == nil {
		return twin.NotFound(twin.KindWarehouse, id)
	}
	from, err := timeOrDate(c, "from")
	if err != nil {
		return err
	}
	to, err := timeOrDate(c, "to")
	if err != nil {
		return err
	}
	var op twin.LedgerOp
	if v := c.Query("op"); v != "" {
		if err := op.UnmarshalText([]byte(v)); err != nil {
			return twin.InField("op", err)
		}
	}
	typ, serial, inc, entry := c.Query("type"), c.Query("serial"), c.Query("incident"), c.Query("entry")
	out := []entryJSON{}
	for _, e := range snap.LedgerEntries(id) {
		switch {
		case typ != "" && e.Type != typ,
			serial != "" && !slices.Contains(e.Serials, serial),
			inc != "" && e.Incident != inc,
			op != 0 && e.Op != op,
			entry != "" && e.ID != entry,
			!from.IsZero() && e.At.Before(from),
			!to.IsZero() && !e.At.Before(to):
			continue
		}
		out = append(out, entryView(e))
	}
	setSeq(c, snap.Seq())
	if done, err := sendTable(c, id+"-ledger", ledgerRows(out), 4); done {
		return err
	}
	return c.JSON(fiber.Map{"warehouse": id, "entries": out})
}

// timeOrDate reads a query parameter as RFC 3339, or as a date (its
// midnight UTC).
func timeOrDate(c *fiber.Ctx, name string) (time.Time, error) {
	v := c.Query(name)
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t, nil
	}
	return time.Time{}, twin.BadTimeOrDate(name, v, fmt.Sprintf("%q is not a time (RFC 3339) or a date (YYYY-MM-DD)", v))
}

// getStock answers GET /warehouses/{id}/stock: the stock its ledger
// leaves, by type, with what is ready, out and expired.
func (s *Server) getStock(c *fiber.Ctx) error {
	snap := s.twin.Snapshot()
	id := c.Params("id")
	if _, ok := twin.Lookup[*twin.Warehouse](snap, id); !ok {
		return twin.Errorf(twin.ENOTFOUND, "id", "no warehouse %s", id)
	}
	now := s.twin.Clock().Now()
	types := snap.Summary(id, now, s.twin.Equipment())
	if types == nil {
		types = []twin.TypeSummary{}
	}
	setSeq(c, snap.Seq())
	if st := snap.Stock(id); st != nil {
		c.Set(fiber.HeaderETag, `"`+strconv.FormatUint(st.Seq, 10)+`"`)
	}
	if done, err := sendTable(c, id+"-stock", stockRows(types), 4, 5, 6, 7, 8, 9); done {
		return err
	}
	return c.JSON(fiber.Map{"warehouse": id, "time": now, "types": types})
}

// getReadiness answers GET /readiness: every warehouse's readiness now.
func (s *Server) getReadiness(c *fiber.Ctx) error {
	snap := s.twin.Snapshot()
	now := s.twin.Clock().Now()
	r := s.ready.Readiness(snap, now)
	if r == nil {
		r = []twin.Readiness{}
	}
	setSeq(c, snap.Seq())
	return c.JSON(fiber.Map{"time": now, "dueWithinDays": int(twin.DueWithin.Hours() / 24), "warehouses": r})
}
