package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"path"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"parktwin/twin"
)

// ui holds the console: plain ES modules, CSS and the vendored map
// library, embedded so the binary needs nothing beside it and the command
// centre's closed network is enough.
//
//go:embed ui
var ui embed.FS

// asset is one embedded file with its checksum, which is its ETag: a
// browser asks again with If-None-Match and gets 304 until the binary
// changes.
type asset struct {
	body []byte
	etag string
	mime string
}

// loadAssets returns every embedded file, read once for the process and
// shared by every instance's server (the map is never changed).
var loadAssets = sync.OnceValue(readAssets)

// readAssets reads every embedded file.
func readAssets() map[string]asset {
	out := map[string]asset{}
	fs.WalkDir(ui, "ui", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(ui, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		typ := mime.TypeByExtension(path.Ext(p))
		if typ == "" {
			typ = "application/octet-stream"
		}
		if strings.HasSuffix(p, ".js") {
			typ = "text/javascript; charset=utf-8" // ES modules need a JavaScript type
		}
		out[strings.TrimPrefix(p, "ui/")] = asset{body: b, etag: `"` + hex.EncodeToString(sum[:8]) + `"`, mime: typ}
		return nil
	})
	return out
}

func (s *Server) index(c *fiber.Ctx) error {
	return s.sendAsset(c, "index.html")
}

// static serves the console's files under /ui/.
func (s *Server) static(c *fiber.Ctx) error {
	return s.sendAsset(c, c.Params("*"))
}

func (s *Server) sendAsset(c *fiber.Ctx, name string) error {
	a, ok := s.assets[name]
	if !ok {
		return twin.Errorf(twin.ENOTFOUND, "", "no file %s", name)
	}
	c.Set(fiber.HeaderETag, a.etag)
	c.Set(fiber.HeaderCacheControl, "no-cache") // revalidate: cheap with the ETag
	if c.Get(fiber.HeaderIfNoneMatch) == a.etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, a.mime)
	return c.Send(a.body)
}
