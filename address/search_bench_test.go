package address

import (
	"bufio"
	"fmt"
	"os"
	"testing"

	"github.com/dancu-vn/dancu/internal/cputime"
)

// searchedText returns what the resolver searches for text when the
// cache answers nothing (resolveCodes): the text after the first parts
// set aside (detailEnd), as st.text leaves it.
func searchedText(st *state, g *gazetteer, text string) string {
	st.reset(g, text)
	for {
		k := st.detailEnd()
		if k == 0 {
			return st.text
		}
		st.dropLeading(k)
	}
}

// distinctSearches is the realistic stream (see realisticStream;
// DANCU_ADDR_GEN=DIR for a larger one) as the searches it makes: every
// text once by what is searched of it and its era, in the order of
// first appearance — the texts the cache of results never answers, the
// cold path of dancu link's read.
func distinctSearches(b testing.TB) ([]string, []bool) {
	b.Helper()
	if err := Warm(); err != nil {
		b.Fatal(err)
	}
	g, _ := load()
	texts, dates := realisticStream(b)
	type key struct {
		s    string
		post bool
	}
	seen := map[key]bool{}
	st := &state{}
	var ts []string
	var ps []bool
	for i, t := range texts {
		post := !dates[i].Before(ReformDate)
		k := key{searchedText(st, g, t), post}
		if seen[k] {
			continue
		}
		seen[k] = true
		ts, ps = append(ts, t), append(ps, post)
	}
	return ts, ps
}

// searchCodes is resolveCodes of text without the cache: the words read,
// the first parts set aside, the search, the units' ids.
func searchCodes(st *state, g *gazetteer, text string, post bool) [5]int32 {
	st.codesOnly = true
	st.reset(g, text)
	for {
		k := st.detailEnd()
		if k == 0 {
			break
		}
		st.dropLeading(k)
	}
	var res Result
	st.resolve(&res, post)
	return res.ids
}

// searchAll searches every text once (kept out of line: callgrind's
// --toggle-collect names it).
//
//go:noinline
func searchAll(st *state, g *gazetteer, texts []string, post []bool) (sum int32) {
	for i, t := range texts {
		ids := searchCodes(st, g, t, post[i])
		sum += ids[2] + ids[4]
	}
	return sum
}

// BenchmarkSearchDistinct searches every distinct text of the realistic
// stream once an iteration (distinctSearches: no text's search repeats,
// so nothing the cache could answer is counted) and reports the CPU time
// of a search:
//
//	go test ./address -run '^$' -bench SearchDistinct -benchmem -cpu 1
//
// For instruction counts, under callgrind with one iteration:
//
//	GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 GOGC=off DANCU_ADDR_GEN=DIR valgrind --tool=callgrind \
//	  --toggle-collect='*address.searchAll' ./address.test -test.run '^$' -test.bench SearchDistinct -test.benchtime 1x
func BenchmarkSearchDistinct(b *testing.B) {
	texts, post := distinctSearches(b)
	g, _ := load()
	st := &state{}
	b.ReportAllocs()
	cpu0 := cputime.Process()
	var sum int32
	n := 0
	for b.Loop() {
		sum += searchAll(st, g, texts, post)
		n += len(texts)
	}
	if cpu := cputime.Process() - cpu0; cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(n), "cpu-ns/search")
	}
	b.ReportMetric(float64(len(texts)), "searches/op")
	_ = sum
}

// TestDumpSearches writes the units' ids every distinct search of the
// realistic stream gives (see BenchmarkSearchDistinct) to the file
// DANCU_ADDR_SEARCH_DUMP names, one line a text: two builds' files
// compared with cmp show that a change to the search changed no answer.
//
//	DANCU_ADDR_GEN=DIR DANCU_ADDR_SEARCH_DUMP=out.tsv go test ./address -run DumpSearches
func TestDumpSearches(t *testing.T) {
	out := os.Getenv("DANCU_ADDR_SEARCH_DUMP")
	if out == "" {
		t.Skip("DANCU_ADDR_SEARCH_DUMP not set")
	}
	texts, post := distinctSearches(t)
	g, _ := load()
	st := &state{}
	fh, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(fh)
	for i, s := range texts {
		ids := searchCodes(st, g, s, post[i])
		fmt.Fprintf(w, "%s\t%v\t%v\n", s, post[i], ids)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := fh.Close(); err != nil {
		t.Fatal(err)
	}
}
