package telemetry

import (
	"fmt"
	"time"

	"parktwin/twin"
	"parktwin/twin/msg"
)

// stockWatch is what the monitor keeps to raise low-stock tasks: the
// readiness of each warehouse, cached until its stock or the day changes
// (twin.ReadinessCache), and the shortages it saw last.
type stockWatch struct {
	cache *twin.ReadinessCache
	// short is warehouse → type → short at the last look; nil before the
	// first. A shortage standing at the last look with no open task had
	// its task done by hand: it is not raised again until the type is
	// back. At the first look (the monitor's start) every shortage with
	// no open task raises one, so that a warehouse short when parkd
	// starts, or loaded short, has its task — unless the type's latest
	// task was done by hand (not by the monitor, which marks a task done
	// when its type is back): that shortage was seen and is still
	// standing. The open ones a restart finds are kept, not doubled.
	short map[string]map[string]bool
}

// watchStock raises a low-stock task for each warehouse type whose ready
// count is below its tier's minimum and has no open one (at the start
// every such type, afterwards those that fell short since the last
// look), marks done (by the monitor) the open ones whose type is back,
// and raises one reminder for each loan not returned the day after its
// due day. Must be called with m.mu held.
func (m *Monitor) watchStock(snap *twin.Snapshot, now time.Time, ch *changes, next *soonest) {
	w := &m.stock
	if w.cache == nil {
		w.cache = twin.NewReadinessCache(m.tw.Equipment())
	}
	// Open tasks by what they are about: one per warehouse and type, one
	// per loan, ever (a loan's reminder, done, is not raised again).
	open := map[[2]string]*twin.Task{}
	reminded := map[string]bool{}
	first := w.short == nil
	latest := map[[2]string]*twin.Task{} // at the first look: each type's latest task
	for t := range twin.All[*twin.Task](snap) {
		key := [2]string{t.Subject, t.Equipment}
		switch {
		case t.Type == twin.TaskLowStock && !t.Done:
			open[key] = t
		case t.Type == twin.TaskOverdueLoan:
			reminded[t.Subject] = true
		}
		if first && t.Type == twin.TaskLowStock {
			if l := latest[key]; l == nil || t.RaisedAt.After(l.RaisedAt) || (t.RaisedAt.Equal(l.RaisedAt) && t.ID > l.ID) {
				latest[key] = t
			}
		}
	}
	if first {
		w.short = map[string]map[string]bool{}
		for key, t := range latest {
			if t.Done && t.DoneBy != twin.ActorMonitor {
				if w.short[key[0]] == nil {
					w.short[key[0]] = map[string]bool{}
				}
				w.short[key[0]][key[1]] = true
			}
		}
	}
	short := map[string]map[string]bool{}
	for _, r := range w.cache.Readiness(snap, now) {
		short[r.Warehouse] = map[string]bool{}
		for _, tr := range r.Short {
			short[r.Warehouse][tr.Type] = true
			key := [2]string{r.Warehouse, tr.Type}
			if open[key] != nil || w.short[r.Warehouse][tr.Type] {
				continue
			}
			t := task(m.nextID(twin.KindTask), twin.TaskLowStock, r.Warehouse, "", now,
				msg.New("task.lowStock", "warehouse", r.Warehouse, "type", tr.Type, "ready", num(tr.Ready), "unit", tr.Unit,
					"tier", r.Tier.String(), "minimum", num(tr.Minimum), "short", num(tr.Short)))
			t.Equipment = tr.Type
			ch.cmds = append(ch.cmds, twin.Create{Entity: t})
		}
	}
	for key, t := range open {
		if short[key[0]] != nil && !short[key[0]][key[1]] {
			c := *t
			c.Done, c.DoneAt, c.DoneBy = true, now, twin.ActorMonitor
			ch.cmds = append(ch.cmds, twin.Update{Entity: &c})
		}
	}
	w.short = short
	// The day's turn can make a type short (an expiry, an inspection due)
	// or a loan overdue: look again then.
	y, mo, d := now.Date()
	next.at(now, time.Date(y, mo, d+1, 0, 0, 0, 0, now.Location()))

	for l := range twin.All[*twin.Loan](snap) {
		if reminded[l.ID] || !l.Overdue(now) {
			continue
		}
		ch.cmds = append(ch.cmds, twin.Create{Entity: task(m.nextID(twin.KindTask), twin.TaskOverdueLoan, l.ID, "", now,
			msg.New("task.overdueLoan", "loan", l.ID, "quantity", num(l.Quantity-l.Returned), "type", l.Type,
				"warehouse", l.Warehouse, "borrower", l.Borrower, "due", fmt.Sprint(l.Due)))})
	}
}
