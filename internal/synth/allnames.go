package synth

import (
	"bufio"
	"fmt"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/dancu-vn/dancu/internal/refdata"
)

// CollidingNames are names whose words, folded (no diacritics), are the
// words of spreadsheet footers or headers — "Tống Công" folds to "tổng
// cộng" (total), "Tô Trường" to "tổ trưởng" (group leader), "Hồ Tên" to
// "Họ tên" (the name header). A reader that compares folded text takes
// these persons for the end of the sheet or for a repeated header.
var CollidingNames = []string{
	"Tống Công Đạt", "Tô Trường Giang", "Chu Tích Văn", "Cấn Bộ Minh", "Tống Số", "Tống Cộng", "Tống Sở",
	"Trương Thôn", "Thủ Trường Sơn", "Tô Trương", "Chu Tịch", "Cán Bá Bộ", "Hồ Tên", "Hồ Văn Tên", "Hồ Và Tên",
	"Mã Số", "Mã Bản", "Mạc Ngày Tháng", "Ngô Thăng Năm", "Kỳ Tên", "Xa Nhân", "Lập Biểu", "Người",
	"Danh Sách", "Đinh Danh", "Quế Quân", "Dần Tộc", "Tôn Giáo", "Chủ Hộ", "Chu Hộ", "Cao Cộng", "Tổng",
}

// AllNames returns full names that together use every family name,
// middle name and given name of the embedded name tables
// (names/surnames.csv, middle_names.csv, given_names.csv and the two
// duyet_*_given_names.txt lists), then every colliding name, as written,
// in capitals and after "Nguyễn". Deterministic; about 2,700 names.
func AllNames() ([]string, error) {
	col := func(file string) ([]string, error) {
		t, err := refdata.Load(file)
		if err != nil {
			return nil, err
		}
		var out []string
		for _, r := range t.Rows {
			out = append(out, norm.NFC.String(r[0]))
		}
		return out, nil
	}
	family, err := col("names/surnames.csv")
	if err != nil {
		return nil, err
	}
	middle, err := col("names/middle_names.csv")
	if err != nil {
		return nil, err
	}
	given, err := col("names/given_names.csv")
	if err != nil {
		return nil, err
	}
	for _, f := range []string{"names/duyet_boy_given_names.txt", "names/duyet_girl_given_names.txt"} {
		fh, err := refdata.FS().Open(f)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			if s := strings.TrimSpace(sc.Text()); s != "" {
				given = append(given, norm.NFC.String(s))
			}
		}
		fh.Close()
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("read %s: %w", f, err)
		}
	}
	n := max(len(family), len(middle), len(given))
	names := make([]string, 0, n+3*len(CollidingNames))
	for i := 0; i < n; i++ {
		names = append(names, family[i%len(family)]+" "+middle[(i*7)%len(middle)]+" "+given[i%len(given)])
	}
	for _, c := range CollidingNames {
		names = append(names, c, strings.ToUpper(c), "Nguyễn "+c)
	}
	return names, nil
}
