package vietnamese

import (
	"regexp"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/internal/ingesttest"
	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/schemas"
)

// TestNameBirthAsRegexp checks the name_birth column of the frame dancu
// link builds (AddTo into reused batches, AddBatch) on the lists of 3,000
// generated persons and on hand-made records against its definition
// read from the settings: the join fields' values trimmed, those
// missing left out, the rest joined by a space, and the joined text
// kept when the regexp package matches the transform's pattern on it. The
// frame joins in the batch's scratch bytes and decides the pattern by
// byte checks (issue 13); the values must be the same, record for
// record, and both kinds — kept and missing with all three fields
// present (a birth year alone) — must occur.
func TestNameBirthAsRegexp(t *testing.T) {
	s, err := Settings()
	if err != nil {
		t.Fatal(err)
	}
	d := s.WithDefaults()
	var join []string
	var re *regexp.Regexp
	for _, c := range d.Columns {
		if c.Name == "name_birth" {
			if len(c.Join) == 0 || len(c.Transforms) != 1 || !strings.HasPrefix(c.Transforms[0], "regex:") {
				t.Fatalf("name_birth is no longer a join with one regex transform: %+v", c)
			}
			join, re = c.Join, regexp.MustCompile(strings.TrimPrefix(c.Transforms[0], "regex:"))
		}
	}
	if re == nil {
		t.Fatal("no name_birth column in the settings")
	}
	missing := map[string]bool{}
	for _, m := range d.Missing {
		missing[strings.ToLower(strings.TrimSpace(m))] = true
	}
	files := ingesttest.Lists(t, "DANCU_FRAME_GEN", 3000, 5)
	recs := ingesttest.Records(t, ingest.Options{NoNameParts: true}, files...)
	for i, c := range []struct{ name, date, prov string }{
		{"Nguyễn Văn An", "1990-01-02", "01"}, {"Nguyễn Văn An", "1990-01", "01"}, {"Nguyễn Văn An", "1990", "01"},
		{"", "1990-01-02", "01"}, {"Trần Thị Bình", "1985-12-31", ""}, {"Lê Văn 1990-01-02", "", "01"},
		{"NA", "1990-01-02", "01"}, {"Con bà Nguyễn Thị Lan", "2024-03-05", "01"}, {"Phạm Thị\nThu", "1970-07-07", "01"},
	} {
		recs = append(recs, &schemas.Record{RecordID: "hand" + string(rune('a'+i)), FullName: c.name, BirthDate: c.date, PermNewProvinceCode: c.prov, PermNewCommuneCode: "00004"})
	}
	ad := NewAdapter()
	f := matching.NewFrame(s)
	b := f.NewBatch()
	for start := 0; start < len(recs); start += 512 {
		b.Reset()
		for _, r := range recs[start:min(start+512, len(recs))] {
			ad.AddTo(b, r, 0)
		}
		if _, err := f.AddBatch(b); err != nil {
			t.Fatal(err)
		}
	}
	kept, allThree := 0, 0
	for i, r := range recs {
		get, _ := ad.Fields(r)
		var parts []string
		for _, in := range join {
			if v := strings.TrimSpace(get(in)); v != "" && !missing[strings.ToLower(v)] {
				parts = append(parts, v)
			}
		}
		want := re.FindString(strings.Join(parts, " "))
		got := f.Value("name_birth", i)
		if got != want {
			t.Errorf("record %s: name_birth %q, want %q", r.RecordID, got, want)
		}
		switch {
		case want != "":
			kept++
		case len(parts) == len(join):
			allThree++
		}
	}
	t.Logf("%d records: name_birth kept on %d, missing on %d with all three fields", len(recs), kept, allThree)
	if kept == 0 || allThree == 0 {
		t.Errorf("name_birth kept on %d records, missing with all three fields on %d: both kinds must occur", kept, allThree)
	}
}
