package matching_test

import (
	"testing"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/matching/vietnamese"
)

// BenchmarkPersonGuards: a person's guard summary written (PersonGuards'
// Encode, for every person a registry's batch reclusters) and read back
// (for a neighbour's person a grey-zone pair asks about), under the
// shipped Vietnamese guards, over persons of one to five records of a
// generated population; bytes/op is the summaries' mean size.
func BenchmarkPersonGuards(b *testing.B) {
	f, _ := vietnameseCandidates(b, 400)
	s, err := vietnamese.Trained()
	if err != nil {
		b.Fatal(err)
	}
	pg, err := matching.NewPersonGuards(f, s)
	if err != nil {
		b.Fatal(err)
	}
	var persons [][]int32
	var encs [][]byte
	size := 0
	for i := 0; i < f.Len(); i++ {
		var rows []int32
		for k := 0; k < 1+i%5 && i+3*k < f.Len(); k++ {
			rows = append(rows, int32(i+3*k))
		}
		enc, err := pg.Encode(rows)
		if err != nil {
			b.Fatal(err)
		}
		persons, encs, size = append(persons, rows), append(encs, enc), size+len(enc)
	}
	b.Run("encode", func(b *testing.B) {
		b.SetBytes(int64(size / len(encs)))
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := pg.Encode(persons[i%len(persons)]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("decode", func(b *testing.B) {
		b.SetBytes(int64(size / len(encs)))
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if err := matching.DecodePersonGuards(encs[i%len(encs)]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}
