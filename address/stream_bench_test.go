package address

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/cputime"
	"github.com/dancu-vn/dancu/internal/synth"
)

// realisticStream is the address text `dancu link` reads, in file order:
// native place, permanent and current address of every record of the
// two CSV lists `dancu gen` writes for 20,000 persons (seed 5) — the
// project's model of provincial spreadsheets, with its noise — dated as
// the list is (2024-05-01, 2025-10-01).
//
// DANCU_ADDR_GEN=DIR reads the two lists from DIR instead (the output of
// `dancu gen --formats csv`, e.g. the 560,000 persons of the million-record
// link).
func realisticStream(b testing.TB) ([]string, []time.Time) {
	b.Helper()
	dir := os.Getenv("DANCU_ADDR_GEN")
	if dir == "" {
		dir = generated(b, synth.Config{Persons: 20000, Seed: 5})
	}
	return streamOf(b, dir, "Quê quán", "Nơi thường trú", "Nơi ở hiện tại")
}

// generated writes the CSV lists of `dancu gen` with cfg (its OutDir and
// Formats set here) in a temporary directory and returns it.
func generated(b testing.TB, cfg synth.Config) string {
	b.Helper()
	cfg.OutDir, cfg.Formats = b.TempDir(), []string{"csv"}
	if _, err := synth.Generate(context.Background(), cfg); err != nil {
		b.Fatal(err)
	}
	return cfg.OutDir
}

// streamOf is the text of the columns named cols (those of them the lists
// have, in that order, the empty cells left out) of every record of the
// two CSV lists in dir, in file order, dated as the list is.
func streamOf(b testing.TB, dir string, cols ...string) ([]string, []time.Time) {
	b.Helper()
	var texts []string
	var dates []time.Time
	for _, f := range []struct {
		name string
		date time.Time
	}{{"danhsach_20240501.csv", time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)}, {"danhsach_20251001.csv", time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)}} {
		fh, err := os.Open(filepath.Join(dir, f.name))
		if err != nil {
			b.Fatal(err)
		}
		rows, err := csv.NewReader(fh).ReadAll()
		fh.Close()
		if err != nil {
			b.Fatal(err)
		}
		at := map[string]int{}
		for i, h := range rows[0] {
			at[h] = i
		}
		for _, row := range rows[1:] {
			for _, h := range cols {
				if i, ok := at[h]; ok && i < len(row) && row[i] != "" {
					texts = append(texts, row[i])
					dates = append(dates, f.date)
				}
			}
		}
	}
	return texts, dates
}

// BenchmarkResolveStream resolves the realistic stream once per
// iteration and reports addresses per second (wall and CPU): "memo" with
// Resolve, starting each time with an empty cache of recent results (and
// the share of addresses the cache answered), "codes" likewise with
// ResolveCodes (and the texts or rests searched a pass), "cold" with every address
// resolved afresh:
//
//	go test ./address -run '^$' -bench ResolveStream -benchmem -cpu 1
func BenchmarkResolveStream(b *testing.B) {
	if err := Warm(); err != nil {
		b.Fatal(err)
	}
	texts, dates := realisticStream(b)
	post := make([]bool, len(dates))
	for i, d := range dates {
		post[i] = !d.Before(ReformDate)
	}
	b.Run("memo", func(b *testing.B) {
		b.ReportAllocs()
		var n int
		var searches uint64
		cpu0 := cputime.Process()
		for b.Loop() {
			cache.reset()
			s0 := cache.searches.Load()
			for i, t := range texts {
				Resolve(t, dates[i])
			}
			searches += cache.searches.Load() - s0
			n += len(texts)
		}
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "addr/s")
		if cpu := cputime.Process() - cpu0; cpu > 0 {
			b.ReportMetric(float64(n)/cpu.Seconds(), "addr/cpu-s")
		}
		b.ReportMetric(1-float64(searches)/float64(n), "hit-rate")
	})
	// "codes": the same with ResolveCodes, as dancu link asks
	b.Run("codes", func(b *testing.B) {
		b.ReportAllocs()
		var n int
		var searches uint64
		cpu0 := cputime.Process()
		for b.Loop() {
			cache.reset()
			s0 := cache.searches.Load()
			for i, t := range texts {
				ResolveCodes(t, dates[i])
			}
			searches += cache.searches.Load() - s0
			n += len(texts)
		}
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "addr/s")
		if cpu := cputime.Process() - cpu0; cpu > 0 {
			b.ReportMetric(float64(n)/cpu.Seconds(), "addr/cpu-s")
		}
		b.ReportMetric(float64(searches)/float64(b.N), "searches/op")
	})
	// "words": only the reading of each address's words (tokenizing,
	// repair, the folded words joined), which every address the cache
	// does not answer whole goes through, in turn over the stream
	b.Run("words", func(b *testing.B) {
		g, _ := load()
		st := &state{}
		cpu0 := cputime.Process()
		i := 0
		for b.Loop() {
			st.reset(g, texts[i])
			if i++; i == len(texts) {
				i = 0
			}
		}
		if cpu := cputime.Process() - cpu0; cpu > 0 {
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/addr")
		}
	})
	b.Run("cold", func(b *testing.B) {
		b.ReportAllocs()
		cpu0 := cputime.Process()
		i := 0
		for b.Loop() {
			resolveText(texts[i], post[i], false)
			if i++; i == len(texts) {
				i = 0
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "addr/s")
		if cpu := cputime.Process() - cpu0; cpu > 0 {
			b.ReportMetric(float64(b.N)/cpu.Seconds(), "addr/cpu-s")
		}
	})
}

func realisticStreamT(t *testing.T) ([]string, []time.Time) { return realisticStream(t) }
