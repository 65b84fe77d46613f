package web

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/dancu-vn/dancu/web/store"
)

// pages are the page templates; each is parsed with layout.html.
var pages = []string{"login", "conflicts", "conflict", "audit", "error"}

var funcs = template.FuncMap{
	"join":         strings.Join,
	"province":     store.ProvinceName,
	"district":     store.DistrictName,
	"pct":          func(f float64) string { return fmt.Sprintf("%.1f%%", 100*f) },
	"eq2":          func(a, b string) bool { return a == b },
	"statusLabel":  func(s string) string { return strings.ReplaceAll(s, "_", " ") },
	"decisionText": func(s string) string { return strings.ReplaceAll(s, "_", " ") },
	"mergedInto":   mergedInto,
	"eventReason":  eventReason,
	"bornText":     bornText,
}

func parseTemplates() (map[string]*template.Template, error) {
	out := map[string]*template.Template{}
	for _, p := range pages {
		t, err := template.New(p).Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/topbar.html", "templates/"+p+".html")
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", p, err)
		}
		out[p] = t
	}
	return out, nil
}
