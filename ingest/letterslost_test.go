package ingest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCSVWithLettersLostRefused: a commune's list saved as CSV in a code
// page without Vietnamese letters (LibreOffice's default, Excel's "CSV
// (Comma delimited)") has '?' for them; dancu said "no header row found"
// (user28's first week), and a header typed without marks would have let
// its names in garbled ("Nguy?n V?n An"). It is refused, saying how to
// save it. A list whose remarks ask a question is read.
func TestCSVWithLettersLostRefused(t *testing.T) {
	dir := t.TempDir()
	lost := "STT,H? và tên,Ngày sinh,N?i th??ng trú\n1,Nguy?n V?n An,12/03/1985,Th?ch Kim\n2,Tr?n Th? Bình,05/06/1990,Th?ch Kim\n"
	ascii := "STT,Ho va ten,Ngay sinh,Noi thuong tru\n1,Nguy?n V?n An,12/03/1985,Th?ch Kim\n2,Tr?n Th? Bình,05/06/1990,Th?ch Kim\n"
	fine := "STT,Họ và tên,Ngày sinh,Ghi chú\n1,Nguyễn Văn An,12/03/1985,không rõ?\n2,Trần Thị Bình,05/06/1990,còn ở đây?\n"
	for name, body := range map[string]string{"lost.csv": lost, "ascii.csv": ascii, "fine.csv": fine} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		src, err := Open(path, Options{})
		if name == "fine.csv" {
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			items := readAll(t, src)
			src.Close()
			if len(items) != 2 || items[0].Record == nil {
				t.Errorf("%s: %+v", name, items)
			}
			continue
		}
		if !errors.Is(err, ErrLettersLost) || !strings.Contains(err.Error(), "UTF-8") || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: %v; want ErrLettersLost naming the file and how to save it", name, err)
		}
		if src != nil {
			src.Close()
		}
	}
}
