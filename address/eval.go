package address

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Labelled is one address of an evaluation set with the units it truly
// names. Empty codes are not scored.
type Labelled struct {
	Text, AsOf                      string
	ProvinceCode, DistrictCode      string
	CommuneCode                     string
	NewProvinceCode, NewCommuneCode string
	Note                            string
}

// labelledHeader is the header of a labelled CSV file.
var labelledHeader = []string{"text", "as_of", "province_code", "district_code", "commune_code", "new_province_code", "new_commune_code", "note"}

// ErrLabelled is wrapped by errors about a malformed labelled file.
var ErrLabelled = errors.New("malformed labelled address file")

// ReadLabelled reads a labelled CSV file (header text, as_of,
// province_code, district_code, commune_code, new_province_code,
// new_commune_code, note). Errors name the line and column.
func ReadLabelled(r io.Reader) ([]Labelled, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("read labelled header: %w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimSpace(h)] = i
	}
	for _, h := range labelledHeader[:7] {
		if _, ok := col[h]; !ok {
			return nil, fmt.Errorf("read labelled header: column %q missing: %w", h, ErrLabelled)
		}
	}
	var out []Labelled
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read labelled row: %w", err)
		}
		line, _ := cr.FieldPos(0)
		get := func(h string) string {
			if i, ok := col[h]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		l := Labelled{Text: get("text"), AsOf: get("as_of"), ProvinceCode: get("province_code"), DistrictCode: get("district_code"),
			CommuneCode: get("commune_code"), NewProvinceCode: get("new_province_code"), NewCommuneCode: get("new_commune_code"), Note: get("note")}
		if _, err := time.Parse("2006-01-02", l.AsOf); err != nil {
			return nil, fmt.Errorf("read labelled row: line %d column as_of value %q: %w", line, l.AsOf, ErrLabelled)
		}
		out = append(out, l)
	}
}

// WriteLabelled writes xs as a labelled CSV file.
func WriteLabelled(w io.Writer, xs []Labelled) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(labelledHeader); err != nil {
		return fmt.Errorf("write labelled: %w", err)
	}
	for _, x := range xs {
		if err := cw.Write([]string{x.Text, x.AsOf, x.ProvinceCode, x.DistrictCode, x.CommuneCode, x.NewProvinceCode, x.NewCommuneCode, x.Note}); err != nil {
			return fmt.Errorf("write labelled: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write labelled: %w", err)
	}
	return nil
}

// Level names the five scored units, in Report.Levels order.
var Level = [5]string{"province", "district", "commune", "new_province", "new_commune"}

// Score counts the outcomes at one level.
type Score struct {
	N            int // addresses with a truth at this level
	Right        int // the unit returned is the truth
	InCandidates int // no unit returned, the truth among the candidates
	Wrong        int // a unit returned that is not the truth: a wrong guess
}

// Strict is the share right, ambiguous results counting as wrong.
func (s Score) Strict() float64 { return ratio(s.Right, s.N) }

// Lenient is the share right or with the truth among the candidates.
func (s Score) Lenient() float64 { return ratio(s.Right+s.InCandidates, s.N) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Report is the accuracy of Resolve on a labelled set.
type Report struct {
	N      int
	Levels [5]Score
}

// Evaluate resolves every address of xs at its date and scores each
// level against the truth.
func Evaluate(xs []Labelled) Report {
	var rep Report
	for _, x := range xs {
		asOf, _ := time.Parse("2006-01-02", x.AsOf)
		r := Resolve(x.Text, asOf)
		rep.N++
		truth := [5]string{x.ProvinceCode, x.DistrictCode, x.CommuneCode, x.NewProvinceCode, x.NewCommuneCode}
		got := [5]Unit{r.Province, r.District, r.Commune, r.NewProvince, r.NewCommune}
		for l := range truth {
			if truth[l] == "" {
				continue
			}
			s := &rep.Levels[l]
			s.N++
			switch {
			case got[l].Code == truth[l]:
				s.Right++
			case got[l].Code != "":
				s.Wrong++
			default:
				for _, c := range r.Candidates {
					cu := [5]Unit{c.Province, c.District, c.Commune, c.NewProvince, c.NewCommune}
					if cu[l].Code == truth[l] {
						s.InCandidates++
						break
					}
				}
			}
		}
	}
	return rep
}

// Write prints the report as a table: per level, strict accuracy
// (ambiguous = wrong), lenient accuracy (truth among candidates = right)
// and the share of wrong guesses.
func (r Report) Write(w io.Writer, title string) error {
	if _, err := fmt.Fprintf(w, "%s (%d addresses)\n%-13s %6s %8s %8s %7s\n", title, r.N, "level", "n", "strict", "lenient", "wrong"); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	for l, s := range r.Levels {
		if s.N == 0 {
			continue
		}
		if _, err := fmt.Fprintf(w, "%-13s %6d %7.2f%% %7.2f%% %6.2f%%\n", Level[l], s.N, 100*s.Strict(), 100*s.Lenient(), 100*ratio(s.Wrong, s.N)); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
	}
	return nil
}

// WriteEvaluation evaluates xs and writes the report for the whole set
// and separately for the addresses dated before and after ReformDate.
func WriteEvaluation(w io.Writer, title string, xs []Labelled) error {
	var pre, post []Labelled
	cut := ReformDate.Format("2006-01-02")
	for _, x := range xs {
		if x.AsOf >= cut {
			post = append(post, x)
		} else {
			pre = append(pre, x)
		}
	}
	for _, part := range []struct {
		name string
		xs   []Labelled
	}{{title + ": all", xs}, {title + ": dated before 2025-07-01 (pre-reform text)", pre}, {title + ": dated from 2025-07-01 (new units)", post}} {
		if len(part.xs) == 0 {
			continue
		}
		if err := Evaluate(part.xs).Write(w, part.name); err != nil {
			return err
		}
		if _, err := fmt.Fprintln(w); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
	}
	return nil
}
