package telemetry

import (
	"bytes"
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"parktwin/twin"
)

// Rules are the park's monitoring rules, read from a YAML file
// (docs/monitoring-rules.md): deadlines of verification orders, history
// retention, and what turns an enterprise's safety code yellow or red.
type Rules struct {
	Orders      map[string]Deadlines `yaml:"orders"`
	History     HistoryRules         `yaml:"history"`
	SafetyCodes CodeRules            `yaml:"safetyCodes"`
	// RegradeAfter is how old a grading may grow before re-grading is due
	// (原安监总局令第40号 Art. 11: every three years).
	RegradeAfter Duration `yaml:"regradeAfter"`
	// CommLost says when silence is judged and how it is reported.
	CommLost CommLostRules `yaml:"commLost"`
	// Shelving bounds how long the duty officer may shelve an alarm.
	Shelving ShelvingRules `yaml:"shelving"`
	// AlarmManagement holds the figures of floods, standing and
	// chattering alarms, shifts and KPI targets (alarmrules.go).
	AlarmManagement AlarmRules `yaml:"alarmManagement"`
}

// ShelvingRules bound shelving: an alarm is set aside for a stated time
// at most MaxDuration, and comes back by itself.
type ShelvingRules struct {
	MaxDuration Duration `yaml:"maxDuration"`
}

// CommLostRules shape the communication-lost alarms
// (docs/monitoring-rules.md, "Communication lost").
type CommLostRules struct {
	// StartupGrace is how long after the Monitor starts no silence is
	// judged: the gateways' time to reconnect after parkd comes back.
	StartupGrace Duration `yaml:"startupGrace"`
	// GatewayShare is the share of an enterprise's sensors that, silent
	// together, make one alarm of its gateway instead of one per sensor.
	GatewayShare float64 `yaml:"gatewayShare"`
	// GatewayMinSensors is the fewest sensors an enterprise needs for its
	// silence to count as its gateway's.
	GatewayMinSensors int `yaml:"gatewayMinSensors"`
	// AutoClose is how long a cleared comm-lost alarm nobody acknowledged
	// stays before the Monitor closes it.
	AutoClose Duration `yaml:"autoClose"`
}

// Deadlines are how long the enterprise has to acknowledge and to answer a
// verification order of one alarm level.
type Deadlines struct {
	Acknowledge Duration `yaml:"acknowledge"`
	Feedback    Duration `yaml:"feedback"`
}

// HistoryRules say how long history is kept and how often it is written.
type HistoryRules struct {
	Retention Duration `yaml:"retention"`
	Flush     Duration `yaml:"flush"`
}

// CodeRules name the conditions that make an enterprise's code red or
// yellow; an enterprise meeting none is green.
type CodeRules struct {
	Red    []string `yaml:"red"`
	Yellow []string `yaml:"yellow"`
}

// The conditions a safety-code rule may name.
const (
	CondRedAlarmOpen    = "red-alarm-open"    // a red alarm not yet closed
	CondRedAlarmOverdue = "red-alarm-overdue" // a red alarm not closed, its order past a deadline unmet
	CondOrangeAlarmOpen = "orange-alarm-open" // an orange alarm not yet closed
	CondEscalationOpen  = "escalation-open"   // an escalation task not done
	CondDangerOverdue   = "danger-overdue"    // a hidden danger past its due date
	CondCommLostOpen    = "comm-lost-open"    // a sensor's communication lost and not restored
	CondOrderUnanswered = "order-unanswered"  // a verification order without feedback
)

var codeConditions = []string{CondRedAlarmOpen, CondRedAlarmOverdue, CondOrangeAlarmOpen,
	CondEscalationOpen, CondDangerOverdue, CondCommLostOpen, CondOrderUnanswered}

// Duration is a time.Duration written as "15m" or "72h" in the file.
type Duration time.Duration

// UnmarshalYAML reads a duration such as "90s", "15m" or "26280h".
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil || v <= 0 {
		return fmt.Errorf("line %d: %q is not a positive duration (like 90s, 15m, 2h)", n.Line, n.Value)
	}
	*d = Duration(v)
	return nil
}

// D returns the duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

//go:embed rules.yaml
var defaultRules []byte

// DefaultRules returns the rules parkd ships with.
func DefaultRules() Rules {
	r, err := ParseRules("rules.yaml", defaultRules)
	if err != nil {
		panic(err) // the embedded file is tested
	}
	return r
}

// ParseRules reads rules from YAML; an error names the file, the line and
// the field.
func ParseRules(name string, b []byte) (Rules, error) {
	var r Rules
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&r); err != nil {
		return r, fmt.Errorf("%s: %w", name, err)
	}
	if err := r.validate(); err != nil {
		return r, fmt.Errorf("%s: %w", name, err)
	}
	return r, nil
}

func (r *Rules) validate() error {
	for _, lvl := range []twin.AlarmLevel{twin.Red, twin.Orange} {
		d, ok := r.Orders[lvl.String()]
		if !ok {
			return fmt.Errorf("orders.%s: the deadlines of %s alarms' orders are required", lvl, lvl)
		}
		if d.Acknowledge == 0 || d.Feedback == 0 {
			return fmt.Errorf("orders.%s: acknowledge and feedback are both required", lvl)
		}
		if d.Feedback < d.Acknowledge {
			return fmt.Errorf("orders.%s.feedback: must not come before acknowledge", lvl)
		}
	}
	for k := range r.Orders {
		if k != "red" && k != "orange" {
			return fmt.Errorf("orders.%s: orders are issued for red and orange alarms only", k)
		}
	}
	if r.History.Retention == 0 || r.History.Flush == 0 {
		return fmt.Errorf("history: retention and flush are required")
	}
	if r.RegradeAfter == 0 {
		return fmt.Errorf("regradeAfter: required")
	}
	for _, list := range []struct {
		name  string
		conds []string
	}{{"red", r.SafetyCodes.Red}, {"yellow", r.SafetyCodes.Yellow}} {
		for i, c := range list.conds {
			if !slices.Contains(codeConditions, c) {
				return fmt.Errorf("safetyCodes.%s[%d]: unknown condition %q (want one of %s)",
					list.name, i, c, strings.Join(codeConditions, ", "))
			}
		}
	}
	c := r.CommLost
	switch {
	case c.StartupGrace == 0 || c.AutoClose == 0:
		return fmt.Errorf("commLost: startupGrace and autoClose are required")
	case !(c.GatewayShare > 0.5 && c.GatewayShare <= 1):
		// At half or less, an enterprise still reporting half its
		// sensors would be taken for a silent gateway, hiding the other
		// half's own alarms.
		return fmt.Errorf("commLost.gatewayShare: a share above 0.5 and at most 1, got %v", c.GatewayShare)
	case c.GatewayMinSensors < 2:
		return fmt.Errorf("commLost.gatewayMinSensors: at least 2, got %d", c.GatewayMinSensors)
	}
	if r.Shelving.MaxDuration == 0 {
		return fmt.Errorf("shelving.maxDuration: required")
	}
	return r.AlarmManagement.validate()
}

// deadlines returns the order deadlines of an alarm level, and whether
// that level gets an order at all.
func (r *Rules) deadlines(l twin.AlarmLevel) (Deadlines, bool) {
	d, ok := r.Orders[l.String()]
	return d, ok
}
