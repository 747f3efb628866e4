package web

import "github.com/gofiber/fiber/v2"

// zoneRoutes registers the weather and the consequence zones.
func (s *Server) zoneRoutes(api fiber.Router) {
	api.Get("/weather", s.getWeather)
	api.Put("/weather", s.putWeather)
	api.Delete("/weather", s.deleteWeather)
}
