package ingest

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrNoData is returned (wrapped) by Description.Check for a file that
// gives no data rows, and by Open for an empty file.
var ErrNoData = errors.New("no data rows")

// ErrNoHeader is returned (wrapped) by Description.Check for a sheet with
// content whose header row was not found.
var ErrNoHeader = errors.New("no header row")

// Check reports what makes a file that was read through unusable, naming
// the file, the sheet and what was expected: a sheet with content whose
// header was not found (its rows are counted as skipped, kind "no
// header"), or no data row in the whole file. Nothing imported is an
// error, never a success.
func (d Description) Check() error {
	var errs []error
	data := 0
	for _, l := range d.Sheets {
		data += l.Accepted + l.Rejected
		if l.Problem == "" {
			continue
		}
		where := d.File
		if l.Sheet != "" {
			where += " sheet " + strconv.Quote(l.Sheet)
		}
		first := ""
		for _, s := range l.Skips {
			if s.Kind == SkipNoHeader {
				first = fmt.Sprintf("; its first row with content (row %d) reads %q", s.Row, s.Preview)
				break
			}
		}
		errs = append(errs, fmt.Errorf("%s: %s, so its %d rows were not read%s; expected a row naming the columns, with a name column "+
			"(\"Họ và tên\", \"Họ tên\", or \"Họ\" and \"Tên\") and others such as \"Ngày sinh\", \"Giới tính\", \"Số CCCD\"; "+
			"if the list has no such row, name its columns in a mapping file and pass --mapping FILE "+
			"(dancu link and train: a mapping naming the record id column, see \"Reading your CSV\" in dancu settings doc): %w", where, l.Problem, l.ByKind[SkipNoHeader], first, ErrNoHeader))
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if data > 0 {
		return nil
	}
	var why string
	switch {
	case len(d.Sheets) == 0:
		why = "the file has no sheet"
	default:
		var hdr []string
		for _, l := range d.Sheets {
			if len(l.HeaderRows) > 0 {
				name := "row"
				if l.Sheet != "" {
					name = "sheet " + strconv.Quote(l.Sheet) + " row"
				}
				hdr = append(hdr, fmt.Sprintf("%s %d", name, l.HeaderRows[0]))
			}
		}
		if len(hdr) > 0 {
			why = "a header was found (" + strings.Join(hdr, ", ") + ") but no row below it names a person"
		} else {
			why = "every sheet is empty or was not asked for"
		}
	}
	return fmt.Errorf("%s: nothing to import: %s; expected a list with a header row (\"Họ và tên\", \"Ngày sinh\", …) and one person per row below it "+
		"(for a layout that is not recognised, name its columns in a mapping file and pass --mapping FILE; "+
		"dancu link and train: a mapping naming the record id column, see \"Reading your CSV\" in dancu settings doc): %w", d.File, why, ErrNoData)
}
