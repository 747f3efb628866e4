package twin_test

import (
	"errors"
	"strings"
	"testing"
	"unicode"

	"parktwin/twin"
	"parktwin/twin/msg"
)

// TestLoanRefusalsCoded: a loan's refusals that no route of the API
// reaches but the twin keeps — an action not one of a loan's, a
// geometry given to a loan or a ledger entry, a returned quantity
// beyond what was lent — carry their messages, naming the field and the
// value, rendered in English and in Chinese.
func TestLoanRefusalsCoded(t *testing.T) {
	tw := ledgerTwin(t, nil)
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "scba", Due: twin.NewDate(2027, 6, 1), Serials: serials("LR", 1)})
	evs, err := tw.Apply(keeper(), twin.RequestLoan{Loan: &twin.Loan{Warehouse: "WH-01", Borrower: "TEAM-03", Type: "scba", Quantity: 1, Due: twin.NewDate(2026, 12, 5), Reason: "演练借用"}})
	if err != nil {
		t.Fatal(err)
	}
	_, actionErr := tw.Apply(keeper(), twin.LoanAction{ID: evs[0].ID, Action: "lend"})
	point := `{"type":"Feature","geometry":{"type":"Point","coordinates":[121.0,30.1]},"properties":{}}`
	_, loanGeo := twin.DecodeFeatureOf(twin.KindLoan, []byte(point))
	_, entryGeo := twin.DecodeFeatureOf(twin.KindLedger, []byte(point))
	l, _ := twin.Lookup[*twin.Loan](tw.Snapshot(), evs[0].ID)
	over := *l
	over.Returned = 3
	for _, c := range []struct {
		name             string
		err              error
		code, field, got string
	}{
		{"an action not a loan's", actionErr, "error.loanAction", "action", "lend"},
		{"a loan with a geometry", loanGeo, "error.noGeometry", "geometry", ""},
		{"a ledger entry with a geometry", entryGeo, "error.noGeometry", "geometry", ""},
		{"more returned than lent", over.Validate(), "error.returned", "returned", "3"},
	} {
		var e *twin.Error
		if !errors.As(c.err, &e) || e.Msg == nil || e.Msg.Code != c.code || e.Field != c.field {
			t.Errorf("%s: %#v, want the message %s about %s", c.name, c.err, c.code, c.field)
			continue
		}
		if f, ok := e.Msg.Args["field"]; ok && f != c.field {
			t.Errorf("%s: the message's field %v", c.name, f)
		}
		en, zh := twin.Messages.Render(msg.En, *e.Msg), twin.Messages.Render(msg.Zh, *e.Msg)
		han := strings.IndexFunc(zh, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
		if strings.Contains(en+zh, "{") || !han || en == zh || !strings.Contains(en, c.got) || !strings.Contains(zh, c.got) {
			t.Errorf("%s: renders as %q and %q", c.name, en, zh)
		}
	}
	if l, _ := twin.Lookup[*twin.Loan](tw.Snapshot(), evs[0].ID); l.State != twin.LoanRequested {
		t.Errorf("a refused action moved the loan: %s", l.State)
	}
}
