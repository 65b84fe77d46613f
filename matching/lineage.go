package matching

import "github.com/dancu-vn/dancu/matching/settings"

// lineageOf returns the set of input fields of the frame columns cols
// (settings.Lineage of each).
func (f *Frame) lineageOf(cols []int) map[string]bool {
	out := map[string]bool{}
	for _, ci := range cols {
		for _, in := range settings.Lineage(f.cols[ci].spec) {
			out[in] = true
		}
	}
	return out
}
