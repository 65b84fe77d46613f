package vn

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/dancu-vn/dancu/internal/refdata"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  Nguyễn\u00a0Văn \t ĐỨC ", "nguyen van duc"},
		{"Nguye\u0302\u0303n", "nguyen"}, // NFD
		{"Trần\u200b Thị", "tran thi"},   // zero-width space
		{"HÒA  hoà", "hoa hoa"},
		{"Ðinh", "dinh"}, // eth look-alike
		{"", ""},
		{"abc", "abc"},
		{"Phường 1, Quận 3", "phuong 1, quan 3"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := string(AppendFold([]byte("x"), tt.in)); got != "x"+tt.want {
			t.Errorf("AppendFold(\"x\", %q) = %q, want %q", tt.in, got, "x"+tt.want)
		}
	}
}

func TestCanon(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Hoà", "hòa"},
		{"hòa", "hòa"},
		{"THUỶ", "thủy"},
		{"Khoẻ", "khỏe"},
		{"quý", "quý"},   // qu: tone stays on y
		{"hoàn", "hoàn"}, // final consonant: same in both styles
		{"Huỳnh", "huỳnh"},
		{"giữa", "giữa"},
		{"già", "già"},
		{"người", "người"},
		{"Nguyễn\u00a0\u00a0Văn", "nguyễn văn"},
		{"Nguye\u0302\u0303n", "nguyễn"},
		{"khuỷu", "khuỷu"},
		{"xoáy", "xoáy"},
		{"H'Mông", "h'mông"},
		{"Xã Hoà Bình,Huyện Hoà Vang (hoà)", "xã hòa bình,huyện hòa vang (hòa)"},
		{"TP.HCM", "tp.hcm"},
	}
	for _, tt := range tests {
		if got := Canon(tt.in); got != tt.want {
			t.Errorf("Canon(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTonePlacementVariants: every pair of encodings/tone_placement_variants.tsv
// folds to one form, in every case, inside words with initials.
func TestTonePlacementVariants(t *testing.T) {
	tab, err := refdata.Load("encodings/tone_placement_variants.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Rows) < 15 {
		t.Fatalf("only %d rows", len(tab.Rows))
	}
	for _, r := range tab.Rows {
		for _, pair := range [][2]string{
			{tab.Get(r, "old_style_kieu_cu"), tab.Get(r, "new_style_kieu_moi")},
			{tab.Get(r, "upper_old"), tab.Get(r, "upper_new")},
			{tab.Get(r, "capitalized_old"), tab.Get(r, "capitalized_new")},
		} {
			for _, init := range []string{"h", "th", "ng", "kh", "x"} {
				old, nw := Canon(init+pair[0]), Canon(init+pair[1])
				if old != nw {
					t.Errorf("Canon(%q) = %q but Canon(%q) = %q", init+pair[0], old, init+pair[1], nw)
				}
				if want := strings.ToLower(init + tab.Get(r, "old_style_kieu_cu")); old != want {
					t.Errorf("Canon(%q) = %q, want old style %q", init+pair[1], old, want)
				}
				// With a final consonant both styles are the same word and
				// must be left alone.
				if c := Canon(init + pair[0] + "n"); c != strings.ToLower(init+pair[0]+"n") && pair[0] == tab.Get(r, "old_style_kieu_cu") {
					if !ValidSyllable(c) {
						t.Errorf("Canon(%q) = %q is not a syllable", init+pair[0]+"n", c)
					}
				}
			}
		}
	}
}

func TestParseName(t *testing.T) {
	tests := []struct {
		in   string
		want Name
	}{
		{"  NGUYỄN\u00a0văn  thuỷ ", Name{"Nguyễn", "Văn", "Thủy", "Nguyễn Văn Thủy", "nguyen van thuy", "nguyen van thuy"}},
		{"Tôn Nữ Thị Hoà", Name{"Tôn Nữ", "Thị", "Hòa", "Tôn Nữ Thị Hòa", "ton nu thi hoa", "ton nu thi hoa"}},
		{"Tôn Thất Thuyết", Name{"Tôn Thất", "", "Thuyết", "Tôn Thất Thuyết", "ton that thuyet", "ton that thuyet"}},
		{"Công Tằng Tôn Nữ Thị Xuân", Name{"Công Tằng Tôn Nữ", "Thị", "Xuân", "Công Tằng Tôn Nữ Thị Xuân", "cong tang ton nu thi xuan", "cong tang ton nu thi xuan"}},
		{"Âu Dương Phong", Name{"Âu Dương", "", "Phong", "Âu Dương Phong", "au duong phong", "au duong phong"}},
		{"Nguyễn Phúc Vĩnh Thụy", Name{"Nguyễn Phúc", "Vĩnh", "Thụy", "Nguyễn Phúc Vĩnh Thụy", "nguyen phuc vinh thuy", "nguyen phuc vinh thuy"}},
		{"Tôn Nữ", Name{"Tôn", "", "Nữ", "Tôn Nữ", "ton nu", "ton nu"}}, // nothing after the compound
		{"Lan", Name{"", "", "Lan", "Lan", "lan", "lan"}},
		{"thị lan", Name{"", "Thị", "Lan", "Thị Lan", "thi lan", "thi lan"}},
		{"Nguyễn V. An", Name{"Nguyễn", "V", "An", "Nguyễn V An", "nguyen v an", "nguyen v an"}},
		{"Trần Thị Ngọc Bích", Name{"Trần", "Thị Ngọc", "Bích", "Trần Thị Ngọc Bích", "tran thi ngoc bich", "tran thi ngoc bich"}},
		{"Nqnyen", Name{"", "", "Nqnyen", "Nqnyen", "nqnyen", "nqnyen"}},
		{"Tr0ng Van A", Name{"Tr0ng", "Van", "A", "Tr0ng Van A", "tr0ng van a", "trong van a"}},
		{"", Name{}},
		{" \u200b ", Name{}},
	}
	for _, tt := range tests {
		if got := ParseName(tt.in); got != tt.want {
			t.Errorf("ParseName(%q) =\n %+v, want\n %+v", tt.in, got, tt.want)
		}
	}
}

// TestOCRKey: the common scanner confusions collide, distinct names do not.
func TestOCRKey(t *testing.T) {
	same := [][]string{
		{"Nguyễn", "NGUYEN", "Nguyên", "Nguyen", "Ngưyễn", "Nquyen"},
		{"Đặng", "Dang", "DANG", "Ðặng"},
		{"Lâm", "Larn", "Lam"},
		{"Hương", "Huong", "Hu'o'ng"},
		{"Sơn", "5on", "Son"},
		{"Long", "L0ng", "1ong"},
		{"Đức", "Duc", "Đức"},
		{"Hòa", "Hoà", "HOA"},
	}
	for _, g := range same {
		k := ParseName(g[0]).OCRKey
		for _, s := range g[1:] {
			if o := ParseName(s).OCRKey; o != k {
				t.Errorf("OCRKey(%q) = %q, OCRKey(%q) = %q: want equal", g[0], k, s, o)
			}
		}
	}
	differ := [][2]string{
		{"Lan", "Lâm"}, {"Lan", "Lam"}, {"Minh", "Mình"[:0] + "Mai"}, {"Tâm", "Tân"}, {"Hải", "Hài"[:0] + "Hà"},
		{"Linh", "Lính"[:0] + "Lình"[:0] + "Lin"}, {"Quang", "Quan"}, {"Thu", "Thư"[:0] + "Thy"}, {"Vy", "Vi"},
		{"Nga", "Ngà"[:0] + "Ngân"}, {"Châu", "Chau"[:0] + "Chi"},
	}
	for _, p := range differ {
		a, b := ParseName(p[0]).OCRKey, ParseName(p[1]).OCRKey
		if a == b {
			t.Errorf("OCRKey(%q) == OCRKey(%q) == %q: distinct names must not collide", p[0], p[1], a)
		}
	}
	// No two names of the shared given-name list that differ in Key may
	// collide in OCRKey: repairs apply only to non-syllables.
	tab := refdata.MustLoad("names/given_names.csv")
	byOCR := map[string]string{}
	for _, r := range tab.Rows {
		n := ParseName(r[0])
		if k, ok := byOCR[n.OCRKey]; ok && k != n.Key {
			t.Errorf("OCRKey %q joins keys %q and %q", n.OCRKey, k, n.Key)
		}
		byOCR[n.OCRKey] = n.Key
	}
}

func TestMaskName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Nguyễn Văn An", "Nguyễn V. A."},
		{"Tôn Nữ Thị Hoà", "Tôn Nữ T. H."},
		{"An", "A."},
		{"", ""},
	}
	for _, tt := range tests {
		if got := MaskName(tt.in); got != tt.want {
			t.Errorf("MaskName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSexHint(t *testing.T) {
	if h := ParseName("Nguyễn Thị Lan").SexHint(); h != "F" {
		t.Errorf("Thị hint = %q", h)
	}
	if h := ParseName("Nguyễn Văn Lan").SexHint(); h != "M" {
		t.Errorf("Văn hint = %q", h)
	}
	if h := ParseName("Nguyễn Lan").SexHint(); h != "" {
		t.Errorf("no middle hint = %q", h)
	}
}

func TestParseDate(t *testing.T) {
	day := func(y, m, d int) Date { return Date{Year: y, Month: m, Day: d, Precision: PrecisionDay} }
	tests := []struct {
		in      string
		numeric bool
		want    Date
		wantErr bool
	}{
		{"15/03/1990", false, day(1990, 3, 15), false},
		{"5/3/1990", false, day(1990, 3, 5), false},
		{"15-03-1990", false, day(1990, 3, 15), false},
		{"15.03.1990", false, day(1990, 3, 15), false},
		{"15 / 03 / 1990", false, day(1990, 3, 15), false},
		{"1990-03-15", false, day(1990, 3, 15), false},
		{"1990-03-15T00:00:00", false, day(1990, 3, 15), false},
		{"15/03/1990 0:00", false, day(1990, 3, 15), false},
		{"15031990", false, day(1990, 3, 15), false},
		{"19900315", false, day(1990, 3, 15), false},
		{"ngày 15 tháng 3 năm 1990", false, day(1990, 3, 15), false},
		{"15/03/90", false, day(1990, 3, 15), false},
		{"15/03/05", false, day(2005, 3, 15), false},
		{"15/03/26", false, day(2026, 3, 15), false},
		{"15/03/27", false, day(1927, 3, 15), false},
		{"03/25/1990", false, Date{Year: 1990, Month: 3, Day: 25, Precision: PrecisionDay, Swapped: true}, false},
		{"1990", false, Date{Year: 1990, Precision: PrecisionYear}, false},
		{"năm 1990", false, Date{Year: 1990, Precision: PrecisionYear}, false},
		{"03/1990", false, Date{Year: 1990, Month: 3, Precision: PrecisionMonth}, false},
		{"1990-03", false, Date{Year: 1990, Month: 3, Precision: PrecisionMonth}, false},
		{"00/03/1990", false, Date{Year: 1990, Month: 3, Precision: PrecisionMonth}, false},
		{"00/00/1990", false, Date{Year: 1990, Precision: PrecisionYear}, false},
		{"29/02/2000", false, day(2000, 2, 29), false},
		{"32874", true, day(1990, 1, 1), false},
		{"32874.5", true, day(1990, 1, 1), false},
		{"1", true, day(1900, 1, 1), false},
		{"61", true, day(1900, 3, 1), false},
		{"1990", true, Date{Year: 1990, Precision: PrecisionYear}, false},
		{"15/03/1990", true, day(1990, 3, 15), false}, // text in a numeric column
		{"60", true, Date{}, true},
		{"29/02/1900", false, Date{}, true},
		{"31/02/1990", false, Date{}, true},
		{"13/13/1990", false, Date{}, true},
		{"15/03/1690", false, Date{}, true},
		{"", false, Date{}, true},
		{"abc", false, Date{}, true},
		{"1/2/3/4", false, Date{}, true},
		{"32873", false, Date{}, true}, // not numeric: 5 digits mean nothing
	}
	for _, tt := range tests {
		got, err := ParseDateCell(tt.in, tt.numeric)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseDateCell(%q, %v) error = %v, want error %v", tt.in, tt.numeric, err, tt.wantErr)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseDateCell(%q, %v) = %+v, want %+v", tt.in, tt.numeric, got, tt.want)
		}
	}
	if _, err := ParseDate("  "); !errors.Is(err, ErrEmptyDate) {
		t.Errorf("blank date error = %v, want ErrEmptyDate", err)
	}
}

func TestDateISO(t *testing.T) {
	for in, want := range map[string]string{"5/3/1990": "1990-03-05", "3/1990": "1990-03", "1990": "1990"} {
		d, err := ParseDate(in)
		if err != nil || d.ISO() != want {
			t.Errorf("ParseDate(%q).ISO() = %q, %v; want %q", in, d.ISO(), err, want)
		}
	}
	if (Date{}).ISO() != "" {
		t.Error("zero Date ISO not empty")
	}
}

func TestParseSex(t *testing.T) {
	for in, want := range map[string]string{
		"Nam": "M", "NAM": "M", "nam": "M", "Nam giới": "M", "M": "M", "male": "M", "1": "M", "trai": "M",
		"Nữ": "F", "nu": "F", "NỮ": "F", "nữ giới": "F", "F": "F", "Female": "F", "0": "F", "2": "F", "gái": "F",
		"Nu\u0303": "F", " nữ ": "F", "Nam.": "M", "(Nữ)": "F",
	} {
		got, err := ParseSex(in)
		if err != nil || got != want {
			t.Errorf("ParseSex(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "x", "X", "?", "khác", "3", "nam nữ"} {
		if got, err := ParseSex(in); !errors.Is(err, ErrUnknownSex) {
			t.Errorf("ParseSex(%q) = %q, %v; want ErrUnknownSex", in, got, err)
		}
	}
}

// TestParseSexWrittenAsFolded: the spellings ParseSex reads as written
// give what their fold gives.
func TestParseSexWrittenAsFolded(t *testing.T) {
	for _, in := range []string{"Nam", "nam", "NAM", "Nữ", "nữ", "NỮ"} {
		got, err := ParseSex(in)
		want, werr := parseSexFolded(in)
		if got != want || err != nil || werr != nil {
			t.Errorf("ParseSex(%q) = %q, %v; folded %q, %v", in, got, err, want, werr)
		}
	}
}

func TestParseID(t *testing.T) {
	tests := []struct {
		in   string
		want ID
	}{
		{"001090012345", ID{Valid: true, Kind: KindCCCD, Number: "001090012345", ProvinceCode: "001", Century: 20, Sex: "M", BirthYearSuffix: "90"}},
		{"001 190.012-345", ID{Valid: true, Kind: KindCCCD, Number: "001190012345", ProvinceCode: "001", Century: 20, Sex: "F", BirthYearSuffix: "90"}},
		{"O79205OO1234", ID{Valid: true, Kind: KindCCCD, Number: "079205001234", ProvinceCode: "079", Century: 21, Sex: "M", BirthYearSuffix: "05"}},
		{"0l9305S0B234", ID{Valid: true, Kind: KindCCCD, Number: "019305508234", ProvinceCode: "019", Century: 21, Sex: "F", BirthYearSuffix: "05"}},
		{"101090012345", ID{Valid: true, Kind: KindCCCD, Number: "101090012345", ProvinceCode: "101", Abroad: true, Century: 20, Sex: "M", BirthYearSuffix: "90"}},
		{"099090012345", ID{Kind: KindCCCD, Number: "099090012345", ProvinceCode: "099", Error: "unknown province or country code 099"}},
		{"123456789", ID{Valid: true, Kind: KindCMND, Number: "123456789"}},
		{"CCCD: 001090012345", ID{Valid: true, Kind: KindCCCD, Number: "001090012345", ProvinceCode: "001", Century: 20, Sex: "M", BirthYearSuffix: "90"}},
		{"Số CMND 123456789", ID{Valid: true, Kind: KindCMND, Number: "123456789"}},
		{"số  cmnd:123 456 789", ID{Valid: true, Kind: KindCMND, Number: "123456789"}},
		{"CCCD", ID{Number: "0", Error: "unexpected characters"}},
		{"001499012345", ID{Kind: KindCCCD, Number: "001499012345", ProvinceCode: "001", Century: 22, Sex: "M", BirthYearSuffix: "99", Error: "encodes birth year 2199, in the future"}},
		{"001399012345", ID{Kind: KindCCCD, Number: "001399012345", ProvinceCode: "001", Century: 21, Sex: "F", BirthYearSuffix: "99", Error: "encodes birth year 2099, in the future"}},
		{"12345", ID{Number: "12345", Error: "5 digits: want 12 (or 9 for a CMND)"}},
		{"", ID{Error: "empty"}},
		{"00109001234x", ID{Number: "00109001234", Error: "unexpected characters"}},
		// A number column written as floats (pandas, a CSV export): the
		// point is no separator, "12345678.0" is not the CMND 123456780.
		{"12345678.0", ID{Number: "12345678", Error: "8 digits: want 12 (or 9 for a CMND)"}},
		{"001090012345.0", ID{Valid: true, Kind: KindCCCD, Number: "001090012345", ProvinceCode: "001", Century: 20, Sex: "M", BirthYearSuffix: "90"}},
		{" 123456789.00 ", ID{Valid: true, Kind: KindCMND, Number: "123456789"}},
		{"012.345.678", ID{Valid: true, Kind: KindCMND, Number: "012345678"}},
	}
	for _, tt := range tests {
		if got := ParseID(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseID(%q) =\n %+v, want\n %+v", tt.in, got, tt.want)
		}
	}
	if y := ParseID("079205001234").BirthYear(); y != 2005 {
		t.Errorf("BirthYear = %d", y)
	}
}

func TestIDCheck(t *testing.T) {
	id := ParseID("030190012345") // Hải Dương, female, 1990
	tests := []struct {
		year  int
		sex   string
		prov  string
		wantN int
	}{
		{1990, "F", "030", 0},
		{1990, "F", "30", 0}, // GSO code before the reform
		{1990, "F", "31", 0}, // and after (Hải Phòng)
		{0, "", "", 0},
		{1991, "F", "", 1},
		{1990, "M", "", 1},
		{2090, "M", "01", 3},
	}
	for _, tt := range tests {
		if got := id.Check(tt.year, tt.sex, tt.prov); len(got) != tt.wantN {
			t.Errorf("Check(%d, %q, %q) = %q, want %d contradictions", tt.year, tt.sex, tt.prov, got, tt.wantN)
		}
	}
	if got := ParseID("12").Check(1990, "M", ""); len(got) != 1 {
		t.Errorf("invalid number Check = %q", got)
	}
	if got := ParseID("123456789").Check(1990, "M", "01"); len(got) != 0 {
		t.Errorf("CMND Check = %q", got)
	}
}

func TestMaskID(t *testing.T) {
	for in, want := range map[string]string{
		"001090012345": "0010******45", "001 090 012 345": "0010******45", "123456789": "1234***89", "12": "**", "": "",
	} {
		if got := MaskID(in); got != want {
			t.Errorf("MaskID(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCanonIdempotentOnCorpus: Canon, Fold and ParseName are stable on
// every name and unit name of the shared tables, and NFD input gives the
// same result as NFC.
func TestCanonIdempotentOnCorpus(t *testing.T) {
	for _, s := range unicodeCorpus(t) {
		c := Canon(s)
		if Canon(c) != c {
			t.Errorf("Canon not idempotent on %q: %q → %q", s, c, Canon(c))
		}
		if Canon(norm.NFD.String(s)) != c {
			t.Errorf("Canon(NFD %q) = %q, want %q", s, Canon(norm.NFD.String(s)), c)
		}
		if Fold(c) != Fold(s) {
			t.Errorf("Fold(Canon(%q)) = %q, Fold = %q", s, Fold(c), Fold(s))
		}
		n := ParseName(s)
		if n2 := ParseName(n.Normalized); n2 != n {
			t.Errorf("ParseName not idempotent on %q: %+v → %+v", s, n, n2)
		}
	}
}

// TestOCRKeyNoise applies one scanner confusion at a time to every name
// word of the shared tables and checks the OCR key comes back, and that
// OCR keys never join two words whose diacritic-free keys differ.
func TestOCRKeyNoise(t *testing.T) {
	words := map[string]bool{}
	for _, f := range []string{"names/surnames.csv", "names/middle_names.csv", "names/given_names.csv"} {
		for _, r := range refdata.MustLoad(f).Rows {
			for _, w := range strings.Fields(r[0]) {
				if ValidSyllable(w) {
					words[w] = true
				}
			}
		}
	}
	confusions := []struct{ from, to string }{
		{"m", "rn"}, {"o", "0"}, {"l", "1"}, {"s", "5"}, {"d", "cl"}, {"g", "q"},
	}
	tried, missed := 0, 0
	byOCR := map[string]string{}
	for w := range words {
		n := ParseName(w)
		if k, ok := byOCR[n.OCRKey]; ok && k != n.Key {
			t.Errorf("OCRKey %q joins keys %q and %q", n.OCRKey, k, n.Key)
		}
		byOCR[n.OCRKey] = n.Key
		key := n.Key
		for _, c := range confusions {
			i := strings.Index(key[1:], c.from) // the confusions seen inside words
			if i < 0 {
				continue
			}
			i++
			noisy := key[:i] + c.to + key[i+len(c.from):]
			tried++
			if got := ParseName(noisy).OCRKey; got != n.OCRKey {
				missed++
				if missed <= 10 {
					t.Errorf("OCRKey(%q) = %q, want %q (from %q)", noisy, got, n.OCRKey, w)
				}
			}
		}
	}
	t.Logf("%d words, %d noisy variants, %d not repaired", len(words), tried, missed)
	if tried < 100 {
		t.Errorf("only %d noisy variants tried", tried)
	}
}

// newStyle rewrites s with new-style tone marks (hoà, thuỷ), for tests.
func newStyle(s string) string {
	var out []string
	for _, w := range strings.Fields(s) {
		rs := []rune(w)
		var ls []letter
		ok := true
		for _, r := range rs {
			l, found := lookup(r)
			if !found || !l.vn {
				ok = false
				break
			}
			ls = append(ls, l)
		}
		if ok {
			from, to := -1, tonePosition(ls, true)
			for i, l := range ls {
				if l.tone != toneNone {
					from = i
				}
			}
			if from >= 0 && to >= 0 && from != to && isVowelBase(ls[from].base) {
				tone := ls[from].tone
				rs[from] = compose(ls[from].base, ls[from].shape, toneNone, ls[from].upper)
				rs[to] = compose(ls[to].base, ls[to].shape, tone, ls[to].upper)
			}
		}
		out = append(out, string(rs))
	}
	return strings.Join(out, " ")
}

// TestToneStylesOnCorpus: every name and unit name written in the new
// style has the same Canon, Key and ParseName as in the old style.
func TestToneStylesOnCorpus(t *testing.T) {
	changed := 0
	for _, s := range unicodeCorpus(t) {
		s = norm.NFC.String(s)
		ns := newStyle(s)
		if ns == s {
			continue
		}
		changed++
		if Canon(ns) != Canon(s) {
			t.Errorf("Canon(%q) = %q, Canon(%q) = %q", ns, Canon(ns), s, Canon(s))
		}
		if a, b := ParseName(ns), ParseName(s); a != b {
			t.Errorf("ParseName(%q) = %+v, ParseName(%q) = %+v", ns, a, s, b)
		}
	}
	t.Logf("%d strings change with the tone style", changed)
	if changed < 50 {
		t.Errorf("only %d strings have a style variant", changed)
	}
}

// TestISOAsFmt checks the hand-made ISO form against fmt's for every
// precision over years, months and days in and out of range.
func TestISOAsFmt(t *testing.T) {
	for _, y := range []int{-5, 0, 7, 99, 1800, 1990, 2100, 9999, 10000, 123456} {
		for _, m := range []int{-1, 0, 1, 9, 12, 99, 100} {
			for _, dd := range []int{-3, 0, 1, 31, 99, 100} {
				for _, p := range []string{PrecisionDay, PrecisionMonth, PrecisionYear, ""} {
					d := Date{Year: y, Month: m, Day: dd, Precision: p}
					if got, want := d.ISO(), d.isoFmt(); got != want {
						t.Errorf("%+v: ISO %q, fmt %q", d, got, want)
					}
				}
			}
		}
	}
}
