package web

import "github.com/gofiber/fiber/v2"

// zoneRoutes are the routes of the weather and the consequence zones.
// Anyone who reads the park reads its weather; the override is the
// operations room's.
func (s *Server) zoneRoutes() []route {
	return []route{
		get("/api/v1/weather", readers, s.getWeather),
		{method: fiber.MethodPut, path: "/api/v1/weather", roles: ops, handlers: []fiber.Handler{s.putWeather}},
		{method: fiber.MethodDelete, path: "/api/v1/weather", roles: ops, handlers: []fiber.Handler{s.deleteWeather}},
	}
}
