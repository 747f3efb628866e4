package telemetry_test

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"parktwin/twin"
	"parktwin/twin/telemetry"
)

var t0 = time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)

func box(w, s, e, n float64) orb.Polygon {
	return orb.Polygon{{{w, s}, {e, s}, {e, n}, {w, n}, {w, s}}}
}

func ptr(v float64) *float64 { return &v }

func creditCode(first17 string) string {
	c, _ := twin.CreditCheck(first17)
	return first17 + string(c)
}

// The GB 18218 worked example as a park: one storage unit holding 5 t of
// chlorine and 5 t of ammonia, with 60 residents within 500 m.
func fixture() []twin.Entity {
	unitFP := box(120.8200, 30.1500, 120.8220, 30.1515)
	return []twin.Entity{
		&twin.Park{ID: twin.ParkID, Name: "测试园区", Boundary: box(120.80, 30.14, 120.90, 30.20)},
		&twin.Chemical{CAS: "7782-50-5", NameZh: "氯", NameEn: "Chlorine", UN: 1017, Phase: twin.LiquefiedGas,
			DensityKgM3: 1470, ToxicGas: true, HazardClass: "J2", CriticalQT: 5, Beta: 4},
		&twin.Chemical{CAS: "7664-41-7", NameZh: "氨", NameEn: "Ammonia", UN: 1005, Phase: twin.LiquefiedGas,
			DensityKgM3: 682, ToxicGas: true, HazardClass: "J2", CriticalQT: 10, Beta: 2},
		&twin.Enterprise{ID: "ENT-0001", Name: "上虞测试化工有限公司", CreditCode: creditCode("91330604MA2BCDE12"),
			Grade: twin.GradeB, Industry: "精细化工", Parcel: box(120.815, 30.145, 120.83, 30.16),
			PeopleOnShift: 40, DutyPhone: "0575-82100001"},
		// q = capacity × maxFill × density = 5 t each.
		&twin.Tank{ID: "TNK-0001-01", Name: "液氯储罐", Enterprise: "ENT-0001", Chemical: "7782-50-5",
			Type: twin.Horizontal, DiameterM: 1.6, HeightM: 2.5, CapacityM3: 5 / (1.47 * 0.8), MaxFill: 0.8,
			Position: orb.Point{120.8205, 30.1505}},
		&twin.Tank{ID: "TNK-0001-02", Name: "液氨储罐", Enterprise: "ENT-0001", Chemical: "7664-41-7",
			Type: twin.Horizontal, DiameterM: 2, HeightM: 4, CapacityM3: 5 / (0.682 * 0.8), MaxFill: 0.8,
			Position: orb.Point{120.8215, 30.1505}},
		&twin.HazardUnit{ID: "MHU-01", Name: "液氯液氨罐区", Enterprise: "ENT-0001", Type: twin.StorageUnit,
			Tanks: []string{"TNK-0001-01", "TNK-0001-02"}, Footprint: unitFP},
		// Outside the plant boundary (the parcel ends at 120.83), about
		// 290 m from it: GB 18218 counts residents within 500 m outside
		// the boundary.
		&twin.Target{ID: "TGT-01", Name: "沥海村", Type: twin.Residential, Population: 60,
			Position: orb.Point{120.8330, 30.1530}},
		&twin.Target{ID: "TGT-02", Name: "远处小区", Type: twin.Residential, Population: 5000,
			Position: orb.Point{120.8600, 30.1800}},
		&twin.Sensor{ID: "SEN-00001", Name: "液氯罐 温度", Subject: "TNK-0001-01", Type: twin.Temperature, Unit: "°C",
			Limits: twin.Limits{H: ptr(40), HH: ptr(50)}, Deadband: 1, StaleAfterS: 120,
			Position: orb.Point{120.8205, 30.1505}},
		&twin.Sensor{ID: "SEN-00002", Name: "液氯罐 液位", Subject: "TNK-0001-01", Type: twin.Level, Unit: "m",
			Limits: twin.Limits{LL: ptr(0.1), L: ptr(0.2), H: ptr(1.3), HH: ptr(1.45)}, Deadband: 0.02, StaleAfterS: 120,
			Position: orb.Point{120.8205, 30.1505}},
		&twin.Sensor{ID: "SEN-00003", Name: "罐区 氯气", Subject: "MHU-01", Type: twin.ToxicGas, Gas: "Cl2", Unit: "ppm",
			Limits: twin.Limits{H: ptr(1), HH: ptr(2)}, Deadband: 0.2, OnDelayS: 5, StaleAfterS: 120,
			Position: orb.Point{120.8210, 30.1512}},
	}
}

type rig struct {
	tw    *twin.Twin
	m     *telemetry.Monitor
	clock *twin.SimClock
}

func newRig(t *testing.T) *rig {
	t.Helper()
	clock := twin.NewSimClock(t0)
	tw, err := twin.Open(twin.Config{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tw.Close() })
	cmds := twin.Creates(fixture()...)
	if _, err := tw.Apply(context.Background(), cmds...); err != nil {
		t.Fatal(err)
	}
	m, err := telemetry.New(telemetry.Config{Twin: tw, Rules: telemetry.DefaultRules()})
	if err != nil {
		t.Fatal(err)
	}
	return &rig{tw: tw, m: m, clock: clock}
}

// pastGrace moves the clock past the start-up grace, during which no
// silence is judged.
func (r *rig) pastGrace() {
	r.clock.Advance(telemetry.DefaultRules().CommLost.StartupGrace.D())
}

func (r *rig) feed(t *testing.T, sensor string, values ...float64) {
	t.Helper()
	feed(t, r.m, r.clock, sensor, values...)
}

// feed sends one reading per second of the sensor to m, starting a
// second after the clock, moving the clock along.
func feed(t *testing.T, m *telemetry.Monitor, clock *twin.SimClock, sensor string, values ...float64) {
	t.Helper()
	for _, v := range values {
		clock.Advance(time.Second)
		_, rej, err := m.Ingest(context.Background(), []telemetry.Reading{{Sensor: sensor, T: clock.Now(), Value: v}})
		if err != nil || len(rej) > 0 {
			t.Fatalf("ingest %s %v: %v %v", sensor, v, rej, err)
		}
	}
}

func alarms(s *twin.Snapshot) []*twin.Alarm {
	var out []*twin.Alarm
	for a := range twin.All[*twin.Alarm](s) {
		out = append(out, a)
	}
	return out
}

func TestOneConditionOneAlarm(t *testing.T) {
	r := newRig(t)
	r.feed(t, "SEN-00001", 30, 45) // past H
	for range 50 {
		r.feed(t, "SEN-00001", 55, 58, 60) // past HH, again and again
	}
	as := alarms(r.tw.Snapshot())
	if len(as) != 1 {
		t.Fatalf("got %d alarms, want 1", len(as))
	}
	a := as[0]
	if a.Condition != twin.High || a.Limit != "HH" || a.Level != twin.Orange || a.State != twin.AlarmActive {
		t.Errorf("alarm: %+v", a)
	}
	// Back inside H (40) but not by more than the deadband (1): still on.
	r.feed(t, "SEN-00001", 39.5)
	if a := alarms(r.tw.Snapshot())[0]; a.State != twin.AlarmActive {
		t.Fatalf("cleared within the deadband: %v", a.State)
	}
	r.feed(t, "SEN-00001", 38.5)
	if a := alarms(r.tw.Snapshot())[0]; a.State != twin.AlarmCleared || a.ClearedAt.IsZero() {
		t.Fatalf("not cleared past the deadband: %v", a.State)
	}
	// A new excursion is a new condition: a new alarm.
	r.feed(t, "SEN-00001", 46)
	if got := len(alarms(r.tw.Snapshot())); got != 2 {
		t.Errorf("after a new excursion: %d alarms, want 2", got)
	}
}

func TestLowLimitsAndOnDelay(t *testing.T) {
	r := newRig(t)
	r.feed(t, "SEN-00002", 0.5, 0.15) // past L
	as := alarms(r.tw.Snapshot())
	if len(as) != 1 || as[0].Condition != twin.Low || as[0].Limit != "L" || as[0].Level != twin.Yellow {
		t.Fatalf("alarms: %+v", as)
	}
	// The gas detector must stay past its limit for 5 s before it alarms.
	r.feed(t, "SEN-00003", 1.5, 1.5, 1.5, 1.5)
	if got := len(alarms(r.tw.Snapshot())); got != 1 {
		t.Fatalf("alarm before the on-delay: %d alarms", got)
	}
	r.feed(t, "SEN-00003", 1.5, 1.5)
	if got := len(alarms(r.tw.Snapshot())); got != 2 {
		t.Fatalf("no alarm after the on-delay: %d alarms", got)
	}
}

func TestBatchRefusesOneByOne(t *testing.T) {
	r := newRig(t)
	now := r.clock.Now()
	body := `{"readings":[
		{"sensor":"SEN-00001","t":"` + now.Add(-time.Second).Format(time.RFC3339) + `","value":21.5},
		{"sensor":"SEN-09999","t":"` + now.Format(time.RFC3339) + `","value":1},
		{"sensor":"SEN-00002","t":"` + now.Add(5*time.Minute).Format(time.RFC3339) + `","value":1},
		{"sensor":"SEN-00001","t":"` + now.Add(-time.Minute).Format(time.RFC3339) + `","value":22},
		{"sensor":"SEN-00002","t":"` + now.Format(time.RFC3339) + `","value":"NaN"},
		{"sensor":"SEN-00002","t":"` + now.Format(time.RFC3339) + `","value":1e999},
		{"sensor":"SEN-00002","t":"yesterday","value":1},
		{"sensor":"SEN-00002","t":"` + now.Format(time.RFC3339) + `","value":0.9}
	]}`
	rs, idx, rej, err := telemetry.DecodeBatch([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	n, rej2, err := r.m.Ingest(context.Background(), rs)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range rej2 {
		rej = append(rej, telemetry.Rejection{Index: idx[x.Index], Error: x.Error})
	}
	if n != 2 {
		t.Errorf("accepted %d, want 2", n)
	}
	want := map[int]string{1: "unknown sensor", 2: "ahead", 3: "not after", 4: "finite", 5: "finite", 6: "RFC 3339"}
	if len(rej) != len(want) {
		t.Fatalf("rejections: %+v", rej)
	}
	for _, x := range rej {
		if !strings.Contains(x.Error, want[x.Index]) {
			t.Errorf("reading %d: %q, want it to say %q", x.Index, x.Error, want[x.Index])
		}
	}
	if v, _, ok := r.m.Latest("SEN-00002"); !ok || v != 0.9 {
		t.Errorf("latest SEN-00002: %v %v", v, ok)
	}
}

func TestOrderEscalatesOnTheClock(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	r.feed(t, "SEN-00001", 55) // HH: orange, an order
	var o *twin.Order
	for x := range twin.All[*twin.Order](r.tw.Snapshot()) {
		o = x
	}
	if o == nil {
		t.Fatal("no verification order for an orange alarm")
	}
	if got, want := o.AckDeadline.Sub(o.IssuedAt), 15*time.Minute; got != want {
		t.Errorf("acknowledge window: %v, want %v", got, want)
	}
	if o.DutyPhone != "0575-82100001" || o.Enterprise != "ENT-0001" {
		t.Errorf("order to %s %s", o.Enterprise, o.DutyPhone)
	}
	r.clock.Advance(14 * time.Minute)
	r.feed(t, "SEN-00001", 55)
	if err := r.m.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if n := r.tw.Snapshot().Len(twin.KindTask); n != 0 {
		t.Fatalf("escalated before the deadline: %d tasks", n)
	}
	r.clock.Advance(2 * time.Minute)
	r.feed(t, "SEN-00001", 55)
	if err := r.m.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	snap := r.tw.Snapshot()
	var tasks []*twin.Task
	for x := range twin.All[*twin.Task](snap) {
		if x.Type == twin.TaskEscalation {
			reasonIsItsMessage(t, x)
			tasks = append(tasks, x)
		}
	}
	if len(tasks) != 1 || tasks[0].Subject != o.ID {
		t.Fatalf("escalations: %+v", tasks)
	}
	if o2, _ := twin.Lookup[*twin.Order](snap, o.ID); !o2.AckEscalated {
		t.Error("order not marked escalated")
	}
	if e, _ := twin.Lookup[*twin.Enterprise](snap, "ENT-0001"); e.SafetyCode != twin.CodeRed || !slices.Contains(e.SafetyReasons, telemetry.CondEscalationOpen) {
		t.Errorf("safety code with an open escalation: %v %v, want red for %s", e.SafetyCode, e.SafetyReasons, telemetry.CondEscalationOpen)
	}
	// A second tick does not escalate the same deadline again.
	if err := r.m.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	n := 0
	for x := range twin.All[*twin.Task](r.tw.Snapshot()) {
		if x.Type == twin.TaskEscalation {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d escalations after a second tick, want 1", n)
	}
}

func TestClosedLoop(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	r.feed(t, "SEN-00001", 55)
	a := alarms(r.tw.Snapshot())[0]
	var oid string
	for o := range twin.All[*twin.Order](r.tw.Snapshot()) {
		oid = o.ID
	}
	if _, err := r.m.CloseAlarm(ctx, a.ID, "值班员", ""); twin.ErrorCode(err) != twin.ECONFLICT {
		t.Fatalf("closing an active alarm: %v", err)
	}
	if _, err := r.m.AckAlarm(ctx, a.ID, "值班员", "已通知企业"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.m.CloseOrder(ctx, oid, "值班员"); twin.ErrorCode(err) != twin.ECONFLICT {
		t.Fatalf("closing an unanswered order: %v", err)
	}
	if _, err := r.m.AckOrder(ctx, oid, "企业值班"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.m.AnswerOrder(ctx, oid, twin.Feedback{Cause: "日晒", By: "企业值班"}); twin.ErrorField(err) != "action" {
		t.Fatalf("feedback without action: %v", err)
	}
	if _, err := r.m.AnswerOrder(ctx, oid, twin.Feedback{Cause: "日晒升温", Action: "开启喷淋降温"}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.m.ReturnOrder(ctx, oid, "请说明喷淋开启时间"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.m.AnswerOrder(ctx, oid, twin.Feedback{Cause: "日晒升温", Action: "08:05 开启喷淋降温"}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.m.CloseOrder(ctx, oid, "值班员"); err != nil {
		t.Fatal(err)
	}
	r.feed(t, "SEN-00001", 30)
	if _, err := r.m.CloseAlarm(ctx, a.ID, "值班员", "闭环"); err != nil {
		t.Fatal(err)
	}
	snap := r.tw.Snapshot()
	a2, _ := twin.Lookup[*twin.Alarm](snap, a.ID)
	o2, _ := twin.Lookup[*twin.Order](snap, oid)
	if a2.State != twin.AlarmClosed || o2.State != twin.OrderClosed || o2.Feedback.Action != "08:05 开启喷淋降温" {
		t.Errorf("alarm %v, order %v %+v", a2.State, o2.State, o2.Feedback)
	}
}

func TestCommunicationLost(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	r.pastGrace()
	r.feed(t, "SEN-00001", 20, 20, 20)
	r.clock.Advance(119 * time.Second)
	r.m.Tick(ctx)
	for _, a := range alarms(r.tw.Snapshot()) {
		if a.Sensor == "SEN-00001" {
			t.Fatalf("comm-lost before the timeout: %+v", a)
		}
	}
	r.clock.Advance(3 * time.Second)
	r.m.Tick(ctx)
	var lost *twin.Alarm
	for _, a := range alarms(r.tw.Snapshot()) {
		if a.Sensor == "SEN-00001" && a.Condition == twin.CommLost {
			lost = a
		}
	}
	if lost == nil || lost.Level != twin.Blue {
		t.Fatalf("no blue comm-lost alarm: %+v", lost)
	}
	r.feed(t, "SEN-00001", 20)
	if a, _ := twin.Lookup[*twin.Alarm](r.tw.Snapshot(), lost.ID); a.State != twin.AlarmCleared {
		t.Errorf("comm-lost after a reading: %v", a.State)
	}
}

func TestHiddenDangers(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	d, err := r.m.RegisterDanger(ctx, &twin.Danger{Enterprise: "ENT-0001", Title: "液氯罐区喷淋管道锈蚀",
		Owner: "张工", Due: twin.NewDate(2026, 12, 5)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.m.MoveDanger(ctx, d.ID, twin.DangerAccepted); twin.ErrorCode(err) != twin.ECONFLICT {
		t.Fatalf("skipping rectification: %v", err)
	}
	if _, err := r.m.MoveDanger(ctx, d.ID, twin.DangerRectifying); err != nil {
		t.Fatal(err)
	}
	r.clock.Set(time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC))
	if err := r.m.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	snap := r.tw.Snapshot()
	d2, _ := twin.Lookup[*twin.Danger](snap, d.ID)
	reminders := 0
	for x := range twin.All[*twin.Task](snap) {
		if x.Type == twin.TaskOverdueDanger && x.Subject == d.ID {
			reasonIsItsMessage(t, x)
			reminders++
		}
	}
	if !d2.Reminded || reminders != 1 {
		t.Errorf("overdue danger: reminded %v, %d reminders", d2.Reminded, reminders)
	}
	if e, _ := twin.Lookup[*twin.Enterprise](snap, "ENT-0001"); e.SafetyCode != twin.CodeYellow || !slices.Contains(e.SafetyReasons, telemetry.CondDangerOverdue) {
		t.Errorf("safety code with an overdue danger: %v %v, want yellow for %s", e.SafetyCode, e.SafetyReasons, telemetry.CondDangerOverdue)
	}
	for _, to := range []twin.DangerState{twin.DangerAccepted, twin.DangerClosed} {
		if _, err := r.m.MoveDanger(ctx, d.ID, to); err != nil {
			t.Fatal(err)
		}
	}
	r.m.Tick(ctx)
	if e, _ := twin.Lookup[*twin.Enterprise](r.tw.Snapshot(), "ENT-0001"); e.SafetyCode != twin.CodeGreen || e.SafetyReasons != nil {
		t.Errorf("safety code after the danger is struck off: %v %v, want green for no reason", e.SafetyCode, e.SafetyReasons)
	}
}

func TestGradingOfTheWorkedExample(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	if err := r.m.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	ug, err := r.m.Grading("MHU-01")
	if err != nil {
		t.Fatal(err)
	}
	g := ug.Current
	if g == nil {
		t.Fatal("no grading after a tick")
	}
	if !near(g.S, 1.5) || !near(g.R, 7.5) || g.Alpha != 1.5 || g.Level != 4 || g.Population != 60 || g.Standard != "GB 18218-2018" {
		t.Errorf("grading: S %v R %v α %v level %d population %d %s", g.S, g.R, g.Alpha, g.Level, g.Population, g.Standard)
	}
	// Half the chlorine tank's height of liquid: live S = 0.5×(5/0.8)/5 ... from the level.
	r.feed(t, "SEN-00002", 0.8) // a horizontal tank 1.6 m across, half full
	ug, _ = r.m.Grading("MHU-01")
	wantS := (5/(1.47*0.8)*0.5*1.47)/5 + 5.0/10
	if !near(ug.Live.S, wantS) {
		t.Errorf("live S: got %v, want %v", ug.Live.S, wantS)
	}
	// A change of inputs: a new record and a re-grading task.
	if _, err := r.tw.Apply(ctx, twin.Patch{Kind: twin.KindTank, ID: "TNK-0001-02", Merge: []byte(`{"properties":{"maxFill":0.4}}`)}); err != nil {
		t.Fatal(err)
	}
	r.m.Tick(ctx)
	ug, _ = r.m.Grading("MHU-01")
	if len(ug.History) != 2 || !near(ug.Current.S, 1.25) {
		t.Fatalf("after a change: %d records, S %v", len(ug.History), ug.Current.S)
	}
	tasks := 0
	for x := range twin.All[*twin.Task](r.tw.Snapshot()) {
		if x.Type == twin.TaskRegrade {
			reasonIsItsMessage(t, x)
			tasks++
		}
	}
	if tasks != 1 {
		t.Errorf("%d re-grading tasks, want 1", tasks)
	}
}

func TestRegradeAfterThreeYears(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	r.m.Tick(ctx)
	r.clock.Advance(3*365*24*time.Hour + time.Hour)
	r.m.Tick(ctx)
	r.m.Tick(ctx)
	var reasons []string
	for x := range twin.All[*twin.Task](r.tw.Snapshot()) {
		if x.Type == twin.TaskRegrade {
			reasonIsItsMessage(t, x)
			reasons = append(reasons, x.Reason)
		}
	}
	if len(reasons) != 1 || !strings.Contains(reasons[0], "older than") {
		t.Errorf("re-grading tasks: %q", reasons)
	}
}

func TestLevelOneUnitRaisesAlarms(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	// 100 t of chlorine: S 20, R 2 × 4 × 20 = 160 with the 5,000 people
	// now said to live next door: level 1.
	if _, err := r.tw.Apply(ctx,
		twin.Patch{Kind: twin.KindTank, ID: "TNK-0001-01", Merge: []byte(`{"properties":{"capacityM3":85.04}}`)},
		twin.Patch{Kind: twin.KindTarget, ID: "TGT-01", Merge: []byte(`{"properties":{"population":5000}}`)}); err != nil {
		t.Fatal(err)
	}
	r.m.Tick(ctx)
	if ug, _ := r.m.Grading("MHU-01"); ug.Current.Level != 1 {
		t.Fatalf("level %d, want 1", ug.Current.Level)
	}
	r.feed(t, "SEN-00001", 45) // H: yellow, one step up on a level 1 unit
	as := alarms(r.tw.Snapshot())
	if len(as) != 1 || as[0].Level != twin.Orange {
		t.Fatalf("alarms: %+v", as)
	}
}

func TestRulesErrorsNameTheLine(t *testing.T) {
	const base = "orders:\n  red: {acknowledge: 5m, feedback: 30m}\n  orange: {acknowledge: 15m, feedback: 2h}\nhistory: {retention: 720h, flush: 10s}\nregradeAfter: 1h\n"
	for _, tt := range []struct{ yaml, want string }{
		{"orders:\n  red:\n    acknowledge: soon\n", "line 3"},
		{"orders: {}\nhistory: {retention: 720h, flush: 10s}\nregradeAfter: 1h\nbogus: 1\n", "line 4"},
		{"orders:\n  red: {acknowledge: 5m, feedback: 30m}\n  orange: {acknowledge: 15m, feedback: 2h}\nhistory: {retention: 720h, flush: 10s}\nregradeAfter: 1h\nsafetyCodes:\n  red: [full-moon]\n", "safetyCodes.red[0]"},
		{base + "commLost: {startupGrace: 5m, autoClose: 1h, gatewayShare: 0.5, gatewayMinSensors: 2}\nshelving: {maxDuration: 8h}\n", "commLost.gatewayShare"},
		{base + "commLost: {startupGrace: 5m, autoClose: 1h, gatewayShare: 0.9, gatewayMinSensors: 1}\nshelving: {maxDuration: 8h}\n", "commLost.gatewayMinSensors"},
		{base + "commLost: {autoClose: 1h, gatewayShare: 0.9, gatewayMinSensors: 2}\nshelving: {maxDuration: 8h}\n", "startupGrace"},
		{base + "commLost: {startupGrace: 0s, autoClose: 1h, gatewayShare: 0.9, gatewayMinSensors: 2}\n", "line 6"},
		{base + "commLost: {startupGrace: 5m, autoClose: 1h, gatewayShare: 0.9, gatewayMinSensors: 2}\n", "shelving.maxDuration"},
	} {
		_, err := telemetry.ParseRules("rules.yaml", []byte(tt.yaml))
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "rules.yaml") {
			t.Errorf("%q: %v, want an error naming %q", tt.yaml, err, tt.want)
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

// The live grading reads a horizontal tank's inventory by its shape: at a
// quarter of its diameter (0.4 m of 1.6 m) the chlorine tank holds the
// circular segment (θ − sin θ)/2π, θ = 2·acos(0.5), 19.55 % of its
// volume — not 25 %. GB 18218-2018 q is the quantity actually held.
func TestLiveGradingByTheTanksShape(t *testing.T) {
	r := newRig(t)
	r.m.Tick(context.Background())
	r.feed(t, "SEN-00002", 0.4)
	ug, _ := r.m.Grading("MHU-01")
	th := 2 * math.Acos(0.5)
	frac := (th - math.Sin(th)) / (2 * math.Pi)
	wantS := (5/(1.47*0.8)*frac*1.47)/5 + 5.0/10
	if !near(ug.Live.S, math.Round(wantS*1e9)/1e9) {
		t.Errorf("live S %v, want %v (a fill of %.4f)", ug.Live.S, wantS, frac)
	}
}
