package twin

import (
	"time"

	"github.com/paulmach/orb"

	"parktwin/twin/msg"
)

// AlarmLevel is a warning level of the four-colour scheme: red is the
// highest (一级红), then orange, yellow, blue.
type AlarmLevel int

// The levels, highest first.
const (
	Red AlarmLevel = iota + 1
	Orange
	Yellow
	Blue
)

var alarmLevelNames = []string{"", "red", "orange", "yellow", "blue"}

func (l AlarmLevel) String() string { return enumString(alarmLevelNames, int(l)) }
func (l AlarmLevel) MarshalText() ([]byte, error) {
	return enumText(alarmLevelNames, int(l), "alarm level")
}
func (l *AlarmLevel) UnmarshalText(b []byte) error {
	return enumInto(alarmLevelNames, b, "alarm level", (*int)(l))
}

// Raise returns the level one step higher, red staying red.
func (l AlarmLevel) Raise() AlarmLevel { return max(Red, l-1) }

// Condition is what an alarm is about. A sensor has at most one alarm per
// condition open at a time: one condition, one alarm.
type Condition int

// The conditions.
const (
	High Condition = iota + 1
	Low
	RateOfChange
	CommLost
)

var conditionNames = []string{"", "high", "low", "rate", "comm-lost"}

func (c Condition) String() string { return enumString(conditionNames, int(c)) }
func (c Condition) MarshalText() ([]byte, error) {
	return enumText(conditionNames, int(c), "condition")
}
func (c *Condition) UnmarshalText(b []byte) error {
	return enumInto(conditionNames, b, "condition", (*int)(c))
}

// AlarmState is where an alarm stands in its lifecycle:
// active → acknowledged → cleared → closed. An alarm whose condition
// clears before anyone acknowledges it is cleared, and can still be
// acknowledged.
type AlarmState int

// The alarm states.
const (
	AlarmActive AlarmState = iota + 1
	AlarmAcknowledged
	AlarmCleared
	AlarmClosed
)

var alarmStateNames = []string{"", "active", "acknowledged", "cleared", "closed"}

func (s AlarmState) String() string { return enumString(alarmStateNames, int(s)) }
func (s AlarmState) MarshalText() ([]byte, error) {
	return enumText(alarmStateNames, int(s), "alarm state")
}
func (s *AlarmState) UnmarshalText(b []byte) error {
	return enumInto(alarmStateNames, b, "alarm state", (*int)(s))
}

// Closable reports whether an alarm in s may be closed: once its
// condition has cleared, and not twice.
func (s AlarmState) Closable() bool { return s == AlarmCleared }

// AlarmStates lists the alarm states in order.
func AlarmStates() []AlarmState {
	return []AlarmState{AlarmActive, AlarmAcknowledged, AlarmCleared, AlarmClosed}
}

// ParseAlarmState reads an alarm state's name.
func ParseAlarmState(s string) (AlarmState, error) {
	var st AlarmState
	return st, st.UnmarshalText([]byte(s))
}

// Alarm is one condition of one sensor, from when it was raised until the
// duty officer closes it. Limit names the limit crossed ("HH", "H", "L",
// "LL", "rate", "stale") and Threshold its value.
type Alarm struct {
	ID         string     `json:"-"`
	Sensor     string     `json:"sensor"`
	Subject    string     `json:"subject"`
	Enterprise string     `json:"enterprise"`
	Condition  Condition  `json:"condition"`
	Limit      string     `json:"limit"`
	Threshold  float64    `json:"threshold"`
	Value      float64    `json:"value"`
	Level      AlarmLevel `json:"level"`
	State      AlarmState `json:"state"`
	RaisedAt   time.Time  `json:"raisedAt"`
	AckedAt    time.Time  `json:"ackedAt,omitzero"`
	AckedBy    string     `json:"ackedBy,omitempty"`
	ClearedAt  time.Time  `json:"clearedAt,omitzero"`
	ClosedAt   time.Time  `json:"closedAt,omitzero"`
	ClosedBy   string     `json:"closedBy,omitempty"`
	Note       string     `json:"note,omitempty"`
	// NoteMsg is Note as a message when the server wrote it (a
	// comm-lost alarm closing itself); a person's note has none.
	NoteMsg *msg.Msg `json:"noteMsg,omitempty"`
	// A shelved alarm (ISA-18.2) is set aside by the duty officer for a
	// stated time, with a reason; the Monitor brings it back when the time
	// is up. Its state goes on as before.
	ShelvedUntil time.Time `json:"shelvedUntil,omitzero"`
	ShelvedBy    string    `json:"shelvedBy,omitempty"`
	ShelveReason string    `json:"shelveReason,omitempty"`
	// Shelvings is every time the alarm was shelved, oldest first, the
	// current one too: kept after it comes back, for review (ISA-18.2
	// expects shelved alarms to be reviewable).
	Shelvings []Shelving `json:"shelvings,omitempty"`
	Position  orb.Point  `json:"-"`
}

// Shelving is one time an alarm was shelved: by whom, why, and from when
// until when it was set aside.
type Shelving struct {
	By     string    `json:"by"`
	Reason string    `json:"reason"`
	From   time.Time `json:"from"`
	Until  time.Time `json:"until"`
}

// Shelved reports whether the alarm is shelved at now.
func (a *Alarm) Shelved(now time.Time) bool { return now.Before(a.ShelvedUntil) }

func (a *Alarm) Kind() Kind             { return KindAlarm }
func (a *Alarm) EntityID() string       { return a.ID }
func (a *Alarm) Geometry() orb.Geometry { return a.Position }
func (a *Alarm) setID(id string)        { a.ID = id }
func (a *Alarm) refs() []ref            { return nil }

func (a *Alarm) setGeometry(g orb.Geometry) (err error) {
	a.Position, err = wantPoint(g)
	return err
}

// Open reports whether the alarm's condition is still present.
func (a *Alarm) Open() bool { return a.State == AlarmActive || a.State == AlarmAcknowledged }

// Validate checks the alarm's fields.
func (a *Alarm) Validate() error {
	err := firstErr(validateID(KindAlarm, a.ID), required("sensor", a.Sensor), required("limit", a.Limit),
		validPoint("geometry", a.Position))
	switch {
	case err != nil:
		return err
	case a.Condition == 0:
		return Required("condition")
	case a.Level == 0:
		return Required("level")
	case a.State == 0:
		return Required("state")
	case a.RaisedAt.IsZero():
		return Required("raisedAt")
	}
	return nil
}
