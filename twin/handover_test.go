package twin_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"parktwin/twin"
	"parktwin/twin/bolt"
)

func officer(user string) context.Context {
	return twin.WithActor(context.Background(), twin.Actor{User: user, Role: "duty-officer"})
}

// shiftPark fills tw with what a shift hands on, around a shift from
// ledgerDay-8h to ledgerDay: alarms, orders, dangers, tasks and incidents
// in and out of the shift, open and closed. It returns the summary the
// handover must carry.
func shiftPark(t *testing.T, tw *twin.Twin) twin.HandoverSummary {
	t.Helper()
	start := ledgerDay.Add(-8 * time.Hour)
	before, in := start.Add(-2*time.Hour), start.Add(3*time.Hour)
	at := tank("").Position
	sen := apply(t, tw, twin.Create{Entity: sensor("")})[0].ID
	alarm := func(level twin.AlarmLevel, st twin.AlarmState, raised, closed time.Time) string {
		a := &twin.Alarm{Sensor: sen, Subject: "TNK-0001-01", Enterprise: "ENT-0001", Condition: twin.High, Limit: "H",
			Threshold: 60, Value: 63, Level: level, State: st, RaisedAt: raised, ClosedAt: closed, Position: at}
		return apply(t, tw, twin.Create{Entity: a})[0].ID
	}
	standing := alarm(twin.Yellow, twin.AlarmCleared, before, time.Time{}) // open, raised before
	// shelved at the shift's end: the record says so, until when, by whom, why
	shelf := ledgerDay.Add(30 * time.Minute)
	if sa, ok := twin.Lookup[*twin.Alarm](tw.Snapshot(), standing); ok {
		c := *sa
		c.ShelvedUntil, c.ShelvedBy, c.ShelveReason = shelf, "值班员", "仪表检修"
		c.Shelvings = []twin.Shelving{{By: "值班员", Reason: "仪表检修", From: ledgerDay.Add(-time.Hour), Until: shelf}}
		apply(t, tw, twin.Update{Entity: &c})
	}
	alarm(twin.Orange, twin.AlarmClosed, in, in.Add(time.Hour))                      // raised and closed in the shift
	red := alarm(twin.Red, twin.AlarmAcknowledged, in.Add(time.Minute), time.Time{}) // raised in, open
	alarm(twin.Blue, twin.AlarmClosed, before, before.Add(time.Minute))              // all before: not counted

	order := func(st twin.OrderState) string {
		o := &twin.Order{Alarm: red, Enterprise: "ENT-0001", Level: twin.Red, State: st, IssuedAt: in,
			AckDeadline: in.Add(30 * time.Minute), FeedbackDeadline: in.Add(4 * time.Hour)}
		return apply(t, tw, twin.Create{Entity: o})[0].ID
	}
	openOrder := order(twin.OrderAcknowledged)
	order(twin.OrderClosed)
	danger := func(st twin.DangerState) string {
		d := &twin.Danger{Enterprise: "ENT-0001", Title: "围堰破损", Owner: "张三", Due: twin.NewDate(2026, 12, 20), State: st, RegisteredAt: before}
		return apply(t, tw, twin.Create{Entity: d})[0].ID
	}
	openDanger := danger(twin.DangerRectifying)
	danger(twin.DangerClosed)
	task := func(done bool) string {
		k := &twin.Task{Type: twin.TaskEscalation, Subject: openOrder, Enterprise: "ENT-0001", Reason: "未按时反馈", RaisedAt: in, Done: done}
		return apply(t, tw, twin.Create{Entity: k})[0].ID
	}
	openTask := task(false)
	task(true)
	incident := func(level twin.ResponseLevel, st twin.IncidentState, reported time.Time) string {
		i := &twin.Incident{Type: twin.ToxicRelease, Level: level, State: st, Entity: "TNK-0001-01", Enterprise: "ENT-0001",
			Reporter: "值班员", ReportedAt: reported, Position: at}
		return apply(t, tw, twin.Create{Entity: i})[0].ID
	}
	closedIn := incident(twin.LevelII, twin.IncidentClosed, in)
	openInc := incident(twin.LevelIII, twin.IncidentDispatched, before)
	incident(twin.LevelI, twin.IncidentClosed, before) // closed, reported before: not the shift's

	items := func(its ...twin.HandoverItem) twin.HandoverList {
		return twin.HandoverList{Total: len(its), Items: its}
	}
	// The names as the park held them when the record was drafted.
	const ent, tnk = "上虞测试化工有限公司", "T-101 液氯储罐"
	return twin.HandoverSummary{
		Alarms: twin.AlarmTally{Raised: 2, Closed: 1, Open: items(
			twin.HandoverItem{ID: red, State: "acknowledged", Level: "red", Enterprise: "ENT-0001", Subject: "TNK-0001-01", At: in.Add(time.Minute),
				EnterpriseName: ent, SubjectName: tnk},
			twin.HandoverItem{ID: standing, State: "cleared", Level: "yellow", Enterprise: "ENT-0001", Subject: "TNK-0001-01", At: before,
				EnterpriseName: ent, SubjectName: tnk, ShelvedUntil: shelf, ShelvedBy: "值班员", ShelveReason: "仪表检修"})},
		Incidents: items(
			twin.HandoverItem{ID: openInc, State: "dispatched", Type: "toxic-release", Level: "III", Enterprise: "ENT-0001", Subject: "TNK-0001-01", At: before,
				EnterpriseName: ent, SubjectName: tnk},
			twin.HandoverItem{ID: closedIn, State: "closed", Type: "toxic-release", Level: "II", Enterprise: "ENT-0001", Subject: "TNK-0001-01", At: in,
				EnterpriseName: ent, SubjectName: tnk}),
		Orders: items(twin.HandoverItem{ID: openOrder, State: "acknowledged", Level: "red", Enterprise: "ENT-0001", Subject: red,
			At: in, Due: in.Add(4 * time.Hour), EnterpriseName: ent}),
		Dangers: items(twin.HandoverItem{ID: openDanger, State: "rectifying", Enterprise: "ENT-0001", Subject: "围堰破损",
			At: before, Due: twin.NewDate(2026, 12, 20).Time(), EnterpriseName: ent}),
		Tasks: items(twin.HandoverItem{ID: openTask, State: "open", Type: "escalation", Enterprise: "ENT-0001", Subject: openOrder,
			Reason: "未按时反馈", At: in, EnterpriseName: ent}),
	}
}

func handoverJSON(t *testing.T, s *twin.Snapshot, id string) string {
	t.Helper()
	h, ok := twin.Lookup[*twin.Handover](s, id)
	if !ok {
		t.Fatalf("no handover %s", id)
	}
	b, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A handover's summary is the park's shift: the counts and the open
// items as the park holds them. The outgoing officer, who drafted it,
// signs first (another officer first is refused), the same
// user cannot sign again as the incoming, another user can; signed by
// both, nothing changes it — not a sign, an update, a patch or a delete —
// and it is the same record after a restart on its bbolt file.
func TestHandoverRecord(t *testing.T) {
	path := filepath.Join(t.TempDir(), "park.db")
	db, err := bolt.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	tw := ledgerTwin(t, db)
	want := shiftPark(t, tw)
	start := ledgerDay.Add(-8 * time.Hour)

	for _, bad := range []twin.DraftHandover{
		{},                                       // no start
		{ShiftStart: ledgerDay.Add(time.Minute)}, // not started
		{ShiftStart: ledgerDay.Add(-25 * time.Hour)},
	} {
		if _, err := tw.Apply(officer("li"), bad); twin.ErrorCode(err) != twin.EINVALID {
			t.Errorf("draft %v: got %v, want invalid", bad.ShiftStart, err)
		}
	}
	evs, err := tw.Apply(officer("li"), twin.DraftHandover{ShiftStart: start, Notes: "3号罐区液位计待校验"})
	if err != nil {
		t.Fatal(err)
	}
	h := evs[0].Entity.(*twin.Handover)
	if diff := cmp.Diff(h.Summary, want); diff != "" {
		t.Errorf("summary (-got +want):\n%s", diff)
	}
	if h.DraftedBy != "li" || !h.ShiftEnd.Equal(ledgerDay) || h.Outgoing != nil {
		t.Errorf("drafted by %q, ends %v, outgoing %v", h.DraftedBy, h.ShiftEnd, h.Outgoing)
	}

	sign := func(ctx context.Context) error {
		_, err := tw.Apply(ctx, twin.SignHandover{ID: h.ID})
		return err
	}
	refuse := func(what string, code string, err error) {
		t.Helper()
		if twin.ErrorCode(err) != code {
			t.Errorf("%s: got %v, want %s", what, err, code)
		}
	}
	refuse("a sign with no actor", twin.EFORBIDDEN, sign(context.Background()))
	// The first signature is the outgoing officer's, who drafted it:
	// another who signed first became outgoing, and li incoming.
	refuse("another officer signing first", twin.EFORBIDDEN, sign(officer("zhao")))
	if got, _ := twin.Lookup[*twin.Handover](tw.Snapshot(), h.ID); got.Outgoing != nil {
		t.Errorf("outgoing %+v after a refused signature", got.Outgoing)
	}
	if err := sign(officer("li")); err != nil {
		t.Fatal(err)
	}
	seq := tw.Snapshot().Seq()
	refuse("the outgoing signing as the incoming", twin.ECONFLICT, sign(officer("li")))
	changed := *h
	changed.Notes = "改过的交接说明"
	refuse("notes changed after the outgoing signed", twin.ECONFLICT, func() error {
		_, err := tw.Apply(officer("li"), twin.Update{Entity: &changed})
		return err
	}())
	if got := tw.Snapshot().Seq(); got != seq {
		t.Errorf("refusals moved the seq from %d to %d", seq, got)
	}
	if err := sign(officer("zhao")); err != nil {
		t.Fatal(err)
	}
	signed, _ := twin.Lookup[*twin.Handover](tw.Snapshot(), h.ID)
	if signed.Outgoing.User != "li" || signed.Incoming.User != "zhao" || !signed.Incoming.At.Equal(ledgerDay) {
		t.Errorf("signatures: outgoing %+v, incoming %+v", signed.Outgoing, signed.Incoming)
	}
	seq = tw.Snapshot().Seq()
	refuse("a third signature", twin.ECONFLICT, sign(officer("qian")))
	refuse("an update of a signed record", twin.ECONFLICT, func() error {
		c := *signed
		c.Notes = "改过的交接说明"
		_, err := tw.Apply(officer("admin"), twin.Update{Entity: &c})
		return err
	}())
	refuse("a patch of a signed record", twin.ECONFLICT, func() error {
		_, err := tw.Apply(officer("admin"), twin.Patch{Kind: twin.KindHandover, ID: h.ID, Merge: json.RawMessage(`{"properties":{"notes":"x"}}`)})
		return err
	}())
	refuse("deleting a signed record", twin.ECONFLICT, func() error {
		_, err := tw.Apply(officer("admin"), twin.Delete{Kind: twin.KindHandover, ID: h.ID})
		return err
	}())
	if got := tw.Snapshot().Seq(); got != seq {
		t.Errorf("refusals moved the seq from %d to %d", seq, got)
	}

	before := handoverJSON(t, tw.Snapshot(), h.ID)
	tw.Close()
	db.Close()
	db, err = bolt.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	again, err := twin.Open(twin.Config{Store: db, Clock: twin.NewSimClock(ledgerDay.Add(time.Hour))})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if got := handoverJSON(t, again.Snapshot(), h.ID); got != before {
		t.Errorf("after a restart:\n got %s\nwant %s", got, before)
	}
	if _, err := again.Apply(officer("qian"), twin.SignHandover{ID: h.ID}); twin.ErrorCode(err) != twin.ECONFLICT {
		t.Errorf("signed after a restart: %v", err)
	}
}

// BenchmarkShiftSummary reads a shift's summary from a park holding
// 10,000 alarms (half of them open) and 1,000 orders: the work the
// writer does for a DraftHandover, during which it applies nothing else.
func BenchmarkShiftSummary(b *testing.B) {
	tw, err := twin.Open(twin.Config{Clock: twin.NewSimClock(ledgerDay)})
	if err != nil {
		b.Fatal(err)
	}
	defer tw.Close()
	cmds := twin.Creates(fixture()...)
	cmds = append(cmds, twin.Create{Entity: sensor("SEN-00001")})
	at := tank("").Position
	for i := range 10_000 {
		st := twin.AlarmClosed
		if i%2 == 0 {
			st = twin.AlarmCleared
		}
		raised := ledgerDay.Add(-time.Duration(i) * time.Minute)
		cmds = append(cmds, twin.Create{Entity: &twin.Alarm{Sensor: "SEN-00001", Subject: "TNK-0001-01", Enterprise: "ENT-0001",
			Condition: twin.CommLost, Limit: "stale", Level: twin.AlarmLevel(1 + i%4), State: st, RaisedAt: raised,
			ClosedAt: raised.Add(time.Minute), Position: at}})
	}
	for i := range 1_000 {
		issued := ledgerDay.Add(-time.Duration(i) * time.Minute)
		cmds = append(cmds, twin.Create{Entity: &twin.Order{Alarm: "ALM-000001", Enterprise: "ENT-0001", Level: twin.Orange,
			State: twin.OrderState(1 + i%5), IssuedAt: issued, AckDeadline: issued, FeedbackDeadline: issued}})
	}
	if _, err := tw.Apply(context.Background(), cmds...); err != nil {
		b.Fatal(err)
	}
	snap := tw.Snapshot()
	b.ResetTimer()
	for b.Loop() {
		sum := snap.ShiftSummary(ledgerDay.Add(-8*time.Hour), ledgerDay)
		if sum.Alarms.Open.Total != 5_000 {
			b.Fatalf("%d open alarms", sum.Alarms.Open.Total)
		}
	}
}
