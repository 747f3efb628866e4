package telemetry

import (
	"fmt"
	"strconv"
	"time"

	"parktwin/twin/msg"
)

// The refusals of a reading that parsed but that the monitoring does not
// take (Ingest): a sensor not in the park, a time ahead of the park's
// clock, older than the history kept, or not after the sensor's last
// reading. Each in English, as gateways have always read it, and as a
// message of twin.Messages naming its field and the value sent.

func unknownSensor(i int, sensor string) Rejection {
	return Rejection{Index: i, Error: "unknown sensor " + sensor, Field: "sensor",
		Msg: msg.New("error.noRef", "field", "sensor", "kind", "sensor", "id", sensor)}
}

func tooEarly(i int, t, now time.Time) Rejection {
	got, clock := t.Format(time.RFC3339Nano), now.UTC().Format(time.RFC3339)
	return Rejection{Index: i, Field: "t",
		Error: fmt.Sprintf("t %s is more than %s ahead of the park's clock (%s): is the gateway's clock right?", got, futureSlack, clock),
		Msg: msg.New("error.reading.ahead", "field", "t", "got", got,
			"slack", strconv.FormatFloat(futureSlack.Seconds(), 'f', -1, 64), "now", clock)}
}

func tooOld(i int, t, now time.Time, retention time.Duration) Rejection {
	got := t.Format(time.RFC3339)
	return Rejection{Index: i, Field: "t",
		Error: fmt.Sprintf("t %s is older than the history kept (%s)", got, retention),
		Msg: msg.New("error.reading.old", "field", "t", "got", got,
			"oldest", now.Add(-retention).UTC().Format(time.RFC3339))}
}

func notAfterLast(i int, t, last time.Time) Rejection {
	got, at := t.Format(time.RFC3339Nano), last.Format(time.RFC3339Nano)
	return Rejection{Index: i, Field: "t",
		Error: fmt.Sprintf("t %s is not after the sensor's last reading at %s", got, at),
		Msg:   msg.New("error.reading.notAfterLast", "field", "t", "got", got, "last", at)}
}
