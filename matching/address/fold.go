package address

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// fold is a stand-in for vn.Fold until it lands: NFD, combining marks
// dropped, đ→d, lower case.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case r >= 0x300 && r <= 0x36f:
			continue
		case r == 'đ' || r == 'Đ':
			b.WriteByte('d')
		default:
			b.WriteString(strings.ToLower(string(r)))
		}
	}
	return b.String()
}

// canon is a stand-in for vn.Canon.
func canon(s string) string { return strings.ToLower(norm.NFC.String(s)) }
