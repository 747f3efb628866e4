package twin_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"parktwin/twin"
)

// refused applies cmd and wants a conflict naming holder, with nothing
// changed.
func refused(t *testing.T, tw *twin.Twin, cmd twin.Command, holder string) {
	t.Helper()
	seq := tw.Snapshot().Seq()
	_, err := tw.Apply(context.Background(), cmd)
	if got := twin.ErrorCode(err); got != twin.ECONFLICT {
		t.Fatalf("got %q (%v), want a conflict", got, err)
	}
	if msg := twin.ErrorMessage(err); !strings.Contains(msg, holder) {
		t.Errorf("message %q does not name %s", msg, holder)
	}
	if got := tw.Snapshot().Seq(); got != seq {
		t.Errorf("seq moved from %d to %d", seq, got)
	}
}

// Guards checkDeletable for sensors: an alarm not closed holds its sensor
// (it names it, and the duty officer has yet to close it); a closed one
// does not.
func TestAlarmHoldsSensor(t *testing.T) {
	for _, st := range []twin.AlarmState{twin.AlarmActive, twin.AlarmAcknowledged, twin.AlarmCleared, twin.AlarmClosed} {
		t.Run(st.String(), func(t *testing.T) {
			tw := openTwin(t, nil)
			sen := apply(t, tw, twin.Create{Entity: sensor("")})[0].ID
			alarm := &twin.Alarm{Sensor: sen, Subject: "TNK-0001-01", Enterprise: "ENT-0001", Condition: twin.High,
				Limit: "H", Threshold: 60, Value: 63, Level: twin.Yellow, State: st, RaisedAt: time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC),
				Position: tank("").Position}
			alm := apply(t, tw, twin.Create{Entity: alarm})[0].ID
			del := twin.Delete{Kind: twin.KindSensor, ID: sen}
			if st == twin.AlarmClosed {
				apply(t, tw, del)
				return
			}
			refused(t, tw, del, alm)
			apply(t, tw, twin.Patch{Kind: twin.KindAlarm, ID: alm, Merge: json.RawMessage(`{"properties":{"state":"closed"}}`)})
			apply(t, tw, del)
		})
	}
}
