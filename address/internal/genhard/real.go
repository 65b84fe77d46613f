package main

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/dancu-vn/dancu/address"
)

// sampleReal draws one commune and writes its address the way addresses
// appear on the web and in forms rather than through the typing errors
// of sample: a house number, alley, building, market or landmark before
// the units, a hamlet or residential group, English, no diacritics at
// all, the short forms of type words (P12, Q1, F., TPHCM, BR-VT), all
// capitals, a postal code or the country at the end, other separators,
// the old name beside the new one, numbers as words or with a leading
// zero, a word repeated, telex and VNI keys left over. The labels come
// from the reference tables the address was written from. The note lists
// the kinds used.
func (t *tables) sampleReal(r *rand.Rand) address.Labelled {
	var notes []string
	note := func(s string) { notes = append(notes, s) }
	pct := func(p int) bool { return r.IntN(100) < p }

	// Web text is mostly about cities: two addresses in five from the
	// five centrally governed cities, the rest from anywhere.
	var c *commune
	if pct(40) {
		cities := []string{"79", "79", "01", "01", "48", "31", "92"}
		p := cities[r.IntN(len(cities))]
		for c == nil || c.pcode != p {
			c = &t.communes[r.IntN(len(t.communes))]
		}
	} else {
		c = &t.communes[r.IntN(len(t.communes))]
	}

	post := pct(25)
	newStyle := post && pct(60)
	asOf := fmt.Sprintf("%d-%02d-%02d", 2019+r.IntN(6), 1+r.IntN(12), 1+r.IntN(28))
	if asOf >= "2025-07-01" {
		asOf = "2024-" + asOf[5:]
	}
	if post {
		asOf = fmt.Sprintf("%d-%02d-%02d", 2025+r.IntN(2), 1+r.IntN(11), 1+r.IntN(28))
		if asOf < "2025-07-01" {
			asOf = "2025-" + fmt.Sprintf("%02d", 7+r.IntN(6)) + asOf[7:]
		}
	}
	x := labelFor(c, asOf)

	english := pct(10)
	plain := !english && pct(20) // no diacritics at all
	if english {
		note("english")
	}

	type level struct{ typ, name, lvl string }
	var lv []level
	if newStyle {
		nc := t.newCommuneOf(r, c, &x)
		ty, nm := splitType(nc.name)
		if !english && pct(25) {
			// the old commune beside the new one
			_, on := splitType(c.name)
			if on != nm {
				ot, _ := splitType(c.name)
				switch r.IntN(3) {
				case 0:
					nm += " (" + ot + " " + on + " cũ)"
				case 1:
					nm += " (trước đây là " + strings.ToLower(ot) + " " + on + ")"
				default:
					nm += " (" + on + " cũ)"
				}
				note("old-name-in-brackets")
			}
		}
		lv = append(lv, level{ty, nm, "c"})
		ty, nm = splitType(nc.pname)
		lv = append(lv, level{ty, nm, "p"})
		note("new-units-no-district")
	} else {
		x.ProvinceCode, x.DistrictCode, x.CommuneCode = c.pcode, c.dcode, c.code
		ty, nm := splitType(c.name)
		if !english && len(c.newCodes) == 1 && post && pct(35) {
			nt, nn := splitType(t.newC[c.newCodes[0]].name)
			if nn != nm {
				if pct(50) {
					nm += " (nay là " + strings.ToLower(nt) + " " + nn + ")"
				} else {
					nm += ", nay là " + nt + " " + nn
				}
				note("new-name-beside-old")
			}
		}
		lv = append(lv, level{ty, nm, "c"})
		ty, nm = splitType(c.dname)
		lv = append(lv, level{ty, nm, "d"})
		ty, nm = splitType(c.pname)
		lv = append(lv, level{ty, nm, "p"})
		switch k := r.IntN(100); {
		case k < 8:
			lv = append(lv[:1], lv[2])
			note("no-district")
		case k < 20:
			lv = lv[:2]
			note("no-province")
		}
	}

	// Type words: one habit for the whole address, as a form or a web
	// page has.
	habit := r.IntN(100)
	for i := range lv {
		l := &lv[i]
		num := numeric(l.name)
		if english {
			l.typ, l.name = englishUnit(r, l.typ, stripMarks(l.name), l.lvl, x.ProvinceCode, x.NewProvinceCode)
			continue
		}
		if l.lvl == "p" {
			if forms := realShortForms[provOf(x)]; len(forms) > 0 && pct(45) {
				l.typ, l.name = "", forms[r.IntN(len(forms))]
				note("province-short-form")
				continue
			}
			if v := spellings[l.name]; v != nil && pct(30) {
				l.typ, l.name = "", v[r.IntN(len(v))]
				note("province-spelling")
				continue
			}
			if w := strings.Fields(l.name); len(w) == 2 && realShortForms[provOf(x)] == nil && pct(12) {
				// "T.Hóa", "Q.Ngãi", "B.Dương": the first word's initial
				l.typ, l.name = "", string([]rune(w[0])[:1])+"."+w[1]
				note("province-initial")
				continue
			}
		}
		if num && pct(30) {
			// numbers as words, with a leading zero, or glued (P12, Q1, F12)
			n := 0
			fmt.Sscan(l.name, &n)
			switch k := r.IntN(3); {
			case k == 0 && n <= 20:
				l.name = numberWord(l.typ, n)
				note("number-as-word")
			case k == 1 && n < 10:
				l.name = "0" + l.name
				note("leading-zero")
			default:
				a := map[string][]string{"Phường": {"P", "F", "P.", "F."}, "Quận": {"Q", "Q."}}[l.typ]
				if a != nil {
					l.typ = a[r.IntN(len(a))] + "\x00"
					note("glued-number")
				}
			}
			continue
		}
		if l.typ == "" {
			continue
		}
		switch {
		case habit < 40: // full, often in lower case
			if pct(40) {
				l.typ = strings.ToLower(l.typ)
			}
		case habit < 75:
			l.typ = realAbbrev(r, l.typ)
			note("abbrev")
		default:
			if !num {
				l.typ = ""
				note("no-type-word")
			}
		}
	}

	if pct(12) {
		// one slip of the keyboard in a name (sample's typing errors)
		l := &lv[r.IntN(len(lv))]
		if !numeric(l.name) && !strings.Contains(l.name, "(") {
			l.name = typo(r, l.name)
			note("typo")
		}
	}
	if pct(5) {
		// the largest unit first, as some forms ask
		for i, j := 0, len(lv)-1; i < j; i, j = i+1, j-1 {
			lv[i], lv[j] = lv[j], lv[i]
		}
		note("largest-first")
	}
	var parts []string
	if pct(6) {
		// the name of a business before the address
		cos := []string{"Công ty TNHH Minh Phát", "Cửa hàng Hoa Mai", "Tiệm vàng Kim Long", "Nhà thuốc Long Châu", "Quán cơm Ba Miền", "CTY CP Xây dựng Số 5"}
		parts = append(parts, cos[r.IntN(len(cos))])
		note("business")
	}
	if pct(72) {
		d, kind := realDetail(r, c, english)
		parts = append(parts, d...)
		note(kind)
	}
	for _, l := range lv {
		switch {
		case strings.HasSuffix(l.typ, "\x00"):
			parts = append(parts, strings.TrimSuffix(l.typ, "\x00")+l.name)
		case l.typ != "" && english:
			parts = append(parts, l.name+" "+l.typ)
		case l.typ != "":
			parts = append(parts, l.typ+" "+l.name)
		default:
			parts = append(parts, l.name)
		}
	}
	if pct(4) && len(parts) > 1 {
		// a unit written twice: the province again, or its short form
		parts = append(parts, parts[len(parts)-1])
		note("repeated")
	}
	if code := postal[provOf(x)]; code != "" && pct(10) {
		parts[len(parts)-1] += " " + code
		note("postal-code")
	}
	if pct(22) {
		tails := []string{"Việt Nam", "Việt Nam", "VN", "Vietnam", "Viet Nam", "VIỆT NAM"}
		if english {
			tails = []string{"Vietnam", "Vietnam", "Viet Nam", "VN"}
		}
		parts = append(parts, tails[r.IntN(len(tails))])
		note("country")
	}

	sep, kind := pickSep(r, []sepChoice{{62, ", ", ""}, {72, ",", ""}, {82, " - ", "dash"}, {87, "; ", "semicolon"}, {91, " / ", "slash"},
		{95, " ", "no-separators"}, {100, " , ", ""}})
	if kind != "" {
		note(kind)
	}
	text := strings.Join(parts, sep)
	if pct(8) {
		labels := []string{"Địa chỉ: ", "ĐC: ", "Đ/c: ", "Địa chỉ thường trú: ", "Nơi ở hiện tại: ", "Address: "}
		if english {
			labels = []string{"Address: ", "Add: "}
		}
		text = labels[r.IntN(len(labels))] + text
		note("label")
	}
	if pct(4) {
		tails := []string{". ĐT: 09%08d", " - SĐT 09%08d", ". Hotline: 09%08d", " (gọi trước 09%08d)"}
		text += fmt.Sprintf(tails[r.IntN(len(tails))], r.IntN(100000000))
		note("phone")
	}
	if plain {
		text = stripMarks(text)
		note("no-diacritics")
		if pct(50) {
			text = strings.ToLower(text)
		}
	}
	if pct(7) {
		text = strings.ToUpper(text)
		note("upper-case")
	}
	if !english && !plain && pct(5) {
		text = leftover(r, text)
		note("telex-vni-leftover")
	}
	x.Text = norm.NFC.String(text)
	x.Note = strings.Join(uniq(notes), " ")
	return x
}

// provOf is the province the address's text names: the old one, or the
// new one for an address in the new units.
func provOf(x address.Labelled) string {
	if x.ProvinceCode != "" {
		return x.ProvinceCode
	}
	return "n" + x.NewProvinceCode
}

// realShortForms are province short forms seen on the web and in forms, by
// old province code ("n" + code for the new units).
var realShortForms = map[string][]string{
	"01":  {"HN", "Hà Nội", "TP. Hà Nội", "Tp Hà Nội", "TP.HN", "Ha Noi", "Hà Nội city"},
	"79":  {"TPHCM", "TP.HCM", "Tp.HCM", "TP. HCM", "HCM", "SG", "Sài Gòn", "TP Hồ Chí Minh", "Tp. Hồ Chí Minh", "Hồ Chí Minh"},
	"48":  {"ĐN", "Đà Nẵng", "TP Đà Nẵng", "Tp. Đà Nẵng"},
	"31":  {"HP", "Hải Phòng", "TP Hải Phòng"},
	"92":  {"Cần Thơ", "TP Cần Thơ", "TPCT"},
	"46":  {"TT Huế", "TT-Huế", "Huế", "Thừa Thiên - Huế", "TTH"},
	"77":  {"BR-VT", "BRVT", "Bà Rịa-Vũng Tàu", "Bà Rịa Vũng Tàu"},
	"74":  {"Bình Dương", "BD", "T. Bình Dương"},
	"75":  {"Đồng Nai", "T. Đồng Nai"},
	"n01": {"Hà Nội", "TP Hà Nội", "HN"}, "n79": {"TP.HCM", "TPHCM", "TP Hồ Chí Minh", "Hồ Chí Minh"},
	"n48": {"Đà Nẵng", "TP Đà Nẵng"}, "n31": {"Hải Phòng", "TP Hải Phòng"}, "n46": {"TP Huế", "Huế"},
}

// spellings are other ways people spell a province's name: the
// highland names' k and c, glued, tone marks on the other vowel.
var spellings = map[string][]string{
	"Đắk Lắk": {"Đắc Lắc", "Daklak", "Đăk Lăk", "Dak Lak", "ĐắkLắk"}, "Đắk Nông": {"Đăk Nông", "Dak Nong", "Đắc Nông"},
	"Kon Tum": {"Kontum", "KonTum"}, "Khánh Hòa": {"Khánh Hoà"}, "Hoà Bình": {"Hòa Bình"}, "Thanh Hóa": {"Thanh Hoá"},
	"Bà Rịa - Vũng Tàu": {"Bà Rịa-Vũng Tàu", "Bà Rịa Vũng Tàu", "BR - VT"}, "Thừa Thiên Huế": {"Thừa Thiên-Huế", "Thừa Thiên - Huế"},
	"Gia Lai": {"GiaLai"}, "Lâm Đồng": {"Lâm đồng"},
}

// postal are five-digit postal codes (2018 scheme) of a few provinces,
// as web pages write them after the province.
var postal = map[string]string{
	"01": "100000", "79": "700000", "48": "550000", "31": "180000", "92": "900000", "46": "530000", "75": "810000",
	"74": "820000", "56": "650000", "n01": "100000", "n79": "700000", "n48": "550000",
}

// realAbbrev writes a type word the way forms shorten it.
func realAbbrev(r *rand.Rand, typ string) string {
	forms := map[string][]string{
		"Thành phố": {"TP.", "TP", "Tp.", "Tp", "tp.", "T.P"}, "Thị xã": {"TX.", "TX", "Tx.", "tx."}, "Thị trấn": {"TT.", "TT", "Tt.", "tt."},
		"Tỉnh": {"T.", "Tỉnh", "tỉnh"}, "Quận": {"Q.", "Q", "q.", "Q:"}, "Huyện": {"H.", "H", "h.", "Huyện"},
		"Phường": {"P.", "P", "p.", "F.", "Ph."}, "Xã": {"X.", "X", "x.", "Xã"}, "Đặc khu": {"ĐK", "Đặc khu"},
	}[typ]
	if forms == nil {
		return typ
	}
	return forms[r.IntN(len(forms))]
}

// numberWord writes a ward or district number as people say it
// ("Phường Mười Hai", "Quận Nhất", "Quận Tư").
func numberWord(typ string, n int) string {
	units := []string{"", "Một", "Hai", "Ba", "Bốn", "Năm", "Sáu", "Bảy", "Tám", "Chín"}
	if typ == "Quận" {
		switch n {
		case 1:
			return "Nhất"
		case 4:
			return "Tư"
		}
	}
	switch {
	case n < 10:
		return units[n]
	case n == 10:
		return "Mười"
	case n < 20:
		u := units[n-10]
		if n == 15 {
			u = "Lăm"
		}
		return "Mười " + u
	default:
		u := units[n%10]
		if n%10 == 1 {
			u = "Mốt"
		}
		return strings.TrimSpace("Hai Mươi " + u)
	}
}

// englishUnit writes a unit as English-language pages do: "Ward 5",
// "Ben Nghe Ward", "District 3", "Hoan Kiem Dist.", "Thu Duc City",
// "Hanoi", "Dong Nai Province".
func englishUnit(r *rand.Rand, typ, name, lvl, pcode, npcode string) (string, string) {
	if lvl == "p" {
		code := pcode
		if code == "" {
			code = npcode
		}
		if forms := map[string][]string{"01": {"Hanoi", "Ha Noi", "Hanoi City"}, "79": {"Ho Chi Minh City", "HCMC", "HCM City", "Saigon"},
			"48": {"Da Nang", "Danang", "Da Nang City"}, "31": {"Hai Phong", "Haiphong"}, "92": {"Can Tho", "Can Tho City"}}[code]; forms != nil {
			return "", forms[r.IntN(len(forms))]
		}
		if typ == "Thành phố" {
			return "City", name
		}
		if pct := r.IntN(100); pct < 60 {
			return "Province", name
		}
		return "", name
	}
	num := numeric(name)
	en := map[string][]string{"Phường": {"Ward"}, "Xã": {"Commune"}, "Thị trấn": {"Town", "Township"}, "Quận": {"District", "Dist."},
		"Huyện": {"District", "Dist."}, "Thị xã": {"Town"}, "Thành phố": {"City"}, "Đặc khu": {"Special Zone"}}[typ]
	if en == nil {
		return "", name
	}
	w := en[r.IntN(len(en))]
	if num {
		// "Ward 5" reads the other way round: the type word first
		return "", w + " " + name
	}
	return w, name
}

// realDetail writes what comes before the commune on the web: a house
// number and street, an alley (ngõ, ngách, hẻm, kiệt), a building or
// apartment, a market or landmark, a hamlet or residential group.
func realDetail(r *rand.Rand, c *commune, english bool) ([]string, string) {
	streets := []string{"Lê Lợi", "Trần Hưng Đạo", "Nguyễn Trãi", "Hùng Vương", "Quang Trung", "Lý Thường Kiệt", "Hai Bà Trưng",
		"Trần Duy Hưng", "Điện Biên Phủ", "Cách Mạng Tháng Tám", "Hoàng Hoa Thám", "Lạc Long Quân", "Nguyễn Văn Cừ", "Phạm Văn Đồng",
		"Võ Văn Kiệt", "Tôn Đức Thắng", "Bạch Đằng", "Lý Thái Tổ", "Nguyễn Huệ", "Lê Duẩn", "Trường Chinh", "Giải Phóng", "Kim Mã",
		"Láng Hạ", "Tây Sơn", "Nguyễn Thị Minh Khai", "Nam Kỳ Khởi Nghĩa", "Phan Đình Phùng", "Hoàng Diệu", "Lê Thánh Tôn",
		"Phan Chu Trinh", "Ngô Quyền", "Trần Phú", "Nguyễn Văn Linh", "Lê Văn Sỹ", "Xô Viết Nghệ Tĩnh", "3 Tháng 2", "30 Tháng 4",
		"Nguyễn Văn Trỗi", "Hoàng Văn Thụ", "Phan Xích Long", "Âu Cơ", "Lũy Bán Bích", "Kinh Dương Vương", "Quốc lộ 1A", "Quốc lộ 13",
		"Tỉnh lộ 10", "Đường số 7", "Đường D2", "Xa lộ Hà Nội", "Phố Huế", "Đà Nẵng", "Hải Phòng", "Lạng Sơn", "Đại lộ Bình Dương",
		"Đại lộ Thăng Long", "Bà Triệu", "Trường Sa", "Hoàng Sa", "Cộng Hòa", "Thái Hà", "Bến Vân Đồn", "Nguyễn Trãi"}
	st := streets[r.IntN(len(streets))]
	phố := "phố " + st
	if strings.HasPrefix(st, "Đường") || strings.HasPrefix(st, "Quốc") || strings.HasPrefix(st, "Tỉnh") {
		phố = st
	}
	_, cname := splitType(c.name)
	n := 1 + r.IntN(250)
	if english {
		st = stripMarks(st)
		switch r.IntN(4) {
		case 0:
			return []string{fmt.Sprintf("%d %s Street", n, st)}, "house-number"
		case 1:
			return []string{fmt.Sprintf("No. %d, Lane %d, %s Street", n, 1+r.IntN(200), st)}, "alley"
		case 2:
			return []string{fmt.Sprintf("%d/%d %s St.", n, 1+r.IntN(60), st)}, "alley"
		default:
			return []string{fmt.Sprintf("Hamlet %d", 1+r.IntN(12))}, "hamlet"
		}
	}
	var k int
	// hamlets and villages outside the cities, streets inside
	if strings.HasPrefix(c.name, "Xã") {
		k = r.IntN(100)
		if k < 55 {
			k = 100 // a hamlet
		} else {
			k = r.IntN(100)
		}
	} else {
		k = r.IntN(100)
	}
	alley := []string{"Ngõ", "ngõ", "Hẻm", "hẻm", "Kiệt", "kiệt", "HXH", "Ngách"}
	switch {
	case k < 30:
		forms := []string{"Số %d %s", "%d %s", "Số nhà %d, đường %s", "SN %d %s", "%dA %s", "%d đường %s", "Số %d, %s"}
		return []string{fmt.Sprintf(forms[r.IntN(len(forms))], n, st)}, "house-number"
	case k < 55:
		switch r.IntN(5) {
		case 0:
			return []string{fmt.Sprintf("Số %d", n), fmt.Sprintf("ngõ %d/%d", 1+r.IntN(400), 1+r.IntN(60)), phố}, "alley"
		case 1:
			return []string{fmt.Sprintf("%d/%d %s", n, 1+r.IntN(90), st)}, "alley"
		case 2:
			return []string{fmt.Sprintf("%d/%d/%d %s", n, 1+r.IntN(90), 1+r.IntN(20), st)}, "alley"
		case 3:
			return []string{fmt.Sprintf("%s %d %s", alley[r.IntN(len(alley))], n, st)}, "alley"
		default:
			return []string{fmt.Sprintf("Số %d ngách %d/%d ngõ %d %s", n, 1+r.IntN(40), 1+r.IntN(300), 1+r.IntN(300), st)}, "alley"
		}
	case k < 66:
		bs := []string{"Tầng %d, tòa nhà Vincom, %d " + st, "Phòng %d, chung cư Hoàng Anh Gia Lai, %d " + st,
			"Căn hộ A%d, Block B, chung cư Sunrise City, %d " + st, "Lô %d, KDC Nam Long, đường số %d", "P.%d tòa CT2, %d " + st,
			"Kiot %d chợ " + cname + ", %d " + st}
		room := 100*(1+r.IntN(25)) + 1 + r.IntN(12)
		if strings.HasPrefix(bs[0], "Tầng") && r.IntN(2) == 0 {
			room /= 100
		}
		return []string{fmt.Sprintf(bs[r.IntN(len(bs))], room, n)}, "building"
	case k < 75:
		ls := []string{"gần chợ " + cname, "đối diện trường THCS " + cname, "cạnh UBND " + strings.ToLower(c.name), "sau bưu điện " + cname,
			"ngã ba " + st, "đầu cầu " + cname, "đối diện bệnh viện đa khoa", "gần chợ"}
		l := ls[r.IntN(len(ls))]
		if r.IntN(3) == 0 {
			return []string{fmt.Sprintf("%d %s (%s)", n, st, l)}, "landmark"
		}
		return []string{fmt.Sprintf("%d %s", n, st), l}, "landmark"
	default:
		hs := []string{"Tổ %d, Khu phố %d", "Tổ %d, KP%d", "Tổ dân phố %d", "TDP %d", "Khu phố %d", "KP %d", "Khóm %d", "Khu %d",
			"Thôn %d", "Xóm %d", "Ấp %d", "Đội %d", "Cụm %d", "Tiểu khu %d", "tổ %d ấp %d"}
		named := []string{"Thôn Đông", "Thôn Trung", "Thôn Tân Lập", "Thôn Phú Thọ", "Ấp Bình Minh", "Ấp Tân Lợi", "Ấp Mỹ Hòa",
			"Bản Nà Lạng", "Bản Co Mạ", "Buôn Ko Siêr", "Buôn Ma", "Làng Chăm", "Sóc Trà", "Xóm Chùa", "Xóm Mới", "Thôn Bắc Sơn",
			"Khóm Châu Long", "Thôn Hòa Bình", "Ấp Long Thạnh"}
		if r.IntN(2) == 0 {
			h := hs[r.IntN(len(hs))]
			if strings.Count(h, "%d") == 2 {
				return []string{fmt.Sprintf(h, 1+r.IntN(30), 1+r.IntN(12))}, "hamlet"
			}
			return []string{fmt.Sprintf(h, 1+r.IntN(20))}, "hamlet"
		}
		return []string{named[r.IntN(len(named))]}, "hamlet"
	}
}

// leftover leaves the tone key of one word typed in Telex or VNI that
// the input method did not convert: "Hà Nộij", "Hà Nội9", "Nam Định5".
func leftover(r *rand.Rand, s string) string {
	words := strings.Split(s, " ")
	for _, i := range r.Perm(len(words)) {
		d := norm.NFD.String(words[i])
		for _, tk := range []struct {
			tone rune
			keys [2]string
		}{{'\u0300', [2]string{"f", "2"}}, {'\u0301', [2]string{"s", "1"}}, {'\u0303', [2]string{"x", "4"}}, {'\u0309', [2]string{"r", "3"}}, {'\u0323', [2]string{"j", "5"}}} {
			tone, keys := tk.tone, tk.keys
			if strings.ContainsRune(d, tone) {
				k := keys[r.IntN(2)]
				if r.IntN(2) == 0 {
					// the mark made and the key printed as well
					return strings.Join(append(words[:i:i], append([]string{words[i] + k}, words[i+1:]...)...), " ")
				}
				words[i] = norm.NFC.String(strings.ReplaceAll(d, string(tone), "")) + k
				return strings.Join(words, " ")
			}
		}
	}
	return s
}
