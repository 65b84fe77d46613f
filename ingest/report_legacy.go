package ingest

import (
	"strings"

	"github.com/dancu-vn/dancu/vn"
)

// rowDecoder decodes, for reports, the cells of a row that no column
// encoding covers: a title row, a header cell that names no field (the
// parent of a merged header: "Thông tin cá nhân" over "Họ và tên"). The
// row's cells typed in one font are judged together — one cell such as
// "Ghi chó" reads as Vietnamese either way, the row beside it tells — by
// vn.DetectEncoding: a legacy font (.VnTime → TCVN3, .VnTimeH → TCVN3 in
// capitals, VNI-…) when the text agrees, else what the text reads as.
// fontOf gives the font of the cell in a column ("" unknown; nil: no
// fonts, as in CSV or while the header is still being looked for). It
// returns nil when the row has nothing to decode.
func rowDecoder(cells []string, fontOf func(col int) string) func(col int, raw string) string {
	font := func(col int) string {
		if fontOf == nil {
			return ""
		}
		return fontOf(col)
	}
	samples := map[string][]string{}
	for i, c := range cells {
		if !isASCII(c) {
			samples[font(i)] = append(samples[font(i)], c)
		}
	}
	enc := map[string]vn.Encoding{}
	for f, s := range samples {
		if e := vn.DetectEncoding(s, f); e != vn.Unicode {
			enc[f] = e
		}
	}
	// .VnTimeH draws every letter as a capital, the ASCII ones too: a
	// cell typed "thon dong" in it is THON DONG to the clerk (user28).
	capitals := func(col int) bool {
		e, _ := vn.FontEncoding(font(col))
		return e == vn.TCVN3Upper
	}
	lowerInCapitals := false
	for i, c := range cells {
		if isASCII(c) && c != strings.ToUpper(c) && capitals(i) {
			lowerInCapitals = true
			break
		}
	}
	if len(enc) == 0 && !lowerInCapitals {
		return nil
	}
	return func(col int, raw string) string {
		if isASCII(raw) {
			if capitals(col) {
				return strings.ToUpper(raw)
			}
			return raw
		}
		e, ok := enc[font(col)]
		if !ok {
			e = vn.Unicode // composed all the same (NFC)
		}
		return decodeText(raw, e)
	}
}

// headerCellText classifies a header cell (classifyCell) and, when it
// names no field, gives its text decoded by dec (nil: as read).
func headerCellText(raw string, col int, dec func(col int, raw string) string) (field, text string) {
	f, text, ok := classifyCell(raw)
	if !ok && dec != nil {
		text = cleanText(dec(col, raw))
	}
	return f, text
}

// sheetFontEncodings gives, for a sheet without header (a notes sheet, a
// cover), the encoding of each legacy font its cells are in when the
// sheet's text in that font's family agrees: "Ghi chó:" alone reads as
// Unicode too (vn.DetectEncoding keeps it so), the sheet's other lines in
// .VnTime tell it is TCVN3 ("Ghi chú:"), and a .VnTimeH cell beside them
// is TCVN3 in capitals. rows are the rows read, fonts their cells' fonts.
func sheetFontEncodings(rows []rawRow, fonts map[cellPos]string) map[string]vn.Encoding {
	if len(fonts) == 0 {
		return nil
	}
	family := func(e vn.Encoding) vn.Encoding {
		if e == vn.TCVN3Upper {
			return vn.TCVN3
		}
		return e
	}
	samples := map[vn.Encoding][]string{}
	members := map[vn.Encoding]map[string]bool{}
	for _, r := range rows {
		for i, c := range r.cells {
			f := fonts[cellPos{r.num, i}]
			e, ok := vn.FontEncoding(f)
			if !ok || isASCII(c) {
				continue
			}
			fam := family(e)
			samples[fam] = append(samples[fam], c)
			if members[fam] == nil {
				members[fam] = map[string]bool{}
			}
			members[fam][f] = true
		}
	}
	var out map[string]vn.Encoding
	for fam, s := range samples {
		font := ".VnTime"
		if fam == vn.VNI {
			font = "VNI-Times"
		} else if fam != vn.TCVN3 {
			continue
		}
		if vn.DetectEncoding(s, font) == vn.Unicode {
			continue
		}
		for f := range members[fam] {
			if out == nil {
				out = map[string]vn.Encoding{}
			}
			out[f], _ = vn.FontEncoding(f)
		}
	}
	return out
}
