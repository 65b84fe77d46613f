package web_test

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// provinceRow is the records' "province (old / today)" row of the
// conflict page: its cells.
var provinceRow = regexp.MustCompile(`<tr[^>]*><th>province \(old / today\)</th>(.*?)</tr>`)

// TestRecordsProvincesNamed: the records' "province (old / today)" row
// names both eras' provinces with their codes, as the coverage page does
// (coverage's gazetteer), marked Vietnamese: a record of Hà Giang (02),
// today in Tuyên Quang (08), beside one of Hà Nội. It showed "02 / 08"
// until user33 (user32 found it).
func TestRecordsProvincesNamed(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	id := env.SeedConflict(t, "c_provnames", schemas.ConflictSharedID, "02", "01")
	env.AddUser(t, "rev", store.RoleReviewer, "01")
	st, body := env.Login(t, "rev").Do(t, "GET", "/conflicts/"+id, nil)
	if st != http.StatusOK {
		t.Fatalf("the conflict page: %d", st)
	}
	m := provinceRow.FindStringSubmatch(string(body))
	if m == nil {
		t.Fatalf("no province row on the page")
	}
	var cells []string
	for _, c := range regexp.MustCompile(`<td[^>]*>(.*?)</td>`).FindAllStringSubmatch(m[1], -1) {
		cells = append(cells, html.UnescapeString(c[1]))
	}
	want := []struct{ old, oldName, now, nowName string }{
		{"02", "Hà Giang", "08", "Tuyên Quang"},
		{"01", "Hà Nội", "01", "Hà Nội"},
	}
	if len(cells) != len(want) {
		t.Fatalf("province row cells %q, want %d", cells, len(want))
	}
	for i, w := range want {
		old, now, ok := strings.Cut(cells[i], " / ")
		if !ok || !strings.Contains(old, w.oldName) || !strings.HasSuffix(old, "("+w.old+")") ||
			!strings.Contains(now, w.nowName) || !strings.HasSuffix(now, "("+w.now+")") {
			t.Errorf("record %d's provinces %q, want %s (%s) / %s (%s)", i, cells[i], w.oldName, w.old, w.nowName, w.now)
		}
	}
	if !strings.Contains(m[1], `lang="vi"`) {
		t.Errorf("the province row's names are not marked lang=\"vi\": %s", m[1])
	}
}
