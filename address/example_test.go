package address_test

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/dancu-vn/dancu/address"
)

func ExampleResolve() {
	asOf := time.Date(2023, 5, 10, 0, 0, 0, 0, time.UTC)
	r := address.Resolve("123/4 Nguyễn Trãi, P.2, Q.5, TP.HCM", asOf)
	fmt.Println(r.Province.Name, "/", r.District.Name, "/", r.Commune.Name, r.Commune.Code)
	fmt.Println("since 2025:", r.NewCommune.Name, r.NewCommune.Code)
	fmt.Println("street:", r.Street)

	// The same code means different communes on each side of the reform.
	fmt.Println(address.Resolve("00004", asOf).Commune.Name)
	fmt.Println(address.Resolve("00004", address.ReformDate).NewCommune.Name)

	// A post-reform address names no district; the old communes it was
	// made of come back as candidates.
	r = address.Resolve("Thôn Đông, Xã Hồng Vân, TP Hà Nội", time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC))
	fmt.Println(r.NewCommune.Name, "from", len(r.Candidates), "old communes; hamlet:", r.Hamlet)
	// Output:
	// Thành phố Hồ Chí Minh / Quận 5 / Phường 2 27307
	// since 2025: Phường Chợ Quán 27301
	// street: 123/4 Nguyễn Trãi
	// Phường Trúc Bạch
	// Phường Ba Đình
	// Xã Hồng Vân from 7 old communes; hamlet: Thôn Đông
}

func ExampleResult_Normalized() {
	r := address.Resolve("thon 3 xa Ea Kao tp Buon Ma Thuot Dak Lak", time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC))
	fmt.Println(r.Normalized())
	// Output:
	// thon 3, Xã Ea Kao, Thành phố Buôn Ma Thuột, Tỉnh Đắk Lắk
}

func ExampleEvaluate() {
	rep := address.Evaluate([]address.Labelled{
		{Text: "P. Trúc Bạch, Q. Ba Đình, Hà Nội", AsOf: "2024-01-01", ProvinceCode: "01", DistrictCode: "001", CommuneCode: "00004"},
		{Text: "Phường 5, TP.HCM", AsOf: "2024-01-01", ProvinceCode: "79", DistrictCode: "768", CommuneCode: "27046"},
	})
	c := rep.Levels[2]
	fmt.Printf("commune: strict %.2f, lenient %.2f\n", c.Strict(), c.Lenient())
	// Output:
	// commune: strict 0.50, lenient 1.00
}

func ExampleReadLabelled() {
	in := "text,as_of,province_code,district_code,commune_code,new_province_code,new_commune_code,note\n" +
		"\"P. Trúc Bạch, Q. Ba Đình, Hà Nội\",2024-01-01,01,001,00004,01,00004,abbreviations\n"
	xs, err := address.ReadLabelled(strings.NewReader(in))
	if err != nil {
		fmt.Println(err)
		return
	}
	address.WriteEvaluation(os.Stdout, "example", xs)
	// Output:
	// example: all (1 addresses)
	// level              n   strict  lenient   wrong
	// province           1  100.00%  100.00%   0.00%
	// district           1  100.00%  100.00%   0.00%
	// commune            1  100.00%  100.00%   0.00%
	// new_province       1  100.00%  100.00%   0.00%
	// new_commune        1  100.00%  100.00%   0.00%
	//
	// example: dated before 2025-07-01 (pre-reform text) (1 addresses)
	// level              n   strict  lenient   wrong
	// province           1  100.00%  100.00%   0.00%
	// district           1  100.00%  100.00%   0.00%
	// commune            1  100.00%  100.00%   0.00%
	// new_province       1  100.00%  100.00%   0.00%
	// new_commune        1  100.00%  100.00%   0.00%
}

// Resolve remembers recent results: a commune's records repeat their
// addresses, and a repeated one costs a map lookup. An address whose
// first part is only a street or hamlet is looked up without it too.
func ExampleStats() {
	asOf := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	before := address.Stats()
	for _, s := range []string{
		"Thôn 1, Xã Tam Hiệp, H. Phúc Thọ, TP. Hà Nội",
		"Thôn 2, Xã Tam Hiệp, H. Phúc Thọ, TP. Hà Nội",
		"Thôn 1, Xã Tam Hiệp, H. Phúc Thọ, TP. Hà Nội",
	} {
		r := address.Resolve(s, asOf)
		fmt.Println(r.Hamlet, "/", r.Commune.Name)
	}
	after := address.Stats()
	fmt.Println("searches:", after.Searches-before.Searches)
	// Output:
	// Thôn 1 / Xã Tam Hiệp
	// Thôn 2 / Xã Tam Hiệp
	// Thôn 1 / Xã Tam Hiệp
	// searches: 1
}
