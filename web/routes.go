package web

import (
	"github.com/gofiber/contrib/websocket"
	"github.com/gofiber/fiber/v2"

	"parktwin/twin"
)

// routes registers every route of the server; this is the one list.
func (s *Server) routes() {
	s.app.Get("/healthz", s.health)
	s.app.Get("/", s.index)
	s.app.Get("/ui/*", s.static)

	api := s.app.Group("/api/v1")
	api.Get("/park", s.getPark)
	api.Get("/export", s.export)
	api.Get("/stats", s.stats)
	if s.audit != nil {
		api.Get("/audit", s.getAudit) // audit.go
	}
	api.Get("/stream", s.streamCheck, websocket.New(s.stream))
	s.modelRoutes(api) // consequence models: models.go
	s.zoneRoutes(api)  // weather and consequence zones: zoneroutes.go

	// Monitoring: readings from gateways, alarms, the closed loop; a
	// server without a Monitor serves the park alone.
	if s.mon != nil {
		s.monitoringRoutes(api)
	}
	// Incidents and their plans.
	if s.desk != nil {
		api.Post("/incidents", s.reportIncident)
		api.Post("/incidents/:id/plan", s.planIncident)
		api.Post("/incidents/:id/confirm", s.confirmIncident)
		api.Post("/incidents/:id/state", s.incidentState)
		api.Post("/incidents/:id/cancel", s.cancelIncident)
		api.Post("/incidents/:id/evacuate", s.evacuate)
		api.Get("/response-times", s.responseTimes)
	}

	// The collections: every kind can be read; kinds kept by hand can be
	// created, patched and deleted.
	for _, k := range twin.Kinds {
		if k == twin.KindPark {
			continue
		}
		p := "/" + k.Path()
		api.Get(p, s.list(k))
		api.Get(p+"/:id", s.get(k))
		if k.Managed() {
			continue
		}
		api.Post(p, s.create(k))
		api.Patch(p+"/:id", s.patch(k))
		api.Put(p+"/:id", s.replace(k))
		api.Delete(p+"/:id", s.remove(k))
	}
}

func (s *Server) monitoringRoutes(api fiber.Router) {
	api.Post("/telemetry", s.gateway, s.ingest)
	api.Get("/telemetry/ws", s.gateway, s.upgrade, websocket.New(s.ingestStream))
	api.Get("/sensors/:id/history", s.history)
	api.Post("/alarms/:id/ack", s.ackAlarm)
	api.Post("/alarms/:id/close", s.closeAlarm)
	api.Post("/orders/:id/ack", s.ackOrder)
	api.Post("/orders/:id/feedback", s.answerOrder)
	api.Post("/orders/:id/close", s.closeOrder)
	api.Post("/orders/:id/return", s.returnOrder)
	api.Post("/hidden-dangers", s.registerDanger)
	api.Post("/hidden-dangers/:id/state", s.moveDanger)
	api.Post("/tasks/:id/done", s.taskDone)
	api.Get("/hazard-units/:id/grading", s.grading)
}
