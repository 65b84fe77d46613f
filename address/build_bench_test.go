package address

import "testing"

// BenchmarkBuild measures building the gazetteer from the embedded
// tables, what the first Resolve (or Warm) of a process pays once:
//
//	go test ./address -run '^$' -bench Build -benchmem
func BenchmarkBuild(b *testing.B) {
	for range b.N {
		if _, err := build(); err != nil {
			b.Fatal(err)
		}
	}
}
