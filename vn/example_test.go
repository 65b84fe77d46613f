package vn_test

import (
	"fmt"

	"github.com/dancu-vn/dancu/vn"
)

func ExampleParseName() {
	n := vn.ParseName("  TÔN NỮ thị  hoà ")
	fmt.Println(n.Family, "|", n.Middle, "|", n.Given)
	fmt.Println(n.Normalized)
	fmt.Println(n.Key)
	fmt.Println(vn.ParseName("Nquyen").OCRKey == vn.ParseName("Nguyễn").OCRKey)
	fmt.Println(vn.ParseName("Lan").OCRKey == vn.ParseName("Lâm").OCRKey)
	// Output:
	// Tôn Nữ | Thị | Hòa
	// Tôn Nữ Thị Hòa
	// ton nu thi hoa
	// true
	// false
}

func ExampleFold() {
	fmt.Println(vn.Fold("Phường\u00a0Trúc  Bạch, ĐỐNG ĐA"))
	// Output: phuong truc bach, dong da
}

func ExampleCanon() {
	fmt.Println(vn.Canon("Khánh Hoà"), vn.Canon("THUỶ"), vn.Canon("Quý"))
	// Output: khánh hòa thủy quý
}

func ExampleParseDate() {
	for _, s := range []string{"5/3/1990", "03/25/1990", "3/1990", "1990"} {
		d, _ := vn.ParseDate(s)
		fmt.Println(d.ISO(), d.Precision, d.Swapped)
	}
	d, _ := vn.ParseDateCell("32874", true)
	fmt.Println(d.ISO())
	_, err := vn.ParseDate("31/02/1990")
	fmt.Println(err)
	// Output:
	// 1990-03-05 day false
	// 1990-03-25 day true
	// 1990-03 month false
	// 1990 year false
	// 1990-01-01
	// parse date "31/02/1990": day 31 does not exist in 1990-02
}

func ExampleParseSex() {
	for _, s := range []string{"Nữ", "NAM", "nu", "1", "x"} {
		v, err := vn.ParseSex(s)
		fmt.Printf("%q %v\n", v, err)
	}
	// Output:
	// "F" <nil>
	// "M" <nil>
	// "F" <nil>
	// "M" <nil>
	// "" parse sex "x": unknown sex
}

func ExampleParseID() {
	id := vn.ParseID("O79 2O5 OO1 234")
	fmt.Println(id.Valid, id.Kind, id.Number, id.ProvinceCode, id.Century, id.Sex, id.BirthYearSuffix)
	fmt.Println(id.Check(2005, "F", "79"))
	fmt.Println(vn.ParseID("123456789").Kind)
	// Output:
	// true cccd 079205001234 079 21 M 05
	// [sex F, number encodes M]
	// cmnd
}

func ExampleMaskID() {
	fmt.Println(vn.MaskID("001090012345"))
	// Output: 0010******45
}

func ExampleMaskName() {
	fmt.Println(vn.MaskName("Nguyễn Văn An"))
	// Output: Nguyễn V. A.
}

func ExampleDetectEncoding() {
	col := []string{"NguyÔn V¨n An", "TrÇn ThÞ B×nh"}
	e := vn.DetectEncoding(col, "")
	fmt.Println(e, vn.Decode(e, col[0]))
	fmt.Println(vn.DetectEncoding([]string{"Nguyễn Văn An"}, ""))
	fmt.Println(vn.DetectEncoding([]string{"Nguyeãn Vaên An"}, "VNI-Times"))
	// Output:
	// tcvn3 Nguyễn Văn An
	// unicode
	// vni
}

func ExampleDecodeVIQR() {
	fmt.Println(vn.DecodeVIQR("DDa(.ng Thi. Hu+o+ng, Ha` No^.i."))
	// Output: Đặng Thị Hương, Hà Nội.
}

func ExampleDecodeTCVN3() {
	fmt.Println(vn.DecodeTCVN3("NguyÔn V¨n An", false))
	fmt.Println(vn.DecodeTCVN3("nguyÔn v¨n an", true))
	// Output:
	// Nguyễn Văn An
	// NGUYỄN VĂN AN
}

func ExampleDecodeVNI() {
	fmt.Println(vn.DecodeVNI("Nguyeãn Vaên An"))
	// Output: Nguyễn Văn An
}

func ExampleValidSyllable() {
	fmt.Println(vn.ValidSyllable("Nguyễn"), vn.ValidSyllable("hoà"), vn.ValidSyllable("NguyÔn"), vn.ValidSyllable("hàt"))
	// Output: true true false false
}

func ExampleDecodeWindows1258() {
	// "Hà Nội" in code page 1258: base letters followed by tone marks.
	fmt.Println(vn.DecodeWindows1258([]byte{'H', 'a', 0xCC, ' ', 'N', 0xF4, 0xF2, 'i'}))
	// Output: Hà Nội
}

func ExampleClean() {
	fmt.Printf("%q\n", vn.Clean("\u00a0Nguyễn\u200b  Văn\tAn "))
	// Output: "Nguyễn Văn An"
}

func ExampleName_SexHint() {
	fmt.Println(vn.ParseName("Lê Thị Hồng").SexHint(), vn.ParseName("Lê Văn Hồng").SexHint())
	// Output: F M
}

func ExampleID_Check() {
	id := vn.ParseID("030190012345") // registered in Hải Dương, female, born 1990
	fmt.Println(id.Check(1990, "F", "30"))
	fmt.Println(id.Check(1991, "M", "01"))
	// Output:
	// []
	// [birth year 1991, number encodes 1990 sex M, number encodes F birth province 01, number encodes 030]
}

func ExampleAllDigits() {
	for _, s := range []string{"001090012345", "", "0010 9001", "12a", "١٢", "\xff"} {
		fmt.Print(vn.AllDigits(s), " ")
	}
	fmt.Println()
	// Output: true false false false false false
}

// A scanned form's name whose reader put digits for letters: a word one
// reading makes a name word is read so; "8ình" (Bình or Đình) is kept.
func ExampleNameDigitsAsLetters() {
	fmt.Println(vn.NameDigitsAsLetters("N6UYỄN VĂN T0ÁN"))
	fmt.Println(vn.NameDigitsAsLetters("Trần Văn 8ình"))
	// Output:
	// NGUYỄN VĂN TOÁN
	// Trần Văn 8ình
}
