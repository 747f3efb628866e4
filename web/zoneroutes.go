package web

import "github.com/gofiber/fiber/v2"

// zoneRoutes are the routes of the weather and the consequence zones.
// Anyone who reads the park reads its weather and an incident's zones;
// the override and the release are the operations room's (a level I or
// II incident's, the commander's).
func (s *Server) zoneRoutes() []route {
	rs := []route{
		get("/api/v1/weather", readers, s.getWeather),
		{method: fiber.MethodPut, path: "/api/v1/weather", roles: ops, handlers: []fiber.Handler{s.putWeather}},
		{method: fiber.MethodDelete, path: "/api/v1/weather", roles: ops, handlers: []fiber.Handler{s.deleteWeather}},
	}
	if s.desk != nil {
		rs = append(rs,
			post("/api/v1/incidents/:id/release", ops, s.setRelease).commandersOnGrave(s),
			get("/api/v1/incidents/:id/zones", readers, s.getZones),
		)
	}
	return rs
}
