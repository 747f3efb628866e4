package twin_test

import (
	"fmt"
	"testing"

	"parktwin/twin"
)

// BenchmarkReceiptDocuments posts the nth of n documents of 1,000
// receipts of one bulk type, each line a lot of its own: the pentest's
// writer stall, where each document took longer than the one before
// (137 ms for the first, 5.5 s for the 12th) as every line sorted every
// lot. The 12th should cost what the first does.
func BenchmarkReceiptDocuments(b *testing.B) {
	doc := func() twin.Document {
		var d twin.Document
		for range twin.MaxDocumentLines {
			d.Entries = append(d.Entries, &twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "foam-afff-3", Quantity: 1,
				Expires: twin.NewDate(2031, 1, 1), Due: twin.NewDate(2027, 6, 1)})
		}
		return d
	}
	for _, nth := range []int{1, 12} {
		b.Run(fmt.Sprintf("doc=%d", nth), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				tw := ledgerTwin(b, nil)
				for range nth - 1 {
					if _, err := tw.Apply(keeper(), doc()); err != nil {
						b.Fatal(err)
					}
				}
				d := doc()
				b.StartTimer()
				if _, err := tw.Apply(keeper(), d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
