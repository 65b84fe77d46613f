package web_test

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dancu-vn/dancu/internal/olddistrict"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// TestQueueDistrictAsCoverageCountsIt: user26's conflict in Xã Tân Lộc
// (18409), a commune of Huyện Lộc Hà (448) merged into Thạch Hà in 2025:
// the resolver gives its records the district of the last list before
// the reform (445, Huyện Thạch Hà), and the queue showed and filtered
// the conflict under 445, bare, where coverage counts the commune's
// records and persons under 448. The queue, its filter and the conflict
// page now give the commune's district as coverage does
// (olddistrict.OfCommune), with its name; a commune of Thạch Hà itself
// stays under 445.
func TestQueueDistrictAsCoverageCountsIt(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	env.Exec(t, `INSERT INTO records (record_id, full_name, birth_year, sex, id_number, perm_address, perm_province_code, perm_district_code, perm_commune_code, perm_new_province_code)
VALUES ('r_tl_1', 'Nguyễn Văn Bình', 1960, 'M', '042060001234', 'Xã Tân Lộc, Huyện Lộc Hà, Hà Tĩnh', '42', '445', '18409', '42'),
       ('r_tl_2', 'Trần Văn Bình', 1971, 'M', '042060001234', 'Xã Tân Lộc, Huyện Lộc Hà, Hà Tĩnh', '42', '445', '18409', '42'),
       ('r_th_1', 'Lê Thị Hoa', 1980, 'F', '042180005678', 'Xã Ngọc Sơn, Huyện Thạch Hà, Hà Tĩnh', '42', '445', '18565', '42'),
       ('r_th_2', 'Lê Thị Hoa', 1980, 'F', '042180005678', 'Thị trấn Thạch Hà, Hà Tĩnh', '42', '445', '18562', '42')`,
		`INSERT INTO conflicts (conflict_id, kind, province_code, id_number, person_ids, record_ids, score, explanation, status, version)
VALUES ('c_tanloc', 'shared_id', '42', '042060001234', ['p_tl1', 'p_tl2'], ['r_tl_1', 'r_tl_2'], 0, 'seeded', 'open', 1),
       ('c_thachha', 'shared_id', '42', '042180005678', ['p_th1', 'p_th2'], ['r_th_1', 'r_th_2'], 0, 'seeded', 'open', 1)`)
	env.AddUser(t, "reviewer.ht", store.RoleReviewer, "42")
	c := env.Login(t, "reviewer.ht")

	locHa, _ := olddistrict.OfCommune("18409") // as coverage counts Xã Tân Lộc
	thachHa, _ := olddistrict.OfCommune("18565")
	if locHa == thachHa {
		t.Fatalf("the reference list puts Xã Tân Lộc and Xã Ngọc Sơn in one district, %s", locHa)
	}
	for _, tc := range []struct{ district, want, not string }{{locHa, "c_tanloc", "c_thachha"}, {thachHa, "c_thachha", "c_tanloc"}} {
		st, body := c.Do(t, "GET", "/api/conflicts?status=all&district="+tc.district, nil)
		if st != http.StatusOK {
			t.Fatalf("GET /api/conflicts?district=%s: %d %s", tc.district, st, body)
		}
		var got struct {
			Conflicts []struct {
				ID        string   `json:"conflict_id"`
				Districts []string `json:"district_codes"`
			} `json:"conflicts"`
		}
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatalf("%v: %s", err, body)
		}
		ids := []string{}
		for _, x := range got.Conflicts {
			ids = append(ids, x.ID)
			if len(x.Districts) != 1 || x.Districts[0] != tc.district {
				t.Errorf("district=%s: %s has districts %v, want [%s]", tc.district, x.ID, x.Districts, tc.district)
			}
		}
		if len(ids) != 1 || ids[0] != tc.want {
			t.Errorf("district=%s: the queue gives %v, want [%s] (not %s)", tc.district, ids, tc.want, tc.not)
		}
	}
	_, page := c.Do(t, "GET", "/conflicts?status=all", nil)
	for _, want := range []string{`<span lang="vi">` + olddistrict.Name(locHa) + `</span> (<span class="mono">` + locHa + `</span>)`, "Huyện Thạch Hà"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the queue does not show %q", want)
		}
	}
	_, page = c.Do(t, "GET", "/conflicts/c_tanloc", nil)
	if want := `<span lang="vi">Huyện Lộc Hà</span> (448)`; !strings.Contains(string(page), want) {
		t.Errorf("the conflict page does not show %q", want)
	}

	ctx := webtest.Browser(t)
	if err := webtest.SignIn(ctx, env.URL, "reviewer.ht"); err != nil {
		t.Fatal(err)
	}
	if err := webtest.Do(ctx, "the queue of every status", chromedp.Navigate(env.URL+"/conflicts?status=all"), chromedp.WaitVisible("td.districts")); err != nil {
		t.Fatal(err)
	}
	writePNG(t, filepath.Join(shotDir(t), "desk-queue-districts.png"), run(t, ctx, chromedp.FullScreenshot(100)))
	if txt := run(t, ctx, chromedp.Text("td.districts")); !strings.Contains(txt, "(") {
		t.Errorf("the queue's district cell reads %q, want a name and its code", txt)
	}
}
