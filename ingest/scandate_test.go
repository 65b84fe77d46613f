package ingest

import (
	"strings"
	"testing"
)

// TestScannedDateIsNotASerial checks that a scanned form's date written as
// digits alone is read as text: a year is a year, and a number that is no
// date ("7002", a handwritten 2002 with its 2 read as 7) is not read as the
// spreadsheet serial of 3 March 1919: it is read as the one year a digit
// changed makes of it (2002, oneDigitDate, noted as kept), and a number
// no one digit makes a date of ("41840") is dropped with a note.
func TestScannedDateIsNotASerial(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"17/5/1989", "1989-05-17"},
		{"1985", "1985"},
		{"7002", "2002"},
		{"41840", ""},
	} {
		line := strings.Replace(formLine, `"text":"17/5/1989"`, `"text":"`+c.text+`"`, 1)
		it := testScanSource().form([]byte(line))
		if it.Record == nil {
			t.Fatalf("%q: form rejected: %+v", c.text, it.Reject)
		}
		if got := it.Record.BirthDate; got != c.want {
			t.Errorf("birth date %q read as %q, want %q", c.text, got, c.want)
		}
		if c.want == "2002" && (len(it.Notes) != 1 || it.Notes[0].Reason != NoteOneDigitDate) {
			t.Errorf("birth date %q: notes %+v, want one: %s", c.text, it.Notes, NoteOneDigitDate)
		}
		if c.want == "" && len(it.Notes) == 0 {
			t.Errorf("birth date %q dropped without a note", c.text)
		}
	}
}
