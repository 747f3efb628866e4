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
}

type actorKey struct{}

// WithActor returns a context whose commands are made by a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor of a context, if it has one.
func ActorFrom(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	return a, ok
}
