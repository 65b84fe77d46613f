package web

import (
	"fmt"
	"html/template"
	"strings"
	"time"

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
	"utc":          utc,
	"plural":       plural,
	"numbers":      numbers,
	"waterfall":    waterfall,
}

// waterfall writes a conflict's explanation for its <pre>, each row's
// quoted values (what follows the running total: `   "Nguyễn" | "Nguyễn"`)
// in a <span class="vals" lang="vi"> (names, places: read as Vietnamese,
// the page being English) the page draws in its sans-serif font. In
// DejaVu Sans Mono, often a Linux desk's only monospace, Chromium drew
// "Nguyễn" as "Nguyêñ" (the tilde of ễ over the n: user31), a wrong
// letter where the reviewer compares names; the columns before the
// values keep the monospace font. Each value is a <span class="v"> the
// page does not break (a line too long breaks at the " | " between
// them, or before them): a level as long as "same without diacritics (no
// term-frequency bonus: no_tf_bonus_when)" pushed the values to the
// right edge at 1280 px, and Chromium broke "2010-12-29" after "2010-12-"
// and a name between its words (user32).
func waterfall(expl string) template.HTML {
	var b strings.Builder
	for i, line := range strings.Split(expl, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		cols, vals, ok := strings.Cut(line, `   "`)
		if !ok {
			b.WriteString(template.HTMLEscapeString(line))
			continue
		}
		b.WriteString(template.HTMLEscapeString(cols))
		b.WriteString(`   <span class="vals" lang="vi">`)
		for j, v := range strings.Split(`"`+vals, ` | `) {
			if j > 0 {
				b.WriteString(` | `)
			}
			b.WriteString(`<span class="v">`)
			b.WriteString(template.HTMLEscapeString(v))
			b.WriteString(`</span>`)
		}
		b.WriteString(`</span>`)
	}
	return template.HTML(b.String())
}

// utc writes t in UTC by layout, saying so ("2026-12-07 16:30 UTC"):
// the conflict page's times were written without a zone, and a reviewer
// in Vietnam (UTC+7) read 16:30 for a decision taken at 23:30 his time
// (user31); the audit log says "(UTC)" in its header.
func utc(t time.Time, layout string) string { return t.UTC().Format(layout) + " UTC" }

// plural writes n and the noun, with an s unless n is 1 ("1 record",
// "4 records").
func plural(n any, noun string) string {
	s := fmt.Sprint(n)
	if s == "1" {
		return s + " " + noun
	}
	return s + " " + noun + "s"
}

// numbers writes a conflict's masked numbers ("0741******66;0741******42"
// for a two_ids) with a line-break opportunity after each ";": unbroken,
// the two numbers made the queue's ID column so wide that a national
// supervisor's queue was wider than a 1280-px window (user31).
func numbers(s string) template.HTML {
	parts := strings.Split(s, ";")
	for i, p := range parts {
		parts[i] = template.HTMLEscapeString(p)
	}
	return template.HTML(strings.Join(parts, ";<wbr>"))
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
