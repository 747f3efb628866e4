package twin_test

import (
	"testing"
	"time"

	"parktwin/twin"
)

// A loan from request to return, through the lender's ledger: asked for
// by a team, approved by the keeper, issued (the first ready sets, the
// loan's ID on the entry), overdue once its day has passed, returned —
// one set failed, quarantined — and the stock is what it was but for it.
func TestLoanThroughTheLedger(t *testing.T) {
	tw := ledgerTwin(t, nil)
	clock := tw.Clock().(*twin.SimClock)
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "scba", Due: twin.NewDate(2027, 6, 1), Serials: serials("L", 3)})
	due := twin.NewDate(2026, 12, 5)
	evs, err := tw.Apply(keeper(), twin.RequestLoan{Loan: &twin.Loan{Warehouse: "WH-01", Borrower: "TEAM-03", Type: "scba", Quantity: 2, Due: due, Reason: "演练借用"}})
	if err != nil {
		t.Fatal(err)
	}
	id := evs[0].ID
	loan := func() *twin.Loan { l, _ := twin.Lookup[*twin.Loan](tw.Snapshot(), id); return l }
	if l := loan(); l.State != twin.LoanRequested || l.RequestedBy != "wang" {
		t.Fatalf("requested: %+v", l)
	}
	if _, err := tw.Apply(keeper(), twin.LoanAction{ID: id, Action: "issue"}); twin.ErrorCode(err) != twin.ECONFLICT {
		t.Errorf("issued before it was approved: %v", err)
	}
	apply(t, tw, twin.LoanAction{ID: id, Action: "approve"})
	apply(t, tw, twin.LoanAction{ID: id, Action: "issue"})
	l := loan()
	if l.State != twin.LoanIssued || len(l.Serials) != 2 {
		t.Fatalf("issued: %+v", l)
	}
	for _, s := range l.Serials {
		if it := tw.Snapshot().Stock("WH-01").Type("scba").Items[s]; it.State != twin.AssetIssued || it.Holder != id {
			t.Errorf("%s: %+v", s, it)
		}
	}
	if got := tw.Snapshot().OverdueLoans(clock.Now()); len(got) != 0 {
		t.Errorf("overdue before its day: %v", got)
	}
	clock.Advance(5 * 24 * time.Hour) // 6 December
	if got := tw.Snapshot().OverdueLoans(clock.Now()); len(got) != 1 || got[0].ID != id {
		t.Errorf("overdue after its day: %v", got)
	}
	apply(t, tw, twin.LoanAction{ID: id, Action: "return", Serials: l.Serials[:1], Result: twin.Fail})
	if l := loan(); l.State != twin.LoanIssued || l.Returned != 1 {
		t.Errorf("half back: %+v", l)
	}
	apply(t, tw, twin.LoanAction{ID: id, Action: "return"})
	if l := loan(); l.State != twin.LoanReturned || l.Returned != 2 {
		t.Errorf("back: %+v", l)
	}
	it := tw.Snapshot().Stock("WH-01").Type("scba").Items[l.Serials[0]]
	if it.State != twin.AssetQuarantined {
		t.Errorf("the set that came back failed: %s, want quarantined", it.State)
	}
	for _, e := range tw.Snapshot().LedgerEntries("WH-01") {
		if (e.Op == twin.OpIssue || e.Op == twin.OpReturn) && e.Loan != id {
			t.Errorf("%s %s without the loan", e.ID, e.Op)
		}
	}
	checkReplay(t, tw.Snapshot())
}
