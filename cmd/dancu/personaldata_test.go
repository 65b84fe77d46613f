package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/internal/synth"
)

// TestOutputsHoldNoPersonalData runs the commands that need no broker on
// a generated population — import (dry run, strict, report) on its lists,
// its forms and a list with broken rows, link (also --analyse-blocking),
// train, eval and explain — and reads everything they print, and the
// import's report, for the generated persons' full names and whole 12- or
// 9-digit numbers (the truth: persons.csv and the lists). None may be
// there; the broken rows' errors must still name row and column. (user15's
// data-protection audit did this by hand on every command; this keeps the
// commands that run without a broker honest.)
func TestOutputsHoldNoPersonalData(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Generate(context.Background(), synth.Config{Persons: 300, Seed: 15, OutDir: dir,
		Formats: []string{"csv", "jsonl"}, ConflictRate: 0.05}); err != nil {
		t.Fatal(err)
	}
	lists := []string{filepath.Join(dir, "danhsach_20240501.csv"), filepath.Join(dir, "danhsach_20251001.csv")}
	secrets := personalData(t, append([]string{filepath.Join(dir, "persons.csv")}, lists...))
	if got := secrets.in(readFile(t, lists[0])); len(got) < 100 {
		t.Fatalf("the check finds %d names and numbers in a list itself: it would find no leak", len(got))
	}

	// A list with broken rows: each breaks one field of a row.
	rows := readCSVFile(t, lists[0])
	col := func(name string) int { return colOf(t, rows[0], name) }
	rows[2][col("Ngày sinh")] = "31/02/1990"
	rows[3][col("Số định danh cá nhân")] = rows[3][col("Số định danh cá nhân")][:11]
	rows[4][col("Số định danh cá nhân")] = "999" + rows[4][col("Số định danh cá nhân")][3:]
	rows[5][col("Họ và tên")] = ""
	rows[6][col("Số CMND")] = "12345"
	broken := filepath.Join(t.TempDir(), "danhsach_loi_20240501.csv")
	writeCSVFile(t, broken, rows[:40])

	in := []string{"--in", lists[0], "--in", lists[1]}
	out, conflicts, report := filepath.Join(dir, "clusters.csv"), filepath.Join(dir, "conflicts.csv"), filepath.Join(dir, "report.json")
	truth := filepath.Join(dir, "truth.csv")
	runs := [][]string{
		{"import", "--dry-run", "--report", report, lists[0], lists[1], filepath.Join(dir, "phieu_dc01.jsonl"), broken},
		{"import", "--dry-run", "--strict", broken},
		append([]string{"link", "--analyse-blocking", "--truth", truth}, in...),
		append([]string{"link", "--out", out, "--conflicts", conflicts, "--truth", truth}, in...),
		append([]string{"train", "--out", filepath.Join(dir, "trained.yaml")}, in...),
		{"eval", "--truth", truth, "--pred", out, "--conflicts", conflicts, "--conflicts-truth", filepath.Join(dir, "conflicts_truth.csv")},
	}
	printed := map[string]string{}
	for _, args := range runs {
		var so, se bytes.Buffer
		if err := run(context.Background(), args, nil, &so, &se); err != nil {
			t.Fatalf("dancu %s: %v\n%s", strings.Join(args, " "), err, se.String())
		}
		printed["dancu "+strings.Join(args[:3], " ")] = so.String() + se.String()
	}
	// explain on two records of one person found by link.
	cl := readCSVFile(t, out)
	rid, pid := colOf(t, cl[0], "record_id"), colOf(t, cl[0], "person_id")
	first := map[string]string{}
	var a, b string
	for _, r := range cl[1:] {
		if f, ok := first[r[pid]]; ok {
			a, b = f, r[rid]
			break
		}
		first[r[pid]] = r[rid]
	}
	var so, se bytes.Buffer
	if err := run(context.Background(), append([]string{"explain", "--train", "--a", a, "--b", b}, in...), nil, &so, &se); err != nil {
		t.Fatalf("dancu explain: %v\n%s", err, se.String())
	}
	printed["dancu explain"] = so.String() + se.String()
	printed["import --report file"] = readFile(t, report)

	for what, text := range printed {
		if got := secrets.in(text); len(got) > 0 {
			t.Errorf("%s shows %d names or numbers of the population: %q", what, len(got), got[:min(5, len(got))])
		}
	}
	imp := printed["dancu import --dry-run --report"]
	for _, want := range []string{`row 3, column "Ngày sinh"`, `row 4, column "Số định danh cá nhân"`, `row 5, column "Số định danh cá nhân"`, "missing full name", `row 7, column "Số CMND"`} {
		if !strings.Contains(imp, want) {
			t.Errorf("the broken list's errors do not say %s:\n%s", want, imp)
		}
	}
}

// secrets are the full names (lower case) and whole numbers of a
// population.
type secrets struct {
	names   []string
	numbers map[string]bool
}

var wholeNumber = regexp.MustCompile(`[0-9]+`)

// in lists the names and numbers of s found in text.
func (s secrets) in(text string) []string {
	var found []string
	for _, n := range wholeNumber.FindAllString(text, -1) {
		if s.numbers[n] {
			found = append(found, n)
		}
	}
	low := strings.ToLower(text)
	for _, n := range s.names {
		if strings.Contains(low, n) {
			found = append(found, n)
		}
	}
	return found
}

// personalData reads the names (of the person and their relatives, two
// words or more, left out when an address of the files contains them: a
// street or commune named after someone) and the 12- and 9-digit numbers
// of CSV files with generated persons or register lists.
func personalData(t *testing.T, files []string) secrets {
	t.Helper()
	nameCols := []string{"full_name", "father_name", "mother_name", "spouse_name", "household_head",
		"Họ và tên", "Họ tên cha", "Họ tên mẹ", "Họ tên vợ/chồng", "Họ tên chủ hộ"}
	numCols := []string{"id_number", "cmnd", "Số định danh cá nhân", "Số CMND"}
	addrCols := []string{"native_place", "perm_address", "cur_address", "Quê quán", "Nơi thường trú", "Nơi ở hiện tại"}
	s := secrets{numbers: map[string]bool{}}
	names := map[string]bool{}
	var addresses strings.Builder
	for _, f := range files {
		rows := readCSVFile(t, f)
		for _, r := range rows[1:] {
			for i, h := range rows[0] {
				v := strings.TrimSpace(r[i])
				switch {
				case slices.Contains(nameCols, h) && len(strings.Fields(v)) >= 2:
					names[strings.ToLower(v)] = true
				case slices.Contains(numCols, h) && (len(v) == 12 || len(v) == 9) && wholeNumber.FindString(v) == v:
					s.numbers[v] = true
				case slices.Contains(addrCols, h):
					addresses.WriteString(strings.ToLower(v) + "\n")
				}
			}
		}
	}
	places := addresses.String()
	for n := range names {
		if !strings.Contains(places, n) {
			s.names = append(s.names, n)
		}
	}
	slices.Sort(s.names)
	return s
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeCSVFile(t *testing.T, path string, rows [][]string) {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}
