package web

// Rate limits of the edge: readings per gateway, subscribe messages per
// stream client, and close reasons cut to what a close frame holds.

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/time/rate"

	"parktwin/twin"
	"parktwin/twin/msg"
)

// MaxBatchReadings bounds the readings of one batch: a gateway sends a
// second or two of its sensors at a time, a thousand or so; ten times
// that is a gateway gone wrong, and one answer of its refusals must stay
// small.
const MaxBatchReadings = 10_000

// ingestLimits holds each gateway's token bucket of readings, shared by
// every twin of a host: a gateway sending to sandboxes spends the same
// budget. A nil *ingestLimits limits nothing.
type ingestLimits struct {
	rate  rate.Limit
	burst int
	mu    sync.Mutex
	by    map[string]*rate.Limiter // gateway name → its bucket; guarded by mu
}

// newIngestLimits returns the limits for perSecond readings per gateway,
// or nil for none (0). The burst is two seconds' worth and never less
// than a whole batch, so that any batch that may be sent can be taken.
func newIngestLimits(perSecond float64) *ingestLimits {
	if perSecond <= 0 {
		return nil
	}
	burst := max(MaxBatchReadings, int(math.Min(2*perSecond, math.MaxInt32)))
	return &ingestLimits{rate: rate.Limit(perSecond), burst: burst, by: map[string]*rate.Limiter{}}
}

// take spends n readings of gateway's budget, or returns how long until
// it holds them.
func (l *ingestLimits) take(gateway string, n int) (bool, time.Duration) {
	if l == nil || n == 0 {
		return true, 0
	}
	l.mu.Lock()
	lim, ok := l.by[gateway]
	if !ok {
		lim = rate.NewLimiter(l.rate, l.burst)
		l.by[gateway] = lim
	}
	l.mu.Unlock()
	now := time.Now()
	r := lim.ReserveN(now, n)
	if !r.OK() {
		return false, time.Second
	}
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// errTooFast is the refusal of a gateway over its rate, with the seconds
// to wait in Retry-After (and in the message, for the websocket).
func errTooFast(c *fiber.Ctx, wait time.Duration) error {
	secs := strconv.Itoa(int(math.Ceil(wait.Seconds())))
	if c != nil {
		c.Set(fiber.HeaderRetryAfter, secs)
	}
	return fiber.NewError(fiber.StatusTooManyRequests,
		"this gateway sends readings faster than --ingest-rate allows: retry after "+secs+" s")
}

// tooMany refuses a batch of more than MaxBatchReadings.
func tooMany(n int) error {
	return twin.Reasoned(twin.ETOOLARGE, "readings", fmt.Sprintf("%d readings in one batch, at most %d: send them in smaller batches", n, MaxBatchReadings),
		msg.New("error.batchReadings", "n", n, "max", MaxBatchReadings))
}

// Subscribe messages: each asks for a snapshot of its layers, the
// largest thing the server sends, so a client may send a few at once and
// then one a second; past that it is closed (CloseTooFast). 150 KB of
// subscribe and unsubscribe frames once made the server send 275 MB.
const (
	subscribeBurst = 20
	subscribeEvery = time.Second
)

// newSubscribeLimit returns the bucket of one stream client's messages.
func newSubscribeLimit() *rate.Limiter {
	return rate.NewLimiter(rate.Every(subscribeEvery), subscribeBurst)
}

// maxCloseText is the most a close frame's reason may hold: a control
// frame's 125 bytes less the code's two (RFC 6455 §5.5).
const maxCloseText = 123

// closeText cuts s to a close frame's reason, whole characters only: a
// longer one makes the library send no close frame at all. The reason
// must be UTF-8 (RFC 6455 §5.5.1: a client fails the connection on one
// that is not), so bytes that are not become U+FFFD first.
func closeText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= maxCloseText {
		return s
	}
	cut := maxCloseText - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
