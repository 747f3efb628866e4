package twin

import (
	"slices"
	"time"

	"github.com/paulmach/orb"
)

// OrderState is where a verification order (派单核查) stands:
// issued → acknowledged → answered (feedback given) → closed, or returned
// by the park for better feedback and answered again.
type OrderState int

// The order states.
const (
	OrderIssued OrderState = iota + 1
	OrderAcknowledged
	OrderAnswered
	OrderReturned
	OrderClosed
)

var orderStateNames = []string{"", "issued", "acknowledged", "answered", "returned", "closed"}

func (s OrderState) String() string { return enumString(orderStateNames, int(s)) }
func (s OrderState) MarshalText() ([]byte, error) {
	return enumText(orderStateNames, int(s), "order state")
}
func (s *OrderState) UnmarshalText(b []byte) error {
	return enumInto(orderStateNames, b, "order state", (*int)(s))
}

// The actions on a verification order, named as their routes name them.
const (
	OrderAck      = "ack"      // the enterprise's duty person takes it
	OrderFeedback = "feedback" // the enterprise answers: cause and action
	OrderClose    = "close"    // the park accepts the answer
	OrderReturn   = "return"   // the park sends the answer back
)

// OrderActions lists the actions on an order in the order they come.
var OrderActions = []string{OrderAck, OrderFeedback, OrderClose, OrderReturn}

// orderFrom is, for each action, the states an order may be in for it.
var orderFrom = map[string][]OrderState{
	OrderAck:      {OrderIssued},
	OrderFeedback: {OrderIssued, OrderAcknowledged, OrderReturned},
	OrderClose:    {OrderAnswered},
	OrderReturn:   {OrderAnswered},
}

// Allows reports whether an order in s may take the action.
func (s OrderState) Allows(action string) bool {
	return slices.Contains(orderFrom[action], s)
}

// OrderStates lists the order states in order.
func OrderStates() []OrderState {
	return []OrderState{OrderIssued, OrderAcknowledged, OrderAnswered, OrderReturned, OrderClosed}
}

// Feedback is the enterprise's answer to a verification order.
type Feedback struct {
	Cause  string    `json:"cause"`
	Action string    `json:"action"`
	Note   string    `json:"note,omitempty"`
	By     string    `json:"by,omitempty"`
	At     time.Time `json:"at"`
}

// Order is a verification order: a red or orange alarm pushed to the
// enterprise's duty person, who must acknowledge it by AckDeadline and
// answer by FeedbackDeadline; the park's duty officer closes it or sends
// it back. A deadline missed is escalated once (AckEscalated,
// FeedbackEscalated) with a task.
type Order struct {
	ID                string     `json:"-"`
	Alarm             string     `json:"alarm"`
	Enterprise        string     `json:"enterprise"`
	DutyPhone         string     `json:"dutyPhone,omitempty"`
	Level             AlarmLevel `json:"level"`
	State             OrderState `json:"state"`
	IssuedAt          time.Time  `json:"issuedAt"`
	AckDeadline       time.Time  `json:"ackDeadline"`
	FeedbackDeadline  time.Time  `json:"feedbackDeadline"`
	AckedAt           time.Time  `json:"ackedAt,omitzero"`
	AckedBy           string     `json:"ackedBy,omitempty"`
	Feedback          *Feedback  `json:"feedback,omitempty"`
	ReturnNote        string     `json:"returnNote,omitempty"`
	ClosedAt          time.Time  `json:"closedAt,omitzero"`
	ClosedBy          string     `json:"closedBy,omitempty"`
	AckEscalated      bool       `json:"ackEscalated"`
	FeedbackEscalated bool       `json:"feedbackEscalated"`
}

func (o *Order) Kind() Kind             { return KindOrder }
func (o *Order) EntityID() string       { return o.ID }
func (o *Order) Geometry() orb.Geometry { return nil }
func (o *Order) setID(id string)        { o.ID = id }
func (o *Order) refs() []ref            { return nil }

func (o *Order) setGeometry(g orb.Geometry) error {
	if g != nil {
		return Invalid("geometry", "an order has no geometry")
	}
	return nil
}

// Validate checks the order's fields.
func (o *Order) Validate() error {
	err := firstErr(validateID(KindOrder, o.ID), required("alarm", o.Alarm), required("enterprise", o.Enterprise))
	switch {
	case err != nil:
		return err
	case o.Level == 0:
		return Required("level")
	case o.State == 0:
		return Required("state")
	case o.AckDeadline.Before(o.IssuedAt) || o.FeedbackDeadline.Before(o.AckDeadline):
		return Invalid("feedbackDeadline", "deadlines must follow the issue and each other")
	case o.Feedback != nil && (o.Feedback.Cause == "" || o.Feedback.Action == ""):
		return Invalid("feedback", "feedback names a cause and the action taken")
	}
	return nil
}
