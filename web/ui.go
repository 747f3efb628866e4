package web

import (
	"embed"
	"io/fs"

	"github.com/gofiber/fiber/v2"
)

// ui holds the console: plain files, embedded so the binary needs nothing
// beside it and the command centre's closed network is enough.
//
//go:embed ui
var ui embed.FS

func (s *Server) index(c *fiber.Ctx) error {
	b, err := fs.ReadFile(ui, "ui/index.html")
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Send(b)
}
