package twin

import "context"

// Actor is who made a change: the user (or API client, or gateway) the
// request was authenticated as, the role it acted in, the address it came
// from and the route it came through. Commands take it from their
// context (WithActor), so that every change of the park can be traced to
// someone.
type Actor struct {
	User  string `json:"user"`
	Role  string `json:"role,omitempty"`
	Addr  string `json:"addr,omitempty"`
	Route string `json:"route,omitempty"` // "POST /api/v1/incidents/{id}/confirm"
	// Via is, for a change the system made on its own (an alarm raised),
	// the user whose request woke it (the gateway whose reading crossed
	// the limit), empty when it was time alone.
	Via string `json:"via,omitempty"`
}

// The system's actors: the parts of parkd that change the park on their
// own. Each change they make carries one of these as its user, with the
// role RoleSystem.
const (
	ActorMonitor   = "system:monitor"   // alarms, orders, gradings, tasks, codes
	ActorDesk      = "system:desk"      // units moving along their timelines
	ActorSimulator = "system:simulator" // simulated readings (through the monitor)
	ActorSeed      = "system:seed"      // the demo park loaded into an empty file
	ActorDrill     = "system:drill"     // a drill's injects and its starting park
	ActorReplay    = "system:replay"    // a replay moving its read-only twin
	ActorMigration = "system:migration" // a file written by an older parkd brought up to date
	// ActorUnknown is the user of a change whose context carried no
	// actor: it is recorded all the same (refusing it would break
	// callers that predate actors), and a test finds such callers.
	ActorUnknown = "unknown"
	RoleSystem   = "system"
)

type actorKey struct{}

// WithActor returns a context whose commands are made by a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// WithActorCell returns a context whose actor is what *a holds when it
// is asked: for a server's request middleware, which makes one cell a
// request and fills in who the caller is once it knows, before any
// handler has the context, instead of wrapping the context again. Once
// the context is handed to other code, *a must not change.
func WithActorCell(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorCell returns the cell of ctx's actor, if its actor was set by
// WithActorCell and not by a WithActor since.
func ActorCell(ctx context.Context) (*Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(*Actor)
	return a, ok
}

// ActorFrom returns the actor of a context, if it has one.
func ActorFrom(ctx context.Context) (Actor, bool) {
	switch a := ctx.Value(actorKey{}).(type) {
	case Actor:
		return a, true
	case *Actor:
		return *a, true
	}
	return Actor{}, false
}

// AsSystem returns a context whose commands are made by the system actor
// user (ActorMonitor, …), on behalf of whoever ctx's actor is: its user
// becomes Via, its address and route are kept.
func AsSystem(ctx context.Context, user string) context.Context {
	a := Actor{User: user, Role: RoleSystem}
	if from, ok := ActorFrom(ctx); ok && from.User != user {
		a.Via, a.Addr, a.Route = from.User, from.Addr, from.Route
		if from.Role == RoleSystem && from.Via != "" {
			a.Via = from.Via
		}
	}
	return WithActor(ctx, a)
}

// actorOf returns the actor of a command's context, ActorUnknown when
// it has none.
func actorOf(ctx context.Context) Actor {
	if a, ok := ActorFrom(ctx); ok && a.User != "" {
		return a
	}
	return Actor{User: ActorUnknown}
}
