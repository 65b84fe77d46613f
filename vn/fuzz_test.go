package vn

import (
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

var fuzzSeeds = []string{
	"", " ", "Nguyễn Văn An", "  NGUYỄN\u00a0văn  thuỷ ", "Nguye\u0302\u0303n", "Tôn Nữ Thị Hoà",
	"NguyÔn V¨n An", "Nguyeãn Vaên An", "Nguye^~n Va(n An", "\xff\xfe", "a\u0301\u0301", "\u0300abc",
	"15/03/1990", "03/25/1990", "1990", "32874", "001 090 012 345", "O79205OO1234", "Nam", "nữ giới",
	"H'Mông", "Ðinh", "ǹ ḿ", "ȘȚ", "İstanbul", "qu gi", "x\u200by", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa á",
}

func addSeeds(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
}

func FuzzFold(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		k := Fold(s)
		if !utf8.ValidString(k) {
			t.Fatalf("Fold(%q) = %q: invalid UTF-8", s, k)
		}
		if Fold(k) != k {
			t.Fatalf("Fold not idempotent: %q → %q → %q", s, k, Fold(k))
		}
	})
}

func FuzzCanon(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		c := Canon(s)
		if !utf8.ValidString(c) {
			t.Fatalf("Canon(%q) = %q: invalid UTF-8", s, c)
		}
		if Canon(c) != c {
			t.Fatalf("Canon not idempotent: %q → %q → %q", s, c, Canon(c))
		}
		if utf8.ValidString(s) && Fold(c) != Fold(s) {
			t.Fatalf("Fold(Canon(%q)) = %q, Fold = %q", s, Fold(c), Fold(s))
		}
		if Clean(Clean(s)) != Clean(s) || !utf8.ValidString(Clean(s)) {
			t.Fatalf("Clean not idempotent on %q", s)
		}
	})
}

func FuzzParseName(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		n := ParseName(s)
		for _, v := range []string{n.Family, n.Middle, n.Given, n.Normalized, n.Key, n.OCRKey} {
			if !utf8.ValidString(v) {
				t.Fatalf("ParseName(%q) = %+v: invalid UTF-8", s, n)
			}
		}
		{
			// The word cache must not change the result. (Compared on the
			// canonical scan, before ParseName's rewrites of the word order:
			// highlandOrder moves "H'Mông" to "H' Mông".)
			scan := func(cache *wordCache) (string, string) {
				var b, k [128]byte
				cb, ck, redo := appendCanonScan(b[:0], k[:0], s, true, true, cache, true, false)
				if redo {
					cb, ck, _ = appendCanonScan(b[:0], k[:0], norm.NFC.String(s), true, true, cache, true, true)
				}
				return string(cb), string(ck)
			}
			nb, kb := scan(nameWordCache())
			cb, ck := scan(nil)
			if cb != nb || ck != kb {
				t.Fatalf("ParseName(%q) scans %q/%q, without the word cache %q/%q", s, nb, kb, cb, ck)
			}
		}
		if n.Key != Fold(n.Normalized) {
			t.Fatalf("ParseName(%q).Key = %q, Fold(Normalized) = %q", s, n.Key, Fold(n.Normalized))
		}
		if n2 := ParseName(n.Normalized); n2 != n {
			t.Fatalf("ParseName not idempotent: %q → %+v → %+v", s, n, n2)
		}
		if m := MaskName(s); !utf8.ValidString(m) {
			t.Fatalf("MaskName(%q) invalid UTF-8", s)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		for _, numeric := range []bool{false, true} {
			d, err := ParseDateCell(s, numeric)
			if err != nil {
				continue
			}
			iso := d.ISO()
			d2, err := ParseDate(iso)
			if err != nil {
				t.Fatalf("ParseDate(%q) = %+v but its ISO %q does not parse: %v", s, d, iso, err)
			}
			d.Swapped = false
			if d2 != d {
				t.Fatalf("ParseDate(%q) = %+v, reparsed ISO %q = %+v", s, d, iso, d2)
			}
		}
	})
}

func FuzzParseSex(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseSex(s)
		if err != nil {
			return
		}
		if v != "M" && v != "F" {
			t.Fatalf("ParseSex(%q) = %q", s, v)
		}
		if v2, err := ParseSex(v); err != nil || v2 != v {
			t.Fatalf("ParseSex(%q) = %q, reparsed %q, %v", s, v, v2, err)
		}
	})
}

func FuzzParseID(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		id := ParseID(s)
		if !utf8.ValidString(id.Number) || !utf8.ValidString(id.Error) {
			t.Fatalf("ParseID(%q) = %+v: invalid UTF-8", s, id)
		}
		if id.Valid {
			if id2 := ParseID(id.Number); id2 != id {
				t.Fatalf("ParseID not idempotent: %q → %+v → %+v", s, id, id2)
			}
			_ = id.Check(1990, "M", "01")
		}
		if m := MaskID(s); !utf8.ValidString(m) {
			t.Fatalf("MaskID(%q) = %q invalid UTF-8", s, m)
		}
	})
}

func FuzzDecode(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		for e := Unicode; e <= Windows1258; e++ {
			d := Decode(e, s)
			if utf8.ValidString(s) && !utf8.ValidString(d) {
				t.Fatalf("Decode(%v, %q) = %q: invalid UTF-8", e, s, d)
			}
			if b := DecodeBytes(e, []byte(s)); !utf8.ValidString(b) {
				t.Fatalf("DecodeBytes(%v, %q) = %q: invalid UTF-8", e, s, b)
			}
		}
		_ = DetectEncoding([]string{s, s}, "")
		_ = ValidSyllable(s)
	})
}
