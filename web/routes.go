package web

import "parktwin/twin"

// routes registers every route of the server; this is the one list.
func (s *Server) routes() {
	s.app.Get("/healthz", s.health)
	s.app.Get("/", s.index)

	api := s.app.Group("/api/v1")
	api.Get("/park", s.getPark)
	api.Get("/export", s.export)
	for _, k := range twin.Kinds {
		if k == twin.KindPark {
			continue
		}
		p := "/" + k.Path()
		api.Get(p, s.list(k))
		api.Post(p, s.create(k))
		api.Get(p+"/:id", s.get(k))
		api.Patch(p+"/:id", s.patch(k))
		api.Delete(p+"/:id", s.remove(k))
	}
}
