package twin

import "time"

// AuditEntry is one command in the audit trail: who made it, when, from
// where, and what it changed. A store that keeps the trail makes one for
// every command whose events it commits (AuditEntries).
type AuditEntry struct {
	At       time.Time `json:"at"`
	Actor    Actor     `json:"actor"`
	Twin     string    `json:"twin"`
	Exercise bool      `json:"exercise,omitempty"`
	// Action, for what changes no entity of the park but who may do what
	// (users, tokens) or what leaves with the data (a backup), names what
	// was done ("user.create", "token.revoke", "backup"); Subject is the
	// user or token it was done to, Detail the rest (never a password or a
	// token's secret). Empty for commands, so that their entries' bytes,
	// and so their hashes, are as they were.
	Action  string   `json:"action,omitempty"`
	Subject string   `json:"subject,omitempty"`
	Detail  string   `json:"detail,omitempty"`
	Changes []Change `json:"changes"`
}

// Change is one event of an audit entry: what it did to which entity.
// Sum is filled by the store: the SHA-256 of the event as journalled, so
// that the trail vouches for the journal too.
type Change struct {
	Seq  uint64 `json:"seq"`
	Op   Op     `json:"op"`
	Kind Kind   `json:"kind"`
	ID   string `json:"id"`
	Sum  string `json:"sum,omitempty"`
}

// AuditEntries returns the entries of the commands that made events, in
// order: one per command (the events sharing a Cmd). Events made without
// a twin (Cmd 0) are taken as one command per run of the same actor.
func AuditEntries(events []Event) []AuditEntry {
	var out []AuditEntry
	for i, ev := range events {
		if i == 0 || ev.Cmd != events[i-1].Cmd || (ev.Cmd == 0 && ev.Actor != events[i-1].Actor) {
			out = append(out, AuditEntry{At: ev.At, Actor: ev.Actor, Twin: ev.Twin, Exercise: ev.Exercise})
		}
		e := &out[len(out)-1]
		e.Changes = append(e.Changes, Change{Seq: ev.Seq, Op: ev.Op, Kind: ev.Kind, ID: ev.ID})
	}
	return out
}
