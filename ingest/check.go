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
// header"; in a workbook, with the rows that read as persons' that made
// it a list), or no data row in the whole file. A workbook's sheet that
// is not a list (Skipped NotAList…: a cover, a summary) is no error: its
// rows are accounted, kind "not a list", and it is named when no sheet
// gave data. Nothing imported is an error, never a success.
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
		first := firstRow(l, SkipNoHeader)
		persons, out := "", ""
		if l.Sheet != "" {
			// A workbook's sheet: it was kept as a list because some of its
			// rows read as persons' (see Layout.PersonRows); a sheet that
			// is no list can be left out.
			persons = personRows(l)
			out = "; if it is not a list of persons, leave it out by naming the sheets to read with --sheet"
		}
		errs = append(errs, fmt.Errorf("%s: %s, so its %d rows were not read%s%s; expected a row naming the columns, with a name column "+
			"(\"Họ và tên\", \"Họ tên\", or \"Họ\" and \"Tên\") and others such as \"Ngày sinh\", \"Giới tính\", \"Số CCCD\"; "+
			"if the list has no such row, name its columns in a mapping file and pass --mapping FILE "+
			"(dancu import: its keys and an example in dancu import --help; dancu link and train: a mapping naming the record id column, see \"Reading your CSV\" in dancu settings doc)%s: %w",
			where, l.Problem, l.ByKind[SkipNoHeader], first, persons, out, ErrNoHeader))
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
		var notList []string
		for _, l := range d.Sheets {
			if strings.HasPrefix(l.Skipped, NotAList) {
				notList = append(notList, fmt.Sprintf("sheet %q (%s%s)", l.Sheet, strings.TrimPrefix(l.Skipped, NotAList), firstRow(l, SkipNotList)))
			}
		}
		switch {
		case len(hdr) > 0:
			why = "a header was found (" + strings.Join(hdr, ", ") + ") but no row below it names a person"
		case len(notList) > 0:
			why = "no sheet holds a list of persons: no header, and no row that reads as a person's record, in " + strings.Join(notList, ", ")
		default:
			why = "every sheet is empty or was not asked for"
		}
		if len(hdr) > 0 && len(notList) > 0 {
			why += "; not lists: " + strings.Join(notList, ", ")
		}
	}
	return fmt.Errorf("%s: nothing to import: %s; expected a list with a header row (\"Họ và tên\", \"Ngày sinh\", …) and one person per row below it "+
		"(for a layout that is not recognised, name its columns in a mapping file and pass --mapping FILE: "+
		"dancu import --help shows one; dancu link and train: a mapping naming the record id column, see \"Reading your CSV\" in dancu settings doc): %w", d.File, why, ErrNoData)
}

// firstRow is "; its first row with content (row 2) reads "…"", of the
// first skipped row of kind in l; "" when there is none.
func firstRow(l Layout, kind SkipKind) string {
	for _, s := range l.Skips {
		if s.Kind == kind {
			return fmt.Sprintf("; its first row with content (row %d) reads %q", s.Row, s.Preview)
		}
	}
	return ""
}

// personRows names the rows of a sheet without header that read as a
// person's record, masked, or says that it holds names; "" when neither.
func personRows(l Layout) string {
	if l.PersonRowCount == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "; %d of its rows read as a person's record (a name beside a birth date, an identification number, a sex or an address), so it was taken for a list:", l.PersonRowCount)
	for i, r := range l.PersonRows {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, " row %d %q", r.Row, r.Preview)
	}
	if n := l.PersonRowCount - len(l.PersonRows); n > 0 {
		fmt.Fprintf(&b, " and %d more", n)
	}
	return b.String()
}
