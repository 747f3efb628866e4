package twin

import (
	"errors"
	"fmt"

	"parktwin/twin/msg"
)

// Document enters a document of many lines as one: a delivery note, a
// stocktake's corrections, a pallet moved to another warehouse, an
// incident's draw. Each line is posted in order (as Post), resolved
// against the stock the lines before it leave, and the lines are entered
// all or none: a line refused — an issue of more than is there — leaves
// nothing of the document, and the error names the line.
//
// It is what a warehouse office does with paper, and it is what lets the
// ledger take many entries a second durably: a document is one request,
// committed (one fsync) with the requests beside it, however many lines
// it has (docs/performance.md, the warehouses' ledger).
type Document struct{ Entries []*LedgerEntry }

// MaxDocumentLines bounds a document's lines: a delivery note, not a
// migration (a whole ledger comes in by import).
const MaxDocumentLines = 1000

func (c Document) apply(tx *txn) error {
	switch {
	case len(c.Entries) == 0:
		return Reasoned(EINVALID, "", "a document has at least one line", msg.New("error.documentEmpty"))
	case len(c.Entries) > MaxDocumentLines:
		return Reasoned(ETOOLARGE, "", fmt.Sprintf("a document has at most %d lines, not %d", MaxDocumentLines, len(c.Entries)),
			msg.New("error.documentLines", "n", len(c.Entries), "max", MaxDocumentLines))
	}
	for i, e := range c.Entries {
		if err := (Post{Entry: e}).apply(tx); err != nil {
			return LineError(i, err)
		}
	}
	return nil
}

// LineError names a document's line (from 0, as its index in the array
// posted) in err: the field [2].quantity, the message "[2]: …".
func LineError(i int, err error) error {
	var e *Error
	if !errors.As(err, &e) {
		return Errorf(EINVALID, fmt.Sprintf("[%d]", i), "[%d]: %v", i, err)
	}
	field := fmt.Sprintf("[%d]", i)
	if e.Field != "" {
		field += "." + e.Field
	}
	return &Error{Code: e.Code, Field: field, Message: fmt.Sprintf("[%d]: %s", i, e.Message), Msg: MsgInField(e.Msg, field)}
}
