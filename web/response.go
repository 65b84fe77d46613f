package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"strings"
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
		if s.secure(r) {
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
	b, err := s.render(r, page, data)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b)
}

// render draws the named page into the layout, with the caller's menus.
func (s *Server) render(r *http.Request, page string, data map[string]any) ([]byte, error) {
	t, ok := s.tmpl[page]
	if !ok {
		return nil, errNoTemplate(page)
	}
	if data == nil {
		data = map[string]any{}
	}
	withCaller(r, data)
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// withCaller adds to data what the top bar draws of the caller signed in
// on r (none outside a session).
func withCaller(r *http.Request, data map[string]any) {
	if c, ok := fromContext(r.Context()); ok {
		data["Me"] = c.user
		data["CSRF"] = c.session.CSRFToken
		data["Can"] = can(c.user.Role)
	}
}

// topbar is the top bar alone, for the pages mounted from other packages
// (AccountBar).
var topbar = template.Must(template.New("topbar").Funcs(funcs).ParseFS(templateFiles, "templates/topbar.html"))

// AccountBar draws the top bar of the desk's pages for the caller signed
// in on r — the pages the role may open, who is signed in, and the
// sign-out form with the session's CSRF token — for a handler mounted
// behind the session middleware (Config.Coverage), so that its pages
// can be left and signed out of as the desk's can. Outside a session it
// is the bar without an account.
func AccountBar(r *http.Request) template.HTML {
	data := map[string]any{}
	withCaller(r, data)
	var buf bytes.Buffer
	if err := topbar.ExecuteTemplate(&buf, "topbar", data); err != nil {
		return "" // a template bug (the page tests draw it); a bytes.Buffer takes any write
	}
	return template.HTML(buf.String())
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

// serverError answers a failure of the server's own (logged, not shown):
// JSON on the API, the error page elsewhere — or plain text if the error
// page itself cannot be drawn (html would come back here).
//
// A request its client gave up on (a browser closed, a login abandoned
// mid-way: the request's context canceled, and the store's query with it)
// is no failure of the server's: logged at debug level (answered as
// any other, though no one reads the answer).
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	if r.Context().Err() != nil && errors.Is(err, context.Canceled) {
		s.log.Debug("request abandoned by the client", "method", r.Method, "path", r.URL.Path, "err", err)
	} else {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if isAPI(r) {
		s.json(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
		return
	}
	if b, err := s.render(r, "error", map[string]any{"Status": http.StatusInternalServerError, "Message": "internal error"}); err == nil {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		w.Write(b)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	w.Write([]byte("internal error\n"))
}

// errorPages gives a handler mounted from another package (the coverage
// pages) the server's form of errors: a refusal it writes as plain text
// (http.Error) on a page route is answered with the error page instead,
// its text the message (404s say "not found", as the server's do). The
// API's answers, and everything not an error in plain text, pass as
// written.
func (s *Server) errorPages(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isAPI(r) {
			next.ServeHTTP(w, r)
			return
		}
		ew := &errorWriter{ResponseWriter: w}
		next.ServeHTTP(ew, r)
		if ew.status == 0 {
			return
		}
		for _, h := range []string{"Content-Type", "Content-Length"} {
			w.Header().Del(h)
		}
		msg := strings.TrimSpace(ew.msg.String())
		if ew.status == http.StatusNotFound {
			msg = "not found"
		}
		s.fail(w, r, ew.status, msg)
	})
}

// errorWriter holds back an error status written with a plain-text body,
// and the body (the first 4 KiB), for errorPages.
type errorWriter struct {
	http.ResponseWriter
	status int // the error held back, 0 when none
	passed bool
	msg    bytes.Buffer
}

func (e *errorWriter) WriteHeader(code int) {
	if !e.passed && e.status == 0 && code >= 400 && strings.HasPrefix(e.Header().Get("Content-Type"), "text/plain") {
		e.status = code
		return
	}
	e.passed = true
	e.ResponseWriter.WriteHeader(code)
}

func (e *errorWriter) Write(b []byte) (int, error) {
	if e.status != 0 {
		e.msg.Write(b[:min(len(b), max(0, 4096-e.msg.Len()))])
		return len(b), nil
	}
	e.passed = true
	return e.ResponseWriter.Write(b)
}

type errNoTemplate string

func (e errNoTemplate) Error() string { return "no template " + string(e) }
