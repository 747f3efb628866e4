package web

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/gofiber/fiber/v2"
	"gopkg.in/yaml.v3"

	"parktwin/twin"
)

// openapiYAML describes every route of the API; openapi_test.go holds it
// to the routes the host registers.
//
//go:embed openapi.yaml
var openapiYAML []byte

// openapiJSON converts the document once; YAML is where it is written,
// JSON what clients fetch.
var openapiJSON = sync.OnceValues(func() ([]byte, error) {
	var doc map[string]any
	if err := yaml.Unmarshal(openapiYAML, &doc); err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	return json.Marshal(doc)
})

// openapi answers GET /api/v1/openapi.json.
func openapi(c *fiber.Ctx) error {
	b, err := openapiJSON()
	if err != nil {
		return twin.Errorf(twin.EINTERNAL, "", "%v", err)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Send(b)
}
