package web

// opsRoutes registers what operators use beside the park's API: the
// database's hot copy.
func (h *Host) opsRoutes() {
	h.app.Post("/api/v1/admin/backup", h.backup)
}
