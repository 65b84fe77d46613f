package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/internal/cputime"
	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/matching/eval"
	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

func newBenchCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "benchmarks of the parts (bench registry)",
	}
	cmd.AddCommand(newBenchRegistryCmd(g))
	return cmd
}

func newBenchRegistryCmd(g *globals) *cobra.Command {
	var (
		persons, batch int
		seed           int64
		dir            string
		keep           bool
		frameRows      int
		setCheckpoint  int
		conflictsOut   string
		clustersOut    string
		memProfile     string
		memLimit       byteSize
		cacheBytes     byteSize
		memTable       byteSize
		baseLevel      byteSize
		levelMult, l0  int
		formats        []string
		profFrom       int
		profOut        string
	)
	cmd := &cobra.Command{
		Use:   "registry",
		Short: "link a generated population through the identity registry, batch by batch",
		Long: `bench registry generates a population (dancu gen, CSV and scanned forms),
feeds its records to a new identity registry in batches of --batch records, and
prints records/s, CPU time, peak memory, the registry's bytes on disk per record,
the time of the last batches (a batch against the whole registry) and pairwise
F1 against the generator's truth. A batch's CPU is given whole and without the
enrichment of its records (the Vietnamese adapter: names parsed and folded,
dates, addresses resolved; the records' coverage), which is the match stage's
preparation, not the score and cluster roles' work: both figures are printed.
At the end the registry is opened again, to time the rebuild of its set of
blocks from the store.`,
		Example: `  dancu bench registry --persons 550000 --dir /tmp/reg1m`,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			applyMemoryLimit(memLimit)
			temporary := dir == ""
			if temporary {
				d, err := os.MkdirTemp("", "dancu-bench-registry")
				if err != nil {
					return err
				}
				dir = d
			}
			if !keep {
				// A --dir given is the user's: only what the bench wrote in
				// it goes (until user23 the whole directory went).
				defer func() {
					if temporary {
						os.RemoveAll(dir)
						return
					}
					os.RemoveAll(filepath.Join(dir, "sources"))
					os.RemoveAll(filepath.Join(dir, "registry"))
				}()
			}
			out := g.stdout
			src := filepath.Join(dir, "sources")
			m, err := synth.Generate(ctx, synth.Config{Persons: persons, Seed: seed, OutDir: src, Formats: formats})
			if err != nil {
				return fmt.Errorf("bench registry: %w", err)
			}
			fmt.Fprintf(out, "generated %d persons, %d records\n", m.Persons, m.Records)
			s, err := vietnamese.Trained()
			if err != nil {
				return err
			}
			regDir := filepath.Join(dir, "registry")
			os.RemoveAll(regDir)
			// The store's options, the same when the registry is opened
			// again below to time the rebuild of its set of blocks.
			rcfg := registry.Config{Dir: regDir, Settings: s, CacheBytes: int64(cacheBytes),
				MemTableBytes: int64(memTable), BaseLevelBytes: int64(baseLevel), LevelMultiplier: levelMult, L0Tables: l0}
			first := rcfg
			first.FrameRows = frameRows
			first.BlockSetCheckpoint = setCheckpoint
			reg, err := registry.Open(first)
			if err != nil {
				return err
			}
			defer reg.Close()
			ad := registry.NewRecords()
			person := make(map[string]string, m.Records)
			conflicts := registryConflicts{}
			label := make(map[string]string, m.Records) // record id → source code, for the truth
			var cpu0 = cputime.Process()
			start := time.Now()
			var linking, enriching time.Duration
			// Wall and process CPU time of the last 5 batches, and the CPU
			// of each without its records' enrichment (score and cluster).
			var last, lastCPU, lastScore []time.Duration
			// The same CPU times of the last 50 batches (the compactions a
			// few batches set off amortised).
			var tailCPU, tailScore []time.Duration
			// The bytes the store's flushes and compactions wrote during
			// each of them: the background work a batch's CPU includes
			// comes in bursts (a compaction into the bottom level now and
			// then), so the window's share of it is printed beside its CPU.
			var tailWritten []uint64
			n := 0
			profiling := false
			var profFile *os.File
			pending := make([]schemas.Record, 0, batch)
			flush := func() error {
				if len(pending) == 0 {
					return nil
				}
				if profOut != "" && !profiling && n >= profFrom {
					pf, err := os.Create(profOut)
					if err != nil {
						return err
					}
					if err := pprof.StartCPUProfile(pf); err != nil {
						return err
					}
					profiling, profFile = true, pf
				}
				w0 := storeWritten(reg)
				t0, c0 := time.Now(), cputime.Process()
				// The enrichment runs on every core (Records.Inputs): the
				// process's CPU while it runs (the store's background
				// compactions meanwhile too, which a batch's Add sets
				// off: little beside it).
				inputs := ad.Inputs(pending)
				enrich := cputime.Process() - c0
				enriching += enrich
				o, err := reg.Add(ctx, inputs)
				if err != nil {
					return err
				}
				d, c := time.Since(t0), cputime.Process()-c0
				linking += d
				last, lastCPU, lastScore = append(last, d), append(lastCPU, c), append(lastScore, c-enrich)
				tailCPU, tailScore = append(tailCPU, c), append(tailScore, c-enrich)
				tailWritten = append(tailWritten, storeWritten(reg)-w0)
				if len(tailCPU) > 50 {
					tailCPU, tailScore, tailWritten = tailCPU[1:], tailScore[1:], tailWritten[1:]
				}
				if len(last) > 5 {
					last, lastCPU, lastScore = last[1:], lastCPU[1:], lastScore[1:]
				}
				for _, l := range o.Links {
					person[l.RecordID] = l.PersonID
				}
				conflicts.add(o.Conflicts)
				n += len(pending)
				if n/100000 != (n-len(pending))/100000 {
					fmt.Fprintf(out, "%9d records  %7.0f records/s  last batch %v\n", n, float64(n)/time.Since(start).Seconds(), d.Round(time.Millisecond))
				}
				pending = pending[:0]
				return nil
			}
			for _, f := range m.Files {
				if !f.IsSource() {
					continue
				}
				sd, err := f.Date()
				if err != nil {
					return err
				}
				rd, err := ingest.Open(filepath.Join(src, f.Name), ingest.Options{SourceDate: sd})
				if err != nil {
					return err
				}
				for {
					it, err := rd.Next()
					if errors.Is(err, io.EOF) {
						break
					}
					if err != nil {
						rd.Close()
						return err
					}
					if it.Record == nil {
						continue
					}
					r := *it.Record
					code := r.SourceRecordID
					if code == "" {
						code = r.FormID
					}
					label[r.RecordID] = code
					pending = append(pending, r)
					if len(pending) == batch {
						if err := flush(); err != nil {
							rd.Close()
							return err
						}
					}
				}
				rd.Close()
			}
			if err := flush(); err != nil {
				return err
			}
			if profiling {
				pprof.StopCPUProfile()
				profFile.Close()
			}
			elapsed := time.Since(start)
			cpu := cputime.Process() - cpu0
			st := reg.Stats()
			if err := reg.Compact(); err != nil {
				return err
			}
			spaces, err := reg.Space()
			if err != nil {
				return err
			}
			// Closed: the set of blocks is saved beside the store.
			c0, t0 := cputime.Process(), time.Now()
			if err := reg.Close(); err != nil {
				return err
			}
			closeWall, closeCPU := time.Since(t0), cputime.Process()-c0
			setFile := dirSize(regDir, "blockset")
			// Reopened: what reading (or rebuilding) the set of blocks costs.
			c0, t0 = cputime.Process(), time.Now()
			reg, err = registry.Open(rcfg)
			if err != nil {
				return err
			}
			openWall := time.Since(t0)
			// The set is built in the background: wait for it.
			rst := reg.Stats()
			for ; !rst.BlockSetReady && time.Since(t0) < 10*time.Minute; rst = reg.Stats() {
				time.Sleep(10 * time.Millisecond)
			}
			openCPU := cputime.Process() - c0
			if err := reg.Close(); err != nil {
				return err
			}
			disk := dirSize(regDir)
			sst := dirSize(regDir, ".sst")
			slices.Sort(last)
			slices.Sort(lastCPU)
			slices.Sort(lastScore)
			ms := func(d time.Duration) time.Duration { return d.Round(time.Millisecond) }
			fmt.Fprintf(out, "records %d in %.1fs (linking %.1fs): %.0f records/s; CPU %.1fs, of which enrichment %.1fs\n", n, elapsed.Seconds(), linking.Seconds(), float64(n)/elapsed.Seconds(), cpu.Seconds(), enriching.Seconds())
			fmt.Fprintf(out, "last %d batches of %d against the registry: median %v, slowest %v; CPU median %v, score+cluster (without the enrichment) median %v (the process's CPU, all cores: a shared machine stretches the wall time, not this)\n",
				len(last), batch, ms(last[len(last)/2]), ms(last[len(last)-1]), ms(lastCPU[len(lastCPU)/2]), ms(lastScore[len(lastScore)/2]))
			mean := func(ds []time.Duration) time.Duration {
				var t time.Duration
				for _, d := range ds {
					t += d
				}
				return t / time.Duration(max(len(ds), 1))
			}
			fmt.Fprintf(out, "CPU mean of the last %d batches %v, score+cluster %v (the compactions a few batches set off, spread over them)\n", len(tailCPU), ms(mean(tailCPU)), ms(mean(tailScore)))
			var tw uint64
			for _, w := range tailWritten {
				tw += w
			}
			fmt.Fprintf(out, "the store's flushes and compactions wrote %.1f MB during those %d batches (%.2f MB a batch; %.2f MB a batch over the whole run): a window that paid for more than its share of them reads dearer\n",
				float64(tw)/1e6, len(tailWritten), float64(tw)/1e6/float64(max(len(tailWritten), 1)),
				float64(st.CompactedBytes+st.Flushed)/1e6/float64(max(st.Batches, 1)))
			fmt.Fprintf(out, "blocks: %d in the registry's set (%.0f MB); new records' blocks looked up in the store %d, skipped as absent %d (%.0f%%), of one member answered by the set %d, of more %d, larger than max_block %d (windows read from their entries in memory %d, %.0f MB of the set)\n",
				st.Blocks, float64(st.BlockSetBytes)/1e6, st.BlockReads, st.BlocksSkipped, 100*float64(st.BlocksSkipped)/float64(max(st.BlockReads+st.BlocksSkipped+st.BlocksKnown+st.BlocksListed+st.BlocksLarge, 1)), st.BlocksKnown, st.BlocksListed, st.BlocksLarge, st.WindowsKept, float64(st.WideBytes)/1e6)
			fmt.Fprintf(out, "comparisons %d, edges %d, largest recluster %d records; candidates read from the store %d (%.1f per record; the others were in the scoring frame); record ids looked up in the store %d (the others the set of ids knew to be new); valid numbers sought in the store %d, skipped %d (the set of ids knew no record carried them)\n",
				st.Comparisons, st.Edges, st.LargestRecluster, st.CandidateReads, float64(st.CandidateReads)/float64(max(n, 1)), st.IDReads, st.NumberReads, st.NumbersSkipped)
			fmt.Fprintf(out, "store: %d compactions (%s) wrote %.1f MB, flushes %.1f MB; tables by level before the final compaction (and what compactions wrote into it, and moved into it):", st.Compactions, compactionKinds(st.CompactionKinds), float64(st.CompactedBytes)/1e6, float64(st.Flushed)/1e6)
			for _, l := range st.Levels {
				fmt.Fprintf(out, " L%d %d files %.1f MB (%.1f MB, %.1f MB);", l.Level, l.Files, float64(l.Bytes)/1e6, float64(l.Compacted)/1e6, float64(l.Moved)/1e6)
			}
			fmt.Fprintln(out)
			fmt.Fprintf(out, "store: what flushes and compactions wrote by key space (MB flushed, MB compacted):")
			for _, f := range st.Families {
				fmt.Fprintf(out, " %s %.1f, %.1f;", f.Name, float64(f.Flushed)/1e6, float64(f.Compacted)/1e6)
			}
			fmt.Fprintln(out)
			fmt.Fprintf(out, "registry state (compacted tables) %.1f MB = %.0f bytes/record; directory with write-ahead logs %.1f MB; peak memory (VmHWM) %s\n",
				float64(sst)/1e6, float64(sst)/float64(max(n, 1)), float64(disk)/1e6, peakRSS())
			how := "rebuilt from the records"
			if rst.BlockSetFromFile {
				how = fmt.Sprintf("read from its file and %d records after it", rst.BlockSetReplayed)
			}
			fmt.Fprintf(out, "closed in %v (CPU %v), the set of blocks saved in a file of %.1f MB (%.0f bytes/record); saved %d times while linking, the last in %v\n",
				ms(closeWall), ms(closeCPU), float64(setFile)/1e6, float64(setFile)/float64(max(n, 1)), st.BlockSetSaves, ms(st.BlockSetSave))
			fmt.Fprintf(out, "reopened (compacted store): open %v; the set of %d blocks %s in the background in %v (ready %v); CPU of both %v\n",
				ms(openWall), rst.Blocks, how, ms(rst.BlockSetLoad), rst.BlockSetReady, ms(openCPU))
			fmt.Fprintf(out, "registry state by key space (compacted; bytes uncompressed, then estimated on disk, per record):\n")
			for _, sp := range spaces {
				fmt.Fprintf(out, "  %c %-20s %11d keys %7.1f B %7.1f B on disk\n", sp.Kind, sp.Name, sp.Keys,
					float64(sp.Bytes)/float64(max(n, 1)), float64(sp.Disk)/float64(max(n, 1)))
			}
			truth := map[string]string{}
			if err := readTruth(filepath.Join(src, "truth.csv"), nil, truth); err == nil {
				pred := make(map[string]string, len(person))
				for id, p := range person {
					pred[label[id]] = p
				}
				mt := eval.Clusters(truth, pred)
				fmt.Fprintf(out, "pairwise precision %.4f recall %.4f F1 %.4f against the truth\n", mt.Precision, mt.Recall, mt.F1)
			}
			lab := func(id string) string {
				if l, ok := label[id]; ok {
					return l
				}
				return id
			}
			if conflictsOut != "" {
				if err := writeConflicts(conflictsOut, conflicts.rows(), lab); err != nil {
					return err
				}
			}
			if clustersOut != "" {
				rows := make([]matching.Assignment, 0, len(person))
				for id, p := range person {
					rows = append(rows, matching.Assignment{RecordID: id, PersonID: p})
				}
				slices.SortFunc(rows, func(a, b matching.Assignment) int { return strings.Compare(a.RecordID, b.RecordID) })
				if err := writeClusters(clustersOut, rows, lab); err != nil {
					return err
				}
			}
			if memProfile != "" {
				if err := writeAllocs(memProfile); err != nil {
					return err
				}
			}
			if planted, err := readConflicts(filepath.Join(src, "conflicts_truth.csv")); err == nil {
				fmt.Fprintf(out, "conflicts open in the registry's output against the planted ones:\n%s", conflictReport(planted, conflicts.open(label), n))
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&persons, "persons", 100000, "persons to generate (about 1.8 records each)")
	cmd.Flags().Int64Var(&seed, "seed", 1, "generator seed")
	cmd.Flags().IntVar(&batch, "batch", 2000, "records per batch")
	cmd.Flags().StringVar(&dir, "dir", "", "working directory, where the bench writes sources/ and registry/ (default: a temporary one)")
	cmd.Flags().BoolVar(&keep, "keep", false, "keep what the bench wrote (else sources/ and registry/ are removed at the end, and a temporary directory whole)")
	cmd.Flags().StringSliceVar(&formats, "formats", []string{"csv", "jsonl"}, "formats to generate and feed (csv: the two spreadsheets; jsonl: the scanned forms)")
	cmd.Flags().StringVar(&conflictsOut, "conflicts", "", "write the conflicts left open in the registry's output to this CSV (the columns of dancu link --conflicts)")
	cmd.Flags().StringVar(&clustersOut, "clusters", "", "write each record's final person to this CSV (the columns of dancu link --out)")
	cmd.Flags().Var(&cacheBytes, "cache", "size of the registry store's block cache, e.g. 256MiB (0: the registry's default)")
	cmd.Flags().Var(&memLimit, "memory-limit", "soft memory limit for the Go runtime, e.g. 4GiB (with GOGC 400: collects rarely until near it, as dancu link does); 0 = the runtime's defaults")
	cmd.Flags().StringVar(&memProfile, "memprofile", "", "write the allocations profile (pprof allocs: -sample_index=alloc_space) at the end of the run to this file")
	cmd.Flags().Var(&memTable, "memtable", "size of the registry store's memtable, e.g. 12MiB (0: the registry's default, 64 MiB or a sixteenth of --memory-limit when more); with --base-level, a small run builds the level tree of a large one")
	cmd.Flags().Var(&baseLevel, "base-level", "size of the registry store's base level, e.g. 12MiB (0: the registry's default, 64 MiB)")
	cmd.Flags().IntVar(&l0, "l0-tables", 0, "level-0 tables the registry store gathers before it compacts them into the base level (0: the registry's default)")
	cmd.Flags().IntVar(&levelMult, "level-multiplier", 0, "how much larger each level of the registry store is than the one above it (0: the registry's default, 5; Pebble's is 10)")
	cmd.Flags().IntVar(&profFrom, "cpuprofile-from", 900000, "start the CPU profile (--cpuprofile) once this many records are linked")
	cmd.Flags().StringVar(&profOut, "cpuprofile", "", "write a CPU profile of the run from the batch that starts at --cpuprofile-from records to the last one (the reading of the input between batches included) to this file")
	cmd.Flags().IntVar(&setCheckpoint, "blockset-checkpoint", 0, "records between two saves of the registry's set of blocks while it links (0: the registry's default, 1,048,576; -1: only when it closes)")
	cmd.Flags().IntVar(&frameRows, "frame-rows", 0, "rows of the scoring frame kept between batches (0: the registry's default; -1: a new frame every batch)")
	return cmd
}

// dirSize sums the sizes of the files in dir (those ending in one of
// suffixes, when given).
// compactionKinds lists the store's compactions by kind ("default 120, move 30"),
// in name order.
func compactionKinds(by map[string]int64) string {
	names := slices.Sorted(maps.Keys(by))
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = fmt.Sprintf("%s %d", k, by[k])
	}
	return strings.Join(parts, ", ")
}

func dirSize(dir string, suffixes ...string) int64 {
	var n int64
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (len(suffixes) == 0 || slices.ContainsFunc(suffixes, func(s string) bool { return strings.HasSuffix(p, s) })) {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// writeAllocs writes the allocations profile of the run so far.
func writeAllocs(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	// The profile holds the allocations up to the last collection's end:
	// one now counts those since (with a high GOGC or a memory limit, a
	// run may make only a few collections, and most of what it allocated
	// would be missing).
	runtime.GC()
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// storeWritten is the bytes the registry's store has written by flushes
// and compactions so far.
func storeWritten(reg *registry.Registry) uint64 {
	st := reg.Stats()
	return st.CompactedBytes + st.Flushed
}
