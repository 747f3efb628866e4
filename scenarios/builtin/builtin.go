// Package builtin holds the drills that ship with parktwin for the demo
// park, one scenario file each (docs/scenarios.md, "Built-in drills"). It
// only embeds the files; scenarios.Builtin parses them.
package builtin

import (
	"embed"
	"io/fs"
)

//go:embed *.yaml
var files embed.FS

// FS returns the built-in scenario files, each at the root by its name.
func FS() fs.FS { return files }
