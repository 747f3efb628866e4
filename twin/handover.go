package twin

import (
	"encoding/json"
	"time"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"parktwin/twin/msg"
)

// Limits of a handover (交接班记录).
const (
	// MaxShift is the longest shift a handover covers: the park's duty
	// runs in shifts within its 24-hour watch (值班值守).
	MaxShift = 24 * time.Hour
	// MaxHandoverItems bounds each list of a handover: the first so many,
	// the gravest first; the list's Total counts them all. A restart can
	// leave a thousand comm-lost alarms open, which no officer reads out.
	MaxHandoverItems = 100
)

// Signature is one officer's signature of a handover: the user of the
// command that signed it (never a name typed in), and when.
type Signature struct {
	User string    `json:"user"`
	At   time.Time `json:"at"`
}

// HandoverItem is one line of a handover: an alarm, an incident, an
// order, a hidden danger or a task, what state it is in and what it is
// about.
type HandoverItem struct {
	ID         string    `json:"id"`
	State      string    `json:"state"`
	Type       string    `json:"type,omitempty"` // an incident's, a task's
	Level      string    `json:"level,omitempty"`
	Enterprise string    `json:"enterprise,omitempty"`
	Subject    string    `json:"subject,omitempty"`   // the alarm's subject, the order's alarm, the danger's title…
	Reason     string    `json:"reason,omitempty"`    // a task's
	ReasonMsg  []msg.Msg `json:"reasonMsg,omitempty"` // a task's reason as messages
	At         time.Time `json:"at"`                  // raised, reported, issued, registered
	Due        time.Time `json:"due,omitzero"`        // an order's feedback deadline, a danger's day
	// EnterpriseName and SubjectName are the names of Enterprise and
	// Subject when the record was drafted (absent when they have none):
	// the record reads as the park was.
	EnterpriseName string `json:"enterpriseName,omitempty"`
	SubjectName    string `json:"subjectName,omitempty"`
	// An alarm shelved when the record was drafted: until when, by whom,
	// why (ISA-18.2: the incoming officer must know what is set aside).
	ShelvedUntil time.Time `json:"shelvedUntil,omitzero"`
	ShelvedBy    string    `json:"shelvedBy,omitempty"`
	ShelveReason string    `json:"shelveReason,omitempty"`
}

// HandoverList is a list of a handover: its first MaxHandoverItems
// items and how many there are in all.
type HandoverList struct {
	Total int            `json:"total"`
	Items []HandoverItem `json:"items"`
}

// AlarmTally is what became of the alarms in a shift: raised in it,
// closed in it, and open (not closed) at its end.
type AlarmTally struct {
	Raised int          `json:"raised"`
	Closed int          `json:"closed"`
	Open   HandoverList `json:"open"`
}

// HandoverSummary is what a shift hands on, read from the park when the
// record was drafted.
type HandoverSummary struct {
	Alarms AlarmTally `json:"alarms"`
	// Incidents are those reported in the shift or still open at its end.
	Incidents HandoverList `json:"incidents"`
	Orders    HandoverList `json:"orders"`  // verification orders not closed
	Dangers   HandoverList `json:"dangers"` // hidden dangers not closed
	Tasks     HandoverList `json:"tasks"`   // tasks not done
}

// Handover is a shift handover record (交接班记录): the shift's summary,
// drafted from the park at the end of the shift, the outgoing officer's
// notes, and the two officers' signatures. The outgoing officer signs
// first, then the incoming one, who must be somebody else; signed by
// both, the record never changes again.
type Handover struct {
	ID         string          `json:"-"`
	ShiftStart time.Time       `json:"shiftStart"`
	ShiftEnd   time.Time       `json:"shiftEnd"` // when it was drafted
	Notes      string          `json:"notes"`
	Summary    HandoverSummary `json:"summary"`
	DraftedBy  string          `json:"draftedBy"`
	Outgoing   *Signature      `json:"outgoing,omitempty"`
	Incoming   *Signature      `json:"incoming,omitempty"`
}

func (h *Handover) Kind() Kind             { return KindHandover }
func (h *Handover) EntityID() string       { return h.ID }
func (h *Handover) Geometry() orb.Geometry { return nil }
func (h *Handover) setID(id string)        { h.ID = id }
func (h *Handover) refs() []ref            { return nil }

func (h *Handover) setGeometry(g orb.Geometry) error {
	if g != nil {
		return Invalid("geometry", "a handover has no geometry")
	}
	return nil
}

// Signed reports whether both officers have signed the record.
func (h *Handover) Signed() bool { return h.Outgoing != nil && h.Incoming != nil }

// Validate checks the record's fields.
func (h *Handover) Validate() error {
	err := firstErr(validateID(KindHandover, h.ID), required("draftedBy", h.DraftedBy))
	switch {
	case err != nil:
		return err
	case h.ShiftStart.IsZero():
		return Required("shiftStart")
	case !h.ShiftStart.Before(h.ShiftEnd):
		return Invalid("shiftStart", "a shift starts before it ends (%s)", h.ShiftEnd.Format(time.RFC3339))
	case h.ShiftEnd.Sub(h.ShiftStart) > MaxShift:
		return Invalid("shiftStart", "a shift lasts at most %v", MaxShift)
	case utf8.RuneCountInString(h.Notes) > MaxText:
		return Invalid("notes", "at most %d characters", MaxText)
	case h.Incoming != nil && h.Outgoing == nil:
		return Invalid("incoming", "the outgoing officer signs first")
	case h.Outgoing != nil && (h.Outgoing.User == "" || h.Outgoing.At.IsZero()):
		return Invalid("outgoing", "a signature names its user and time")
	case h.Incoming != nil && (h.Incoming.User == "" || h.Incoming.At.IsZero()):
		return Invalid("incoming", "a signature names its user and time")
	case h.Incoming != nil && h.Incoming.User == h.Outgoing.User:
		return Invalid("incoming", "the incoming officer is not the outgoing one")
	}
	return nil
}

// checkSigned refuses a change of a handover that is signed: by both,
// nothing may change it and it may not be deleted; by the outgoing
// officer, only the incoming signature may be added. next is nil for a
// deletion. Any other entity passes.
func checkSigned(old, next Entity) error {
	h, ok := old.(*Handover)
	if !ok || h.Outgoing == nil {
		return nil
	}
	if h.Signed() {
		return Errorf(ECONFLICT, "id", "handover %s is signed by both officers: it cannot change", h.ID)
	}
	n, ok := next.(*Handover)
	if !ok {
		return Errorf(ECONFLICT, "id", "handover %s is signed by the outgoing officer: it cannot be deleted", h.ID)
	}
	a, b := *h, *n
	a.Incoming, b.Incoming = nil, nil
	ja, err1 := json.Marshal(&a)
	jb, err2 := json.Marshal(&b)
	if err1 != nil || err2 != nil || string(ja) != string(jb) {
		return Errorf(ECONFLICT, "id", "handover %s is signed by the outgoing officer: only the incoming may sign it now", h.ID)
	}
	return nil
}

// DraftHandover drafts the handover of the shift that started at
// ShiftStart and ends now: the twin's writer reads the summary from the
// park as it stands, and the command's actor is the drafter.
type DraftHandover struct {
	ShiftStart time.Time
	Notes      string
}

func (c DraftHandover) apply(tx *txn) error {
	if c.ShiftStart.IsZero() {
		return Required("shiftStart")
	}
	if !c.ShiftStart.Before(tx.now) {
		return Invalid("shiftStart", "the shift must have started (now %s)", tx.now.Format(time.RFC3339))
	}
	s := &Snapshot{st: tx.st}
	h := &Handover{ShiftStart: c.ShiftStart.UTC(), ShiftEnd: tx.now, Notes: c.Notes, DraftedBy: tx.actor.User,
		Summary: s.ShiftSummary(c.ShiftStart, tx.now)}
	if h.DraftedBy == "" {
		h.DraftedBy = ActorUnknown
	}
	return Create{Entity: h}.apply(tx)
}

// SignHandover signs a handover as the command's actor: as the outgoing
// officer, who drafted it, when nobody has signed it yet (another user
// is refused), as the incoming one after. The
// incoming officer must be another user than the outgoing one, and a
// record signed by both is refused.
type SignHandover struct{ ID string }

func (c SignHandover) apply(tx *txn) error {
	en, ok := tx.get(KindHandover, c.ID)
	if !ok {
		return Errorf(ENOTFOUND, "id", "no handover %s", c.ID)
	}
	user := tx.actor.User
	if user == "" || user == ActorUnknown || tx.actor.Role == RoleSystem {
		return Errorf(EFORBIDDEN, "", "a handover is signed by a logged-in officer")
	}
	h := *en.(*Handover)
	sig := &Signature{User: user, At: tx.now}
	switch {
	case h.Signed():
		return Errorf(ECONFLICT, "id", "handover %s is signed by both officers: it cannot change", h.ID)
	case h.Outgoing == nil && h.DraftedBy != "" && h.DraftedBy != ActorUnknown && user != h.DraftedBy:
		// The draft is the outgoing officer's account of the shift:
		// whoever signed first became outgoing, and the drafter could
		// then only sign as incoming.
		return Errorf(EFORBIDDEN, "outgoing", "handover %s is drafted by %s: the outgoing officer signs it first, then the incoming", h.ID, h.DraftedBy)
	case h.Outgoing == nil:
		h.Outgoing = sig
	case h.Outgoing.User == user:
		return Errorf(ECONFLICT, "incoming", "%s signed handover %s as the outgoing officer: the incoming officer signs as another user", user, h.ID)
	default:
		h.Incoming = sig
	}
	return Update{Entity: &h}.apply(tx)
}
