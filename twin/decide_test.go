package twin_test

import (
	"context"
	"testing"

	"parktwin/twin"
)

// Guards the twin's one writer against a decision that panics: a Decide
// runs the desk's logic inside the writer, and a panic there used to end
// the writer and with it the process. Now the request is refused with an
// internal error, nothing of it (or of the commands applied with it) is
// kept, and the next command applies.
func TestPanickingDecisionRefused(t *testing.T) {
	boom := twin.Decide(func(s *twin.Snapshot) ([]twin.Command, error) {
		var m map[string]int
		m["x"]++ // a bug: assignment to a nil map
		return nil, nil
	})
	tests := []struct {
		name string
		cmds []twin.Command
	}{
		{"alone", []twin.Command{boom}},
		{"after a create", []twin.Command{twin.Create{Entity: tank("TNK-0001-02")}, boom}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tw := openTwin(t, nil)
			before := tw.Snapshot()
			_, sub := tw.Subscribe()
			defer sub.Close()
			ctx := context.Background()

			_, err := tw.Apply(ctx, tt.cmds...)
			if got := twin.ErrorCode(err); got != twin.EINTERNAL {
				t.Fatalf("got %q (%v), want internal", got, err)
			}
			if got := tw.Snapshot(); got.Seq() != before.Seq() || got.Len(twin.KindTank) != 1 {
				t.Errorf("the park changed: seq %d → %d, %d tanks", before.Seq(), got.Seq(), got.Len(twin.KindTank))
			}

			evs := apply(t, tw, twin.Patch{Kind: twin.KindTank, ID: "TNK-0001-01", Merge: maxFill("0.8")})
			if got, want := evs[0].Seq, before.Seq()+1; got != want {
				t.Errorf("next command: seq %d, want %d", got, want)
			}
			got, err := sub.Next(ctx) // the subscriber's first events are the next command's
			if err != nil || len(got) != 1 || got[0].Seq != evs[0].Seq {
				t.Errorf("subscriber got %v (%v), want the next command's event alone", got, err)
			}
		})
	}
}
