package web

import (
	"fmt"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"parktwin/twin"
	"parktwin/twin/telemetry"
)

// The alarm-management routes: the rules the console needs to see a flood
// (GET /api/v1/alarm-rules), and the alarm KPIs per day or shift with the
// review lists (GET /api/v1/alarm-kpis), as JSON, CSV or a workbook.

// maxKPIRange is the longest range one request may ask for: a quarter.
const maxKPIRange = 92 * 24 * time.Hour

// alarmRulesJSON is the alarm-management rules as the console reads
// them: durations in seconds, times of day as "08:00".
type alarmRulesJSON struct {
	Operators      int     `json:"operators"`
	FloodAlarms    int     `json:"floodAlarms"`    // per operator
	FloodThreshold int     `json:"floodThreshold"` // all operators: more is a flood
	FloodWindowS   float64 `json:"floodWindowS"`
	StandingAfterS float64 `json:"standingAfterS"`
	ChatterRaises  int     `json:"chatterRaises"`
	ChatterWindowS float64 `json:"chatterWindowS"`
	Shifts         []struct {
		Name  string `json:"name"`
		Start string `json:"start"`
	} `json:"shifts"`
	Targets struct {
		PerOperatorHour    float64 `json:"perOperatorHour"`
		PerOperatorHourMax float64 `json:"perOperatorHourMax"`
		FloodShare         float64 `json:"floodShare"`
	} `json:"targets"`
	MaxShelveS float64 `json:"maxShelveS"`
}

func (s *Server) alarmRulesJSON() alarmRulesJSON {
	r := s.mon.AlarmRules()
	out := alarmRulesJSON{
		Operators: r.Operators, FloodAlarms: r.Flood.Alarms, FloodThreshold: r.FloodThreshold(),
		FloodWindowS: r.Flood.Window.D().Seconds(), StandingAfterS: r.StandingAfter.D().Seconds(),
		ChatterRaises: r.Chattering.Raises, ChatterWindowS: r.Chattering.Window.D().Seconds(),
		MaxShelveS: s.mon.MaxShelve().Seconds(),
	}
	for _, sh := range r.Shifts {
		out.Shifts = append(out.Shifts, struct {
			Name  string `json:"name"`
			Start string `json:"start"`
		}{sh.Name, sh.Start.String()})
	}
	out.Targets.PerOperatorHour = r.Targets.PerOperatorHour
	out.Targets.PerOperatorHourMax = r.Targets.PerOperatorHourMax
	out.Targets.FloodShare = r.Targets.FloodShare
	return out
}

func (s *Server) alarmRules(c *fiber.Ctx) error { return c.JSON(s.alarmRulesJSON()) }

// standingJSON is an alarm standing at the range's end.
type standingJSON struct {
	ID         string          `json:"id"`
	Sensor     string          `json:"sensor"`
	Subject    string          `json:"subject,omitempty"`
	Enterprise string          `json:"enterprise,omitempty"`
	Condition  twin.Condition  `json:"condition"`
	Level      twin.AlarmLevel `json:"level"`
	State      twin.AlarmState `json:"state"`
	RaisedAt   time.Time       `json:"raisedAt"`
	ForS       float64         `json:"forS"` // how long it had been present at the range's end
}

// alarmKPIs answers GET /api/v1/alarm-kpis?from=&to=&by=day|shift
// [&format=csv|xlsx]: to defaults to now, from to the start of the
// Beijing day six days before to (a week).
func (s *Server) alarmKPIs(c *fiber.Ctx) error {
	now := s.twin.Clock().Now()
	to, err := timeParam(c, "to", now)
	if err != nil {
		return err
	}
	l := to.In(beijingZone)
	from, err := timeParam(c, "from", time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, beijingZone).AddDate(0, 0, -6))
	if err != nil {
		return err
	}
	by := c.Query("by", telemetry.ByDay)
	switch {
	case by != telemetry.ByDay && by != telemetry.ByShift:
		return twin.Invalid("by", "%q: want day or shift", by)
	case !from.Before(to):
		return twin.NotBefore("from", from.Format(time.RFC3339), to.Format(time.RFC3339),
			fmt.Sprintf("from (%s) must come before to (%s)", from.Format(time.RFC3339), to.Format(time.RFC3339)))
	case to.Sub(from) > maxKPIRange:
		return twin.SpanTooLong("to", to.Sub(from).String(), maxKPIRange.String(),
			fmt.Sprintf("at most %d days in one request, asked for %.1f", int(maxKPIRange.Hours()/24), to.Sub(from).Hours()/24))
	}
	if f := c.Query("format"); f != "" && f != "csv" && f != "xlsx" {
		return twin.Invalid("format", "%q: want csv or xlsx (or none, for JSON)", f)
	}
	snap := s.twin.Snapshot()
	rep := alarmReport(twin.All[*twin.Alarm](snap), s.mon.AlarmRules(), from.UTC(), to.UTC(), by)
	name := fmt.Sprintf("alarm-kpis-%s-%s-%s", by, from.In(beijingZone).Format("20060102"), to.In(beijingZone).Format("20060102"))
	if done, err := sendTable(c, name, kpiRows(rep), 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 16); done {
		return err
	}
	standing := make([]standingJSON, 0, len(rep.Standing))
	for _, a := range rep.Standing {
		standing = append(standing, standingJSON{ID: a.ID, Sensor: a.Sensor, Subject: a.Subject, Enterprise: a.Enterprise,
			Condition: a.Condition, Level: a.Level, State: a.State, RaisedAt: a.RaisedAt, ForS: to.Sub(a.RaisedAt).Seconds()})
	}
	names := map[string]string{}
	nameAll := func(ids ...string) {
		for _, id := range ids {
			if _, ok := names[id]; !ok && id != "" {
				names[id] = entityName(snap, id)
			}
		}
	}
	for _, b := range rep.Total.BadActors {
		nameAll(b.Sensor, b.Subject, b.Enterprise)
	}
	for _, a := range standing {
		nameAll(a.Sensor, a.Subject, a.Enterprise)
	}
	for _, ch := range rep.Chattering {
		nameAll(ch.Sensor, ch.Subject, ch.Enterprise)
	}
	for _, sh := range rep.Total.Shelvings {
		nameAll(sh.Sensor, sh.Subject, sh.Enterprise)
	}
	setSeq(c, snap.Seq())
	return c.JSON(fiber.Map{
		"from": rep.From, "to": rep.To, "by": rep.By, "rules": s.alarmRulesJSON(), "names": names,
		"periods": nonNil(rep.Periods), "total": rep.Total, "floods": nonNil(rep.Floods),
		"standing": standing, "chattering": nonNil(rep.Chattering),
	})
}

// entityName is the name of the entity id, or "" when it has none.
func entityName(snap *twin.Snapshot, id string) string { return snap.NameOf(id) }

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

// kpiRows is the export: one row per period and a total, the columns
// named in Chinese and English.
func kpiRows(rep telemetry.AlarmReport) [][]string {
	rows := [][]string{{"日期 Day", "班次 Shift", "起 From", "止 To", "报警数 Alarms", "每操作员小时报警 Alarms/operator-hour",
		"常驻报警 Standing", "振荡报警 Chattering", "已确认 Acknowledged", "确认时间中位数(秒) Ack median (s)",
		"确认时间P90(秒) Ack p90 (s)", "泛滥时长(秒) Flood (s)", "泛滥时间占比 Flood share", "前十占比 Top-10 share",
		"前十报警源 Top 10 bad actors", "搁置报警 Alarms shelved", "搁置时长(秒) Shelved (s)",
		"搁置记录 Shelvings"}}
	opt := func(v *float64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', -1, 64)
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	row := func(p telemetry.AlarmKPI, day, shift string) []string {
		var actors []string
		for _, b := range p.BadActors {
			actors = append(actors, fmt.Sprintf("%s/%s×%d", b.Sensor, b.Condition, b.Alarms))
		}
		var shelvings []string
		for _, s := range p.Shelvings {
			shelvings = append(shelvings, fmt.Sprintf("%s %s %s %s–%s %s", s.Alarm, s.Sensor, s.By,
				s.From.In(beijingZone).Format("2006-01-02 15:04"), s.Until.In(beijingZone).Format("2006-01-02 15:04"), s.Reason))
		}
		return []string{day, shift, p.From.In(beijingZone).Format("2006-01-02 15:04"), p.To.In(beijingZone).Format("2006-01-02 15:04"),
			strconv.Itoa(p.Alarms), f(p.PerOperatorHour), strconv.Itoa(p.Standing), strconv.Itoa(p.Chattering),
			strconv.Itoa(p.Acked), opt(p.AckMedianS), opt(p.AckP90S), f(p.FloodS), f(p.FloodShare), f(p.TopShare),
			strings.Join(actors, "; "), strconv.Itoa(p.Shelved), f(p.ShelvedS), strings.Join(shelvings, "; ")}
	}
	for _, p := range rep.Periods {
		rows = append(rows, row(p, p.Day, p.Shift))
	}
	return append(rows, row(rep.Total, "合计 Total", ""))
}

// alarmReport computes the alarm KPIs of [from, to) from the alarms that
// can change them, not the park's whole history: those raised in the
// range or within the longest window before it (a flood's, a chatter's,
// which look back that far), those still present then (standing), and
// those shelved at some time in the range.
// A flood that the cut may have shortened — one that begins within a
// flood window of the cut — is computed again from every alarm, so the
// report is the one the whole history gives.
func alarmReport(history iter.Seq[*twin.Alarm], r telemetry.AlarmRules, from, to time.Time, by string) telemetry.AlarmReport {
	back := max(r.Flood.Window.D(), r.Chattering.Window.D())
	cut := from.Add(-back)
	var alarms, all []*twin.Alarm
	for a := range history {
		if !a.RaisedAt.Before(to) {
			continue
		}
		all = append(all, a)
		if !a.RaisedAt.Before(cut) || presentAfter(a, cut) || shelvedAfter(a, from) {
			alarms = append(alarms, a)
		}
	}
	if len(alarms) == len(all) {
		return telemetry.AlarmKPIs(all, r, from, to, by)
	}
	rep := telemetry.AlarmKPIs(alarms, r, from, to, by)
	for _, f := range rep.Floods {
		if f.From.Before(cut.Add(r.Flood.Window.D())) {
			return telemetry.AlarmKPIs(all, r, from, to, by)
		}
	}
	return rep
}

// presentAfter reports whether a was present (neither cleared nor
// closed) at some time after t.
func presentAfter(a *twin.Alarm, t time.Time) bool {
	for _, end := range []time.Time{a.ClearedAt, a.ClosedAt} {
		if !end.IsZero() && !end.After(t) {
			return false
		}
	}
	return true
}

// shelvedAfter reports whether a was shelved at some time after t.
func shelvedAfter(a *twin.Alarm, t time.Time) bool {
	for _, s := range a.Shelvings {
		if s.Until.After(t) {
			return true
		}
	}
	return false
}
