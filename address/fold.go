package address

import "github.com/dancu-vn/dancu/vn"

// fold is the shared Vietnamese fold (vn) for the index keys: no
// diacritics, lower case. Names that fold alike are told apart by their
// marks (marks.go).
func fold(s string) string { return vn.Fold(s) }
