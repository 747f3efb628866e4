package scenarios

import (
	"fmt"

	"parktwin/scenarios/report"
)

// Report returns the replay's after-action report (复盘报告): what happened
// in the whole window — the alarms, orders, incidents, plans and units'
// movements made in it, with the units' response segments and the map —
// wherever the replay stands. Drill time counts from the window's start;
// a replay has no expectations.
func (r *Replay) Report() *report.Report {
	w, st := r.w, r.State()
	from, to := w.from.In(beijing).Format("2006-01-02 15:04"), w.to.In(beijing).Format("2006-01-02 15:04")
	rep := &report.Report{Kind: "replay", ID: r.id,
		Title: report.Text{Zh: fmt.Sprintf("复盘 %s 至 %s", from, to), En: fmt.Sprintf("Replay of %s to %s", from, to)},
		Start: w.from.In(beijing), Elapsed: report.Of(st.Time.Sub(w.from)), Duration: report.Of(w.to.Sub(w.from)),
		State: st.State}
	reading{s: w.end, origin: w.start, desk: r.inst.Desk(), start: w.from}.fill(rep)
	return rep
}
