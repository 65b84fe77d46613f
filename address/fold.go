package address

import "github.com/dancu-vn/dancu/vn"

// fold and canon are the shared Vietnamese folds (vn): fold for
// the index keys (no diacritics, lower case), canon to tell apart names
// that fold alike.
func fold(s string) string  { return vn.Fold(s) }
func canon(s string) string { return vn.Canon(s) }
