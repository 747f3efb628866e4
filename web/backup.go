package web

import (
	"bufio"

	"github.com/gofiber/fiber/v2"

	"parktwin/twin"
)

// backup answers POST /api/v1/admin/backup with a consistent copy of the
// live park's database, streamed as it is read (bbolt's hot copy: one read
// transaction, commits go on). The copy is whole only if the stream ends
// cleanly: parkd backup verifies what it got before keeping it.
func (h *Host) backup(c *fiber.Ctx) error {
	if h.cfg.Store == nil {
		return twin.Errorf(twin.ENOTFOUND, "", "this server keeps no database to copy")
	}
	c.Set(fiber.HeaderContentType, "application/octet-stream")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="parktwin-backup.db"`)
	src := h.cfg.Store
	// Recorded when asked: the copy holds every user's hash and token's
	// digest, so who took one matters even if the stream breaks.
	h.recordAction(c, "backup", "", "")
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		n, err := src.WriteTo(w)
		if err == nil {
			err = w.Flush()
		}
		if err != nil {
			h.log.Error("backup", "err", err, "bytes", n)
			return
		}
		h.log.Info("backup sent", "bytes", n)
	})
	return nil
}
