package scenarios

import (
	"context"
	"fmt"
	"time"

	"parktwin/park"
	"parktwin/twin"
)

// Action is a trainee's request to a drill's park that changed it: an
// alarm acknowledged, an incident reported, a plan confirmed. The drill
// keeps each with the drill time it ran at, so that it can be played
// again from its start to any time (seek back, restart) and come out the
// same. It is a request of the park's HTTP API, relative to the twin's
// API base, which the server that took it knows how to apply again.
type Action struct {
	At     time.Duration `json:"at"` // drill time
	Method string        `json:"method"`
	Path   string        `json:"path"` // "/alarms/ALM-000001/ack"
	Body   []byte        `json:"body,omitempty"`
	// IfMatch is the request's If-Match header, if any: played again
	// on the same park it matches again.
	IfMatch string `json:"ifMatch,omitempty"`
	// Actor is the trainee who made it (user and role), as whom it is
	// played again.
	Actor twin.Actor `json:"actor,omitzero"`
}

func (a Action) String() string { return fmt.Sprintf("%v %s %s", a.At, a.Method, a.Path) }

// Actor applies an action again to a park instance, as the server that
// first took it did; it fails if the park refuses it.
type Actor func(ctx context.Context, inst *park.Instance, a Action) error

// Act runs a trainee's action on the drill's park between two steps of
// its clock, and keeps it at the drill time it ran at when do says it
// changed the park. do is given the park the drill plays on now. An
// action on a stopped drill is refused; the error of keeping the drill
// is returned.
func (d *Drill) Act(do func(inst *park.Instance) (Action, bool)) error {
	d.move.Lock()
	d.mu.Lock()
	p, stopped := d.cur, d.stopped
	d.mu.Unlock()
	if stopped {
		d.move.Unlock()
		return errStopped(d.id)
	}
	at := p.drillTime()
	a, changed := do(p.inst)
	if changed {
		a.At = at
		d.mu.Lock()
		d.actions = append(d.actions, a)
		d.mu.Unlock()
	}
	d.move.Unlock()
	if !changed {
		return nil
	}
	return d.kept()
}

// Actions returns a copy of the trainees' actions kept so far.
func (d *Drill) Actions() []Action {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]Action(nil), d.actions...)
}
