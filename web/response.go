package web

import (
	"bytes"
	"encoding/json"
	"net/http"
)

// securityHeaders are set on every response, public or not, by headers:
// no handler can forget them.
var securityHeaders = map[string]string{
	"X-Content-Type-Options":     "nosniff",
	"X-Frame-Options":            "DENY",
	"Referrer-Policy":            "no-referrer",
	"Content-Security-Policy":    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
	"Cache-Control":              "no-store",
	"Cross-Origin-Opener-Policy": "same-origin",
}

// headers is the response builder's first half: it sets the security
// headers before any handler writes.
func (s *Server) headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for k, v := range securityHeaders {
			h.Set(k, v)
		}
		if s.cfg.SecureCookies {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// json writes v as JSON with status.
func (s *Server) json(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		s.log.Error("encode json", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// html renders the named page template into the layout.
func (s *Server) html(w http.ResponseWriter, r *http.Request, status int, page string, data map[string]any) {
	t, ok := s.tmpl[page]
	if !ok {
		s.serverError(w, r, errNoTemplate(page))
		return
	}
	if data == nil {
		data = map[string]any{}
	}
	if c, ok := fromContext(r.Context()); ok {
		data["Me"] = c.user
		data["CSRF"] = c.session.CSRFToken
		data["Can"] = can(c.user.Role)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// fail answers an error: JSON {error} on the API, a small page elsewhere.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if isAPI(r) {
		s.json(w, status, map[string]string{"error": msg})
		return
	}
	s.html(w, r, status, "error", map[string]any{"Status": status, "Message": msg})
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, http.StatusNotFound, "not found")
}

func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	if isAPI(r) {
		s.json(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	w.Write([]byte("internal error\n"))
}

type errNoTemplate string

func (e errNoTemplate) Error() string { return "no template " + string(e) }
