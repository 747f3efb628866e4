package telemetry

import (
	"fmt"
	"slices"
	"time"

	"gopkg.in/yaml.v3"
)

// AlarmRules are the figures of alarm management (ISA-18.2, EEMUA 191):
// what counts as a flood, a standing alarm and a chattering one, the
// console's shifts, and the targets the KPIs are held against
// (docs/monitoring-rules.md, "Alarm management").
type AlarmRules struct {
	// Operators is how many operators share the park's alarms at the
	// console; rates are per operator.
	Operators int `yaml:"operators"`
	// Flood: more than Alarms per operator within Window.
	Flood FloodRule `yaml:"flood"`
	// StandingAfter is how long an alarm must stay present to be standing.
	StandingAfter Duration `yaml:"standingAfter"`
	// Chattering: the same sensor and condition raised Raises times within
	// Window.
	Chattering ChatterRule `yaml:"chattering"`
	// Shifts are the console's shifts in Beijing time, in order of start;
	// each lasts until the next one starts.
	Shifts []Shift `yaml:"shifts"`
	// Targets are what the KPI page compares against.
	Targets KPITargets `yaml:"targets"`
}

// FloodRule says when alarms come too fast for an operator.
type FloodRule struct {
	Alarms int      `yaml:"alarms"`
	Window Duration `yaml:"window"`
}

// ChatterRule says when one sensor's condition comes and goes too often.
type ChatterRule struct {
	Raises int      `yaml:"raises"`
	Window Duration `yaml:"window"`
}

// KPITargets are the performance targets of the alarm KPIs.
type KPITargets struct {
	PerOperatorHour    float64 `yaml:"perOperatorHour"`
	PerOperatorHourMax float64 `yaml:"perOperatorHourMax"`
	FloodShare         float64 `yaml:"floodShare"`
}

// Shift is one shift of the duty roster: its name and the time of day
// (Beijing) it starts.
type Shift struct {
	Name  string    `yaml:"name"`
	Start ClockTime `yaml:"start"`
}

// ClockTime is a time of day, "08:00" in the file.
type ClockTime time.Duration

// UnmarshalYAML reads a time of day written "HH:MM".
func (c *ClockTime) UnmarshalYAML(n *yaml.Node) error {
	t, err := time.Parse("15:04", n.Value)
	if err != nil || len(n.Value) != 5 {
		return fmt.Errorf("line %d: %q is not a time of day (like 08:00)", n.Line, n.Value)
	}
	*c = ClockTime(time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute)
	return nil
}

// D returns the time of day as the time since midnight.
func (c ClockTime) D() time.Duration { return time.Duration(c) }

// String writes the time of day as "08:00".
func (c ClockTime) String() string {
	return fmt.Sprintf("%02d:%02d", int(c.D().Hours()), int(c.D().Minutes())%60)
}

// FloodThreshold is how many alarms within the flood window the console's
// operators together can take: more is a flood.
func (r AlarmRules) FloodThreshold() int { return r.Flood.Alarms * r.Operators }

func (r AlarmRules) validate() error {
	const p = "alarmManagement"
	switch {
	case r.Operators < 1:
		return fmt.Errorf("%s.operators: at least 1, got %d", p, r.Operators)
	case r.Flood.Alarms < 1 || r.Flood.Window == 0:
		return fmt.Errorf("%s.flood: alarms (at least 1) and window are required", p)
	case r.StandingAfter == 0:
		return fmt.Errorf("%s.standingAfter: required", p)
	case r.Chattering.Raises < 2 || r.Chattering.Window == 0:
		return fmt.Errorf("%s.chattering: raises (at least 2) and window are required", p)
	case len(r.Shifts) == 0:
		return fmt.Errorf("%s.shifts: at least one shift is required", p)
	case r.Targets.PerOperatorHour <= 0 || r.Targets.PerOperatorHourMax < r.Targets.PerOperatorHour:
		return fmt.Errorf("%s.targets: perOperatorHour above 0 and perOperatorHourMax not below it", p)
	case r.Targets.FloodShare <= 0 || r.Targets.FloodShare >= 1:
		return fmt.Errorf("%s.targets.floodShare: a share above 0 and below 1, got %v", p, r.Targets.FloodShare)
	}
	names := map[string]bool{}
	for i, s := range r.Shifts {
		switch {
		case s.Name == "":
			return fmt.Errorf("%s.shifts[%d].name: required", p, i)
		case names[s.Name]:
			return fmt.Errorf("%s.shifts[%d].name: %q twice", p, i, s.Name)
		case i > 0 && s.Start <= r.Shifts[i-1].Start:
			return fmt.Errorf("%s.shifts[%d].start: shifts in order of start within the day, %s is not after %s",
				p, i, s.Start, r.Shifts[i-1].Start)
		}
		names[s.Name] = true
	}
	return nil
}

// AlarmRules returns the Monitor's alarm-management rules.
func (m *Monitor) AlarmRules() AlarmRules {
	r := m.rules.AlarmManagement
	r.Shifts = slices.Clone(r.Shifts)
	return r
}

// MaxShelve is the longest an alarm may be shelved (rule
// shelving.maxDuration).
func (m *Monitor) MaxShelve() time.Duration { return m.rules.Shelving.MaxDuration.D() }
