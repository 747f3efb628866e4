package web

// opsRoutes registers what operators use beside the park's API: the
// metrics, the API's description, the database's hot copy.
func (h *Host) opsRoutes() {
	h.app.Get("/metrics", h.metrics.handler())
	h.app.Get("/api/v1/openapi.json", openapi)
	h.app.Post("/api/v1/admin/backup", h.backup)
}
