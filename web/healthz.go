package web

import "net/http"

// healthz: GET /healthz → 200 {"status":"ok"} when ClickHouse answers.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if err := s.store.Conn().Ping(r.Context()); err != nil {
		s.json(w, http.StatusServiceUnavailable, map[string]string{"status": "clickhouse unavailable"})
		return
	}
	s.json(w, http.StatusOK, map[string]string{"status": "ok"})
}
