package dispatch

import (
	"context"
	"log/slog"
	"time"

	"parktwin/twin"
)

// Run calls Tick every interval of the twin's clock until ctx ends, and
// returns once no Tick is running; interval must be positive. A failed
// Tick is logged to log (nil: nowhere) and tried again at the next
// interval: Tick reads the clock and the state afresh, so nothing that
// fell due is lost, and each change is still stamped with the time it
// fell due. On a SimClock each Tick runs inside Advance at its deadline.
func (d *Desk) Run(ctx context.Context, interval time.Duration, log *slog.Logger) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	twin.Every(ctx, d.tw.Clock(), interval, func(ctx context.Context) {
		if err := d.Tick(ctx); err != nil && ctx.Err() == nil {
			log.Error("dispatch tick", "err", err)
		}
	})
}
