package twin

import (
	"time"

	"parktwin/twin/msg"

	"github.com/paulmach/orb"
)

// TaskType is what a task asks of the park's duty officers.
type TaskType int

// The task types.
const (
	// TaskEscalation: a verification order missed a deadline.
	TaskEscalation TaskType = iota + 1
	// TaskRegrade: a major hazard unit is due for re-grading.
	TaskRegrade
	// TaskOverdueDanger: a hidden danger is past its due date (督办).
	TaskOverdueDanger
	// TaskLowStock: a warehouse's ready count of a type fell below its
	// tier's minimum; done by itself when it is back.
	TaskLowStock
	// TaskOverdueLoan: a loan was not returned by its due day.
	TaskOverdueLoan
)

var taskTypeNames = []string{"", "escalation", "regrade", "overdue-danger", "low-stock", "overdue-loan"}

func (t TaskType) String() string               { return enumString(taskTypeNames, int(t)) }
func (t TaskType) MarshalText() ([]byte, error) { return enumText(taskTypeNames, int(t), "task type") }
func (t *TaskType) UnmarshalText(b []byte) error {
	return enumInto(taskTypeNames, b, "task type", (*int)(t))
}

// Task is something the monitoring raised for people to see to: an
// escalation, a re-grading due, an overdue-danger reminder. It stays open
// until someone marks it done.
type Task struct {
	ID         string   `json:"-"`
	Type       TaskType `json:"type"`
	Subject    string   `json:"subject"`
	Enterprise string   `json:"enterprise,omitempty"`
	Equipment  string   `json:"equipment,omitempty"` // a low-stock task's equipment type
	Reason     string   `json:"reason"`
	// ReasonMsg is Reason as messages (twin/msg), for the console to
	// show in its language; unset on tasks raised before it was kept.
	ReasonMsg []msg.Msg `json:"reasonMsg,omitempty"`
	RaisedAt  time.Time `json:"raisedAt"`
	Done      bool      `json:"done"`
	DoneAt    time.Time `json:"doneAt,omitzero"`
	DoneBy    string    `json:"doneBy,omitempty"`
}

func (t *Task) Kind() Kind             { return KindTask }
func (t *Task) EntityID() string       { return t.ID }
func (t *Task) Geometry() orb.Geometry { return nil }
func (t *Task) setID(id string)        { t.ID = id }
func (t *Task) refs() []ref            { return nil }

func (t *Task) setGeometry(g orb.Geometry) error {
	if g != nil {
		return Invalid("geometry", "a task has no geometry")
	}
	return nil
}

// Validate checks the task's fields.
func (t *Task) Validate() error {
	err := firstErr(validateID(KindTask, t.ID), required("subject", t.Subject), required("reason", t.Reason))
	switch {
	case err != nil:
		return err
	case t.Type == 0:
		return Required("type")
	case t.RaisedAt.IsZero():
		return Required("raisedAt")
	}
	return nil
}
