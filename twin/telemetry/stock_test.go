package telemetry_test

import (
	"context"
	"maps"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/paulmach/orb"

	"parktwin/twin"
	"parktwin/twin/bolt"
	"parktwin/twin/msg"
	"parktwin/twin/telemetry"
)

// Low stock and overdue loans raise tasks, on the simulated clock with a
// bbolt file: a park warehouse's SCBA falling below its tier's minimum (7)
// raises one low-stock task, which the monitor marks done itself when
// the set comes back; a loan not back by its due day gets one reminder
// the day after, and only one. The shortages standing when the monitor
// starts (every type this warehouse holds none of) raise one task each.
func TestStockTasksOnTheSimClock(t *testing.T) {
	clock := twin.NewSimClock(t0)
	db, err := bolt.Open(filepath.Join(t.TempDir(), "park.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	tw, err := twin.Open(twin.Config{Clock: clock, Store: db})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tw.Close() })
	kp := twin.WithActor(context.Background(), twin.Actor{User: "wang", Role: "keeper"})
	wh := &twin.Warehouse{ID: "WH-01", Name: "测试装备库", Tier: twin.TierPark, Owner: "园区管委会",
		Keeper: twin.Contact{Name: "王库管", Phone: "13800000000"}, Position: orb.Point{120.85, 30.17}}
	apply := func(cmds ...twin.Command) []twin.Event {
		t.Helper()
		evs, err := tw.Apply(kp, cmds...)
		if err != nil {
			t.Fatal(err)
		}
		return evs
	}
	apply(twin.Creates(append(fixture(), wh)...)...)
	apply(twin.Post{Entry: &twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "scba", Due: twin.NewDate(2027, 6, 1),
		Serials: []string{"S-1", "S-2", "S-3", "S-4", "S-5", "S-6", "S-7"}}})
	apply(twin.Post{Entry: &twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "boom", Quantity: 500}})

	m, err := telemetry.New(telemetry.Config{Twin: tw, History: db, Rules: telemetry.DefaultRules()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	t.Cleanup(func() { cancel(); wg.Wait() })
	wg.Go(func() { m.Run(ctx) })
	clock.BlockUntil(2)

	tasks := func(typ twin.TaskType) []*twin.Task {
		var out []*twin.Task
		for x := range twin.All[*twin.Task](tw.Snapshot()) {
			if x.Type == typ && (typ != twin.TaskLowStock || x.Equipment == "scba") {
				out = append(out, x)
			}
		}
		return out
	}
	clock.Advance(2 * time.Second)
	if got := tasks(twin.TaskLowStock); len(got) != 0 {
		t.Fatalf("a low-stock task for SCBA with 7 sets ready: %+v", got)
	}
	standing := lowStock(tw.Snapshot())
	if len(standing) == 0 || standing[[2]string{"WH-01", "radio"}] != 1 {
		t.Fatalf("the shortages standing at the start: %v, want a task each (WH-01 holds no radios)", standing)
	}

	apply(twin.Post{Entry: &twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpIssue, Type: "scba", Serials: []string{"S-7"}, To: "TEAM-01"}})
	clock.Advance(2 * time.Second)
	low := tasks(twin.TaskLowStock)
	if len(low) != 1 || low[0].Subject != "WH-01" || low[0].Equipment != "scba" || low[0].Done {
		t.Fatalf("after the 7th set went out: %+v, want one open low-stock task for WH-01 scba", low)
	}
	apply(twin.Post{Entry: &twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpIssue, Type: "scba", Serials: []string{"S-6"}, To: "TEAM-01"}})
	clock.Advance(2 * time.Second)
	if got := tasks(twin.TaskLowStock); len(got) != 1 {
		t.Errorf("a second set out: %d low-stock tasks, want still the one", len(got))
	}
	apply(twin.Post{Entry: &twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReturn, Type: "scba", Serials: []string{"S-6", "S-7"}}})
	clock.Advance(2 * time.Second)
	if got := tasks(twin.TaskLowStock); len(got) != 1 || got[0].Done {
		t.Errorf("the sets back, not yet checked after use: %+v, want the task open", got)
	}
	apply(twin.Post{Entry: &twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpInspect, Type: "scba", Serials: []string{"S-6", "S-7"}, Result: twin.Pass}})
	clock.Advance(2 * time.Second)
	if got := tasks(twin.TaskLowStock); len(got) != 1 || !got[0].Done || got[0].DoneBy != twin.ActorMonitor {
		t.Errorf("the sets back and checked: %+v, want the task done by %s", got, twin.ActorMonitor)
	}

	// A loan of boom due today (28 November): reminded on the 29th.
	evs := apply(twin.RequestLoan{Loan: &twin.Loan{Warehouse: "WH-01", Borrower: "TEAM-01", Type: "boom", Quantity: 50,
		Due: twin.NewDate(2026, 11, 28), Reason: "演练借用"}})
	id := evs[0].ID
	apply(twin.LoanAction{ID: id, Action: "approve"})
	apply(twin.LoanAction{ID: id, Action: "issue"})
	clock.Advance(2 * time.Second)
	if got := tasks(twin.TaskOverdueLoan); len(got) != 0 {
		t.Fatalf("reminded on its due day: %+v", got)
	}
	clock.Advance(twin.NewDate(2026, 11, 29).Time().Sub(clock.Now()) + 2*time.Second)
	rem := tasks(twin.TaskOverdueLoan)
	if len(rem) != 1 || rem[0].Subject != id || rem[0].RaisedAt.Before(twin.NewDate(2026, 11, 29).Time()) {
		t.Fatalf("the day after: %+v, want one reminder for %s", rem, id)
	}
	clock.Advance(time.Hour)
	if got := tasks(twin.TaskOverdueLoan); len(got) != 1 {
		t.Errorf("an hour on: %d reminders, want the one", len(got))
	}
	for x := range twin.All[*twin.Task](tw.Snapshot()) {
		reasonIsItsMessage(t, x)
	}
}

// reasonIsItsMessage fails unless the task's reason is its message in
// English, and the message renders in Chinese with every argument.
func reasonIsItsMessage(t *testing.T, x *twin.Task) {
	t.Helper()
	if len(x.ReasonMsg) == 0 {
		t.Errorf("%s (%s): no message for %q", x.ID, x.Type, x.Reason)
		return
	}
	if got := telemetry.Messages.English(x.ReasonMsg...); got != x.Reason {
		t.Errorf("%s: the message reads %q, the reason %q", x.ID, got, x.Reason)
	}
	if zh := telemetry.Messages.Render(msg.Zh, x.ReasonMsg...); strings.Contains(zh, "{") || !strings.ContainsFunc(zh, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		t.Errorf("%s: in Chinese %q", x.ID, zh)
	}
}

// lowStock counts the open low-stock tasks by warehouse and type.
func lowStock(snap *twin.Snapshot) map[[2]string]int {
	out := map[[2]string]int{}
	for x := range twin.All[*twin.Task](snap) {
		if x.Type == twin.TaskLowStock && !x.Done {
			out[[2]string{x.Subject, x.Equipment}]++
		}
	}
	return out
}

// A warehouse already short when the monitor starts (parkd starting on a
// bbolt file that holds it) gets one low-stock task for each type it is
// short of, as its readiness says; started again on the same file, the
// monitor keeps those tasks and raises no second one, nor one for a
// shortage whose task was done by hand; a type brought back to its
// minimum has its task marked done.
func TestStandingShortagesRaiseOneTaskEach(t *testing.T) {
	wh := &twin.Warehouse{ID: "WH-01", Name: "企业装备库", Tier: twin.TierEnterprise, Owner: "上虞测试化工有限公司", Enterprise: "ENT-0001",
		Keeper: twin.Contact{Name: "王库管", Phone: "13800000000"}, Position: orb.Point{120.85, 30.17}}
	d := &durable{path: filepath.Join(t.TempDir(), "park.db"), clock: twin.NewSimClock(t0)}
	d.start(t)
	kp := twin.WithActor(context.Background(), twin.Actor{User: "wang", Role: "keeper"})
	apply := func(cmds ...twin.Command) {
		t.Helper()
		if _, err := d.tw.Apply(kp, cmds...); err != nil {
			t.Fatal(err)
		}
	}
	apply(twin.Creates(append(fixture(), wh)...)...)
	apply(twin.Post{Entry: &twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "scba", Due: twin.NewDate(2027, 6, 1), Serials: []string{"S-1", "S-2"}}})
	apply(twin.Post{Entry: &twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "radio", Due: twin.NewDate(2027, 6, 1), Serials: []string{"R-1"}}})
	d.restart(t) // parkd starts on a file whose warehouse is short
	t.Cleanup(func() { d.stop(t) })

	// What the readiness says it is short of: an enterprise store needs
	// two radios (it has one) and two of each detector and suit it holds
	// none of; its two SCBA sets are its minimum.
	want := map[[2]string]int{}
	for _, r := range d.tw.Snapshot().Readiness(d.clock.Now(), d.tw.Equipment()) {
		for _, s := range r.Short {
			want[[2]string{r.Warehouse, s.Type}] = 1
		}
	}
	if want[[2]string{"WH-01", "radio"}] != 1 || want[[2]string{"WH-01", "scba"}] != 0 {
		t.Fatalf("the readiness's shortages: %v, want radio and not scba", want)
	}
	tick := func() {
		t.Helper()
		d.clock.Advance(2 * time.Second)
		if err := d.m.Tick(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	tick()
	if got := lowStock(d.tw.Snapshot()); !maps.Equal(got, want) {
		t.Fatalf("open low-stock tasks at the start: %v, want one for each shortage %v", got, want)
	}
	tick()
	d.restart(t)
	tick()
	tick()
	if got := lowStock(d.tw.Snapshot()); !maps.Equal(got, want) {
		t.Fatalf("open low-stock tasks after a restart: %v, want still one each %v", got, want)
	}
	if n := d.tw.Snapshot().Len(twin.KindTask); n != len(want) {
		t.Errorf("%d tasks after a restart, want %d", n, len(want))
	}

	// The suits' shortage, seen to by hand (the duty officer has ordered
	// them): not raised again while it stands, nor after a restart.
	var suit string
	for x := range twin.All[*twin.Task](d.tw.Snapshot()) {
		if x.Equipment == "suit-level-a" {
			suit = x.ID
		}
	}
	if suit == "" {
		t.Fatal("no task for the level A suits")
	}
	if _, err := d.m.TaskDone(context.Background(), suit, "duty1"); err != nil {
		t.Fatal(err)
	}
	delete(want, [2]string{"WH-01", "suit-level-a"})
	tick()
	d.restart(t)
	tick()
	if got := lowStock(d.tw.Snapshot()); !maps.Equal(got, want) {
		t.Errorf("open low-stock tasks after one was done by hand and a restart: %v, want %v", got, want)
	}
	if n := d.tw.Snapshot().Len(twin.KindTask); n != len(want)+1 {
		t.Errorf("%d tasks, want %d: the shortage seen to by hand raised another", n, len(want)+1)
	}

	// A second radio comes in: its task is done, by the monitor.
	apply(twin.Post{Entry: &twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "radio", Due: twin.NewDate(2027, 6, 1), Serials: []string{"R-2"}}})
	tick()
	delete(want, [2]string{"WH-01", "radio"})
	if got := lowStock(d.tw.Snapshot()); !maps.Equal(got, want) {
		t.Errorf("open low-stock tasks with the radios back: %v, want %v", got, want)
	}
	for x := range twin.All[*twin.Task](d.tw.Snapshot()) {
		if x.Equipment == "radio" && (!x.Done || x.DoneBy != twin.ActorMonitor) {
			t.Errorf("the radios' task: %+v, want done by %s", x, twin.ActorMonitor)
		}
	}
}
