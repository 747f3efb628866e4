package twin

import (
	"errors"
	"fmt"
)

// Import enters many movements as one command: all of them or, if one is
// refused, none (a warehouse office's file is taken whole). Rows are the
// entries' rows in the file, so that a refusal names the row and the
// column (the entry's field) it is about.
type Import struct {
	Entries []*LedgerEntry
	Rows    []int
}

func (c Import) apply(tx *txn) error {
	if len(c.Entries) == 0 {
		return Invalid("", "nothing to import")
	}
	for i, e := range c.Entries {
		if err := (Post{Entry: e}).apply(tx); err != nil {
			row := i + 1
			if i < len(c.Rows) {
				row = c.Rows[i]
			}
			return RowError(row, err)
		}
	}
	return nil
}

// RowError names a file's row, and the column where the error names a
// field, in err.
func RowError(row int, err error) error {
	var e *Error
	if !errors.As(err, &e) {
		return Errorf(EINVALID, fmt.Sprintf("rows[%d]", row), "row %d: %v", row, err)
	}
	if e.Field == "" {
		return &Error{Code: e.Code, Field: fmt.Sprintf("rows[%d]", row), Message: fmt.Sprintf("row %d: %s", row, e.Message), Msg: MsgInField(e.Msg, fmt.Sprintf("rows[%d]", row))}
	}
	f := fmt.Sprintf("rows[%d].%s", row, e.Field)
	return &Error{Code: e.Code, Field: f, Message: fmt.Sprintf("row %d, column %s: %s", row, e.Field, e.Message), Msg: MsgInField(e.Msg, f)}
}
