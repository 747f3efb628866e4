package auth

import "slices"

// Via says how a request proved who it is.
type Via uint8

// The ways in.
const (
	ViaSession  Via = iota + 1 // the console's cookie
	ViaToken                   // an API client's bearer token
	ViaGateway                 // a gateway's token from the tokens file
	ViaInternal                // the server itself: a drill's kept action played again
)

// Identity is who a request acts as.
type Identity struct {
	User string // a user's, a token's or a gateway's name
	Role Role
	// Enterprise narrows an enterprise user or token to its enterprise.
	Enterprise string
	// Warehouses narrow a keeper to its warehouses.
	Warehouses []string
	// Enterprises and Sensors narrow a gateway to the readings it may
	// send: of these enterprises' sensors, or of these sensors. Both
	// empty: any sensor.
	Enterprises, Sensors []string
	Via                  Via
	// CSRF is the session's token, which a change made with its cookie
	// must carry.
	CSRF string
	// cred names the session ("s" and its ID) or issued token ("t" and
	// its hash) the identity was made from, for OnEnd; "" for others.
	cred string
}

// Keeps reports whether a keeper's identity keeps warehouse id.
func (id Identity) Keeps(warehouse string) bool { return slices.Contains(id.Warehouses, warehouse) }

// MayWrite reports whether a gateway may send readings of sensor, whose
// enterprise is ent.
func (id Identity) MayWrite(sensor, ent string) bool {
	if len(id.Sensors) == 0 && len(id.Enterprises) == 0 {
		return true
	}
	return slices.Contains(id.Sensors, sensor) || ent != "" && slices.Contains(id.Enterprises, ent)
}
