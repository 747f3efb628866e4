package web

import "time"

// ReapAt ends the sandboxes whose time has run out at now, as the host's
// reaper does every minute.
func (h *Host) ReapAt(now time.Time) { h.reapAt(now) }

// SubscribeBurst is how many subscribe messages a stream client may send
// at once.
const SubscribeBurst = subscribeBurst
