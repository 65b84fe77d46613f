package registry

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"log/slog"
	"math"
	"math/bits"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/cockroachdb/pebble"
	"github.com/cockroachdb/pebble/bloom"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/matching/settings"
	"github.com/dancu-vn/dancu/schemas"
)

// Config configures a Registry.
type Config struct {
	// Dir holds the Pebble store (created when missing).
	Dir string
	// Settings with a trained model (and, for scores that do not depend on
	// the registry's contents, frozen term frequencies). Required: a
	// registry never trains.
	Settings *settings.Settings
	// Now stamps events and rows. Default: time.Now.
	Now func() time.Time
	// Sync makes every batch durable on disk before Add returns (slower).
	Sync bool
	// CacheBytes is the size of Pebble's block cache (decompressed
	// blocks of the store's tables, outside the Go heap). Default: a
	// quarter of the Go runtime's soft memory limit when one is set
	// (dancu run and dancu bench registry --memory-limit), at least
	// 256 MB; 256 MB without a limit. See DefaultCacheBytes.
	CacheBytes int64
	// FrameRows bounds the scoring frame kept between batches (the
	// records of recent batches and their candidates, read and prepared
	// once); when it is full, the half used most recently is carried
	// into a new frame. Default: DefaultFrameRows (400,000 rows, more
	// under a soft memory limit); negative: a new frame every batch.
	FrameRows int
	// MemTableBytes and BaseLevelBytes size the store's memtable and its
	// base level (the level level-0 tables are compacted into; the
	// levels below grow by LevelMultiplier). Default: DefaultMemTableBytes (64 MB,
	// more under a soft memory limit) and 64 MB. Smaller values let a
	// bench of 100,000 records build the tree a million records build
	// with the defaults (about five times as many levels' worth of
	// compactions for the state), to measure compaction settings
	// quickly (dancu bench registry --memtable --base-level).
	MemTableBytes, BaseLevelBytes int64
	// LevelMultiplier is how much larger each level below the base
	// level is than the one above it. Default: 5 (Pebble's is 10; see
	// Open).
	LevelMultiplier int
	// L0Tables is how many level-0 tables (sublevels) the store lets
	// gather before it compacts them into the base level. Default: 8
	// (Pebble's is 4; see Open).
	L0Tables int
	// Score, when set, scores each batch's new records instead of the
	// registry (the score role, scaled out: see ScoreFunc); the registry
	// then keeps no blocking index of its own.
	Score ScoreFunc
	// Withdraw, with Score, tells the Scorers of a withdrawal
	// (Registry.Withdraw calls it before it commits): they take the
	// records out of their blocks. Without it the registry drops the
	// edges they return naming records it no longer holds (their ids
	// unknown), but their blocks keep the records' entries, and a record
	// added again under the same id is scored there as the first time.
	Withdraw WithdrawFunc
	// NoCoverage: keep no coverage state and emit no coverage deltas
	// (coverage_deltas.go), for measuring what coverage costs the match
	// stage (coverage's TestLoadSpeed); the aggregates then count nothing.
	NoCoverage bool
	// BlockSetCheckpoint is how many records the registry adds between
	// two saves of its set of blocks beside its store (blockset.go); it is
	// saved when it closes too. Default: DefaultBlockSetCheckpoint;
	// negative: only when it closes.
	BlockSetCheckpoint int
	// NoBlockSetFile: the set of blocks is neither saved nor read from
	// a file, but built from the records at every open (as before reg24),
	// for measuring both.
	NoBlockSetFile bool
}

// Registry is the incremental identity registry of one process.
type Registry struct {
	mu sync.Mutex
	db *pebble.DB
	s  *settings.Settings
	km *matching.KeyMaker
	// generic reads values too many records carry as missing
	// (generic.go); genericBlock is each of its rules' blocking rule,
	// genericFields the blob fields each masks. nil: no generic_values.
	generic       *matching.GenericMasker
	genericBlock  []int
	genericFields [][]int
	// maxBlock is each blocking rule's max_block (windowed), read for
	// every key of a batch: a copy of the rule each time was 1.2% of the
	// registry's CPU.
	maxBlock []int
	fields   []string       // input fields captured, in blob order
	fIndex   map[string]int // field → position
	confs    []string       // confidence keys captured, in blob order
	cIndex   map[string]int
	minW     float32 // match weight of the match threshold
	now      func() time.Time
	// loaded is the time of the batch or withdrawal being applied, as
	// its import stamped it (Input.LoadedAt, Withdrawal.LoadedAt); zero
	// when it carries none (stamped returns the clock then).
	loaded   time.Time
	sync     bool
	next     uint64 // next record sequence
	batch    uint64 // batches committed
	score    ScoreFunc
	scoreOut WithdrawFunc // Config.Withdraw
	stats    Stats
	noCov    bool // Config.NoCoverage
	// apartOf: the records the store holds cannot-links of (police
	// decisions, decide.go), which the clustering then reads.
	apartOf map[uint64]bool
	// wbPerInput is the bytes the last batch's writes took per record
	// given (Add): the next batch's is allocated that large at once.
	wbPerInput int
	// covFields: where the fields a record's coverage state is derived
	// from are in its blob (coverage_derived.go); nil when the settings
	// do not read them all.
	covFields *coverageFields
	// written holds what the blocks the batch wrote hold, for the set of
	// blocks once it commits (scoreLocal, Add).
	written []writtenBlock
	// writtenSet and writtenGrows: the set of blocks and its rehashes
	// (blockSet.grows) when scoreLocal started looking up the blocks of
	// written, whose slots it kept (writtenBlock.slot).
	writtenSet   *blockSet
	writtenGrows int
	// wideKeys holds the written blocks' keys (writtenBlock.keys).
	wideKeys [][]byte
	// cache is the scoring frame kept between batches; cacheRow its row
	// of each record (by sequence), cacheUse the last batch that used
	// each row (by row).
	cache    *matching.Frame
	cacheRow map[uint64]int32
	cacheUse []uint64
	cacheMax int
	// adj is the committed edges of records, for Add's component walk
	// (edgecache.go); nil when Config.Score is set (its edges go through
	// wb).
	adj *edgeCache
	// blocks is every block of the blocking index (blocks.go): for a
	// registry, its only copy (reg22), built from the records when it
	// opens (Add and Withdraw wait for it); for a Scorer, that of its
	// store. nil while it is built (loadBlocks: a Scorer's blocksSince
	// then holds the blocks written since it opened), when its build
	// failed (blocksErr) and when the registry keeps no index
	// (Config.Score).
	blocks, blocksSince *blockSet
	blocksStop          atomic.Bool
	blocksDone          chan struct{} // closed when loadBlocks ends
	blocksReady         chan struct{} // closed when the set of blocks is built (or its build failed)
	blocksErr           error         // why blocks is nil, when its build failed
	// ids holds a hash of every record id the store holds (ids.go); nil
	// while it is built with the set of blocks (idsSince then holds the
	// ids written since the registry opened) and when the registry keeps
	// no set of blocks (Config.Score).
	ids, idsSince *blockSet
	idSeed        maphash.Seed
	// numberReads, numbersSkipped: Stats' NumberReads and NumbersSkipped
	// (numberHolders may run beside the clustering).
	numberReads, numbersSkipped atomic.Int64
	// meter counts what the store's flushes and compactions wrote by key
	// family (store.go).
	meter *familyMeter
	// founders: the records that found a person other than by their ids
	// (withdraw.go, 'y' keys), and those persons (founded); nil while
	// there is none.
	founders map[uint64]string
	founded  map[string]bool
	// tombs says whether the store holds a tombstone (tombstones.go):
	// until it does, Add looks up none.
	tombs bool
	// withdrawing is set while Withdraw reclusters (withdraw.go).
	withdrawing *withdrawing
	// newFirst is the first sequence of the batch's new records while Add
	// reclusters them (personDeltas: their persons' states are derived);
	// expanded holds the whole states of the persons whose derived states
	// the operation expanded, and curUnit the unit of the records a
	// redelivery brought again (coverage_person_derived.go).
	newFirst *uint64
	expanded map[string][]byte
	curUnit  *unit
	// wholePersons keeps every person's state whole, as before cov18
	// (tests compare the outputs both ways).
	wholePersons bool
	// dir is the store's directory; setFile says whether the set of
	// blocks is saved there (blockset.go), every setEvery records;
	// saved, that the store names a file holding the set of its records
	// before savedNext (savedNext stays the last save's when it no
	// longer does).
	dir       string
	setFile   bool
	setEvery  int
	saved     bool
	savedNext uint64
}

// Stats count what the registry did.
type Stats struct {
	Batches, Records, Duplicates int64
	// Refused counts the records refused because their ids were
	// withdrawn (tombstones.go).
	Refused            int64
	Comparisons, Edges int64
	// CandidateReads counts the candidates read from the store and
	// decoded (those not in the scoring frame kept between batches).
	CandidateReads int64
	// BlockReads counts the new records' blocks looked up in the store;
	// BlocksSkipped those the in-memory set of blocks (blocks.go) knew
	// to be absent. Blocks is the set's size, BlockSetLoad the time its
	// rebuild from the store took after the registry opened (0 while it
	// runs: BlockSetReady false).
	BlockReads, BlocksSkipped int64
	// BlocksKnown counts the new records' blocks of one member the set
	// of blocks answered (not looked up in the store).
	BlocksKnown int64
	// GenericMasked counts the new records added without a value that too
	// many records carry (settings' generic_values; generic.go).
	GenericMasked int64
	// BlocksListed counts the new records' blocks of two members or more
	// the set answered from its lists (blocks.go), not the store.
	BlocksListed int64
	// BlocksLarge counts those it knew larger than their max_block, read
	// as windows (members) without a look-up.
	BlocksLarge int64
	// WindowsKept counts the windows of large blocks read from their
	// entries kept in memory (windows.go), not the store.
	WindowsKept int64
	// WideFromStore counts those whose entries were built from their
	// members' records read from the store (storedWide).
	WideFromStore int64
	// WideFromFrame counts the blocks a batch took past their max_block
	// whose entries were built from the scoring frame (frameWide), not
	// read from the store.
	WideFromFrame int64
	// IDReads counts the batches' record ids looked up in the store (to
	// tell a redelivered record): not those the set of ids (ids.go) knew
	// the store does not hold.
	IDReads int64
	// NumberReads counts the valid numbers sought in the index of numbers
	// for the records outside a batch's components that carry them
	// (numberHolders); NumbersSkipped those the set of ids (ids.go) knew
	// no record in the store carries.
	NumberReads, NumbersSkipped int64
	Blocks                      int
	BlockSetReady               bool
	BlockSetLoad                time.Duration
	// BlockSetBytes is the memory the set of blocks takes, of which
	// WideBytes the entries of large blocks (windows.go).
	BlockSetBytes int64
	WideBytes     int64
	// BlockSetFromFile says the set was read from the file it was saved
	// in (blockset.go) and BlockSetReplayed how many records after it were
	// read from the store and added to it; BlockSetSaves counts the saves
	// since the registry opened, BlockSetSave the time of the last one and
	// BlockSetFileBytes its file's size.
	BlockSetFromFile  bool
	BlockSetReplayed  int64
	BlockSetSaves     int64
	BlockSetSave      time.Duration
	BlockSetFileBytes int64

	Persons          int64 // persons written (new or changed), summed over batches
	LargestRecluster int   // most records reclustered in one batch (its components together)
	LastBatch        time.Duration
	// The store's compactions and the bytes they wrote (flushes of the
	// memtable to level 0 apart), from Pebble's metrics.
	Compactions             int64
	CompactedBytes, Flushed uint64
	// CompactionKinds counts the compactions by why Pebble ran them:
	// "default" (a level over its size), "move" (a table moved down
	// without being rewritten), "read" (a table seeked often),
	// "multilevel", "elision", "delete"; kinds that ran none are left out.
	CompactionKinds map[string]int64
	Levels          []LevelSize // the store's tables by level (files, bytes, bytes compactions wrote into it), levels holding some
	// InProgress counts the store's flushes and compactions running, so
	// that a benchmark can wait until a batch's background work is done.
	InProgress int64
	// Families is what the flushes and compactions wrote by key family
	// since the store opened (familyMeter).
	Families []FamilyWrites
}

// LevelSize is what one level of the store holds.
type LevelSize struct {
	Level, Files int
	Bytes        int64
	Compacted    uint64 // written into the level by compactions over the store's life since it opened
	Moved        uint64 // moved into the level by compactions (tables not rewritten) since it opened
}

// Input is one record to add: its id (the canonical record id, unique
// over every source), its source index (for link_only settings) and its
// fields. Get and Conf may be called from several goroutines at once.
type Input struct {
	ID     string
	Source int
	Get    matching.Getter
	Conf   matching.ConfidenceGetter
	// Coverage, when set, is what coverage counts of the record: the
	// registry emits the records' coverage deltas (coverage_deltas.go).
	Coverage *schemas.RecordCoverage
	// LoadedAt is when the record's import loaded it
	// (schemas.Record.LoadedAt); zero when unknown. A batch is dated by
	// the latest of its records' (the clock when none has one): its
	// records' load_month, its persons' updated_at, and so their
	// change_month, so that a batch replayed later gives the same rows.
	LoadedAt time.Time
}

// loadedAt is the latest LoadedAt of in; zero when none has one.
func loadedAt(in []Input) time.Time {
	var t time.Time
	for i := range in {
		if in[i].LoadedAt.After(t) {
			t = in[i].LoadedAt
		}
	}
	return t
}

// stamped is the time of what is being applied: its import's
// (r.loaded), else the clock.
func (r *Registry) stamped() time.Time {
	if !r.loaded.IsZero() {
		return r.loaded
	}
	return r.now()
}

// Output is what a batch changed, for the load stage.
type Output struct {
	Persons   []schemas.Person      // new or changed persons; merged ones with MergedInto
	Links     []schemas.Link        // records that are new or moved to another person
	Conflicts []schemas.Conflict    // conflicts of the persons the batch touched
	Events    []schemas.PersonEvent // merges and splits
	Deltas    []schemas.PersonDelta // coverage deltas of Persons (coverage_deltas.go)
	// RecordDeltas are the records' coverage deltas, summed by unit
	// (coverage_deltas.go).
	RecordDeltas []schemas.RecordDelta `json:",omitempty"`
	// PersonDeltaSums are the persons' coverage deltas summed by unit;
	// Deltas then holds only those whose old state the load stage reads.
	PersonDeltaSums []schemas.PersonDeltaSum `json:",omitempty"`
	// Withdrawn are the record ids a Withdraw took out (not those it did
	// not hold), sorted.
	Withdrawn []string `json:",omitempty"`
	// Refused are the records Add refused, in input order: their ids
	// were withdrawn (tombstones.go).
	Refused []Refusal `json:",omitempty"`
	// AlreadyWithdrawn are the ids a Withdraw named that another
	// corrected file's withdrawal had withdrawn before (tombstones.go).
	AlreadyWithdrawn []Refusal `json:",omitempty"`
	// Generic counts the new records Add took without a value too many
	// records carry (settings' generic_values; generic.go).
	Generic int `json:",omitempty"`
}

// Open opens (or creates) the registry in cfg.Dir. A store written with
// other settings is refused: the blocking index and scores depend on
// them.
func Open(cfg Config) (*Registry, error) {
	r, err := newRegistry(cfg)
	if err != nil {
		return nil, fmt.Errorf("open registry: %w", err)
	}
	cacheSize := cfg.CacheBytes
	if cacheSize <= 0 {
		cacheSize = DefaultCacheBytes()
	}
	cache := pebble.NewCache(cacheSize)
	defer cache.Unref() // the DB holds its own reference
	opts := &pebble.Options{Cache: cache, MemTableSize: uint64(DefaultMemTableBytes()), LBaseMaxBytes: 64 << 20, Logger: pebbleLogger{store: "registry"}, Comparer: comparer}
	if cfg.MemTableBytes > 0 {
		opts.MemTableSize = uint64(cfg.MemTableBytes)
	}
	if cfg.BaseLevelBytes > 0 {
		opts.LBaseMaxBytes = cfg.BaseLevelBytes
	}
	// Levels five times larger each, not Pebble's ten: the bottom level
	// (zstd, most of the state) is then rewritten about half as often
	// per byte that reaches it, for one more Snappy level above it. The
	// blocking keys are hashes, so a compaction into a level rewrites
	// its whole key range: the write amplification into the bottom level
	// is about the multiplier, and zstd's compression through cgo was a
	// quarter of the compactions' CPU (issue 9, reg10: at 100,000
	// records with a million's level tree the compactions of the last
	// 40 batches 4.1-4.4 -> 2.5-2.6 s of CPU; at 1M see docs/registry-rounds.md).
	opts.Experimental.LevelMultiplier = 5
	if cfg.LevelMultiplier > 0 {
		opts.Experimental.LevelMultiplier = cfg.LevelMultiplier
	}
	// Eight level-0 tables before a compaction into the base level, not
	// Pebble's four: the blocking keys are hashes, so each table a flush
	// writes spans the whole key space and each compaction of level 0
	// rewrites the whole base level (zstd when it is the bottom one).
	// Half as many of them, for reads that may look into up to eight
	// level-0 tables (their bloom filters answer most point reads; round
	// 6 found 8 dearer when the block look-ups read the store, which the
	// set of blocks now answers): issue 9, pipe10, at 110,000 persons 9
	// compactions writing 65.7 MB -> 2 writing 38.5 MB, the demo's CPU a
	// row -15% (docs/registry-rounds.md). Writes stop at three times as
	// many, as Pebble's 12 for 4.
	l0 := 8
	if cfg.L0Tables > 0 {
		l0 = cfg.L0Tables
	}
	opts.L0CompactionThreshold, opts.L0StopWritesThreshold = l0, max(12, 3*l0)
	opts.Levels = make([]pebble.LevelOptions, 7)
	for i := range opts.Levels {
		// Bloom filters: most point reads (is this record known?) and
		// block look-ups (a new name, a new number) miss.
		opts.Levels[i].FilterPolicy = bloom.FilterPolicy(10)
		opts.Levels[i].BlockSize = 16 << 10
		// The bottom level holds most of the state, written by
		// compactions and read through the block cache: zstd packs its
		// blocks tighter than Snappy (issue 9: bytes per record). The
		// levels above it keep Snappy: the blocking keys are hashes, so
		// every level-0 compaction rewrites the whole base level, and
		// zstd there cost more CPU than the bytes it saved (issue 9,
		// round 6: at 100k records with a 1M-like tree, 74 → 63 s of
		// CPU, the same 317 B/record compacted).
		if i == len(opts.Levels)-1 {
			opts.Levels[i].Compression = pebble.ZstdCompression
		}
	}
	// One level-0 table a flush, not tables of 2 MB cut where level 0's
	// sublevels and the base level's tables fall: where Pebble cut them
	// depended on the bytes of each, so a few bytes more (a coverage
	// state) moved the cuts, the intervals a level-0 compaction picks and
	// so the whole schedule of compactions. With one table a flush a
	// level-0 compaction takes every table of level 0 and the base level
	// under it, and the schedule depends on the number of flushes alone
	// (issue 11 point 6, cov21; BenchmarkMatchStagePaired at 200,000
	// records: the store with coverage compacted 3.3 and 10.0 MB more than
	// the one without at memtables of 64 and 128 MiB, now 0.2–0.3 MB;
	// before reg22's store without a blocking index, 17.2, 5.4 and 0.4 MB
	// at 64, 96 and 128 MiB). Most families are spread over their key
	// space (record ids, persons, edges); the records' fields, keyed by
	// sequence, are rewritten in the base level with the rest (with a
	// million's level tree at 100,000 records the compactions wrote 87.7
	// against 86.4 MB: docs/coverage-speed.md). The levels below keep
	// Pebble's sizes (2 MB doubling a level; 128 MB at the bottom), which
	// Pebble would otherwise derive from level 0's.
	for i := range opts.Levels {
		opts.Levels[i].TargetFileSize = 2 << 20 << i
	}
	opts.Levels[0].TargetFileSize = 1 << 40
	opts.FlushSplitBytes = 1 << 40
	r.meter = &familyMeter{}
	opts.AddEventListener(r.meter.listener())
	db, err := openStore("registry "+cfg.Dir, cfg.Dir, opts)
	if err != nil {
		return nil, err
	}
	r.db = db
	if err := checkFingerprint(db, "registry "+cfg.Dir, r.s); err != nil {
		db.Close()
		return nil, err
	}
	if r.next, _, err = getUint64(db, metaKey("next")); err != nil {
		db.Close()
		return nil, fmt.Errorf("open registry: %w", err)
	}
	if r.batch, _, err = getUint64(db, metaKey("batch")); err != nil {
		db.Close()
		return nil, fmt.Errorf("open registry: %w", err)
	}
	// A store written before round 11 is migrated (coverage_deltas.go).
	if err := upgradePersonValues(db, r.next == 0); err != nil {
		db.Close()
		return nil, fmt.Errorf("open registry %s: %w", cfg.Dir, err)
	}
	if r.apartOf, err = loadApart(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open registry: %w", err)
	}
	if err := r.loadFounders(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open registry: %w", err)
	}
	if r.tombs, err = hasTombstones(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open registry: %w", err)
	}
	if r.score == nil {
		if err := r.startBlockSet(db, r.maxBlock, true); err != nil {
			db.Close()
			return nil, fmt.Errorf("open registry: %w", err)
		}
	}
	return r, nil
}

// DefaultCacheBytes is the block cache a registry opened without
// Config.CacheBytes gets: a quarter of the Go runtime's soft memory limit
// (debug.SetMemoryLimit, --memory-limit) when one is set, at least
// 256 MB; else 256 MB. A block read outside the cache is read from disk,
// checked and, on the zstd levels, decompressed whole (16 KB) for the
// one record or block it holds: at a million records a 256 MB cache
// held a third of the store's decompressed tables and decompression was
// a fifth of the CPU (issue 9). The cache is allocated outside the Go
// heap, so the process's memory is the limit and the cache.
func DefaultCacheBytes() int64 {
	return max(256<<20, quarterOfMemoryLimit())
}

// DefaultMemTableBytes is the memtable of a registry opened without
// Config.MemTableBytes: 64 MB, or, under a soft memory limit, a
// sixteenth of the limit when that is more (256 MB at 4 GiB). The
// blocking keys are hashes, so every table a flush writes overlaps the
// whole base level and each compaction of level 0 rewrites it: the fewer
// the flushes, the fewer times the state is written again (issue 9,
// round 7: at 100,000 records with a million's level tree, --memtable
// 12MiB --base-level 12MiB, the compactions wrote 582 MB; with a memtable
// twice as large 222 MB and four times as large 114 MB, the CPU 44.3,
// 35.9 and 31.3 s). Like the block cache, memtables are outside the Go
// heap; Pebble keeps at most two.
func DefaultMemTableBytes() int64 {
	return max(64<<20, quarterOfMemoryLimit()/4)
}

// quarterOfMemoryLimit returns a quarter of the Go runtime's soft memory
// limit in bytes, or 0 when none is set.
func quarterOfMemoryLimit() int64 {
	if lim := debug.SetMemoryLimit(-1); lim > 0 && lim < math.MaxInt64 {
		return lim / 4
	}
	return 0
}

// DefaultFrameRows bounds the scoring frame of a registry opened without
// Config.FrameRows: 400,000 rows, or, under a soft memory limit, a
// quarter of the limit at 1 KiB a row when that is more (a frame row —
// the record's prepared values, its share of the value tables, its id —
// measured about 700 bytes of live heap at 181k records). The frame is
// the registry's cache of decoded candidates: a record it holds is
// compared without being read from the store, decoded and prepared
// again (at a million records with 400,000 rows, 3.9 of a new record's
// 19.6 candidates were read from the store: issue 9).
func DefaultFrameRows() int {
	return int(max(400000, quarterOfMemoryLimit()/1024))
}

// newRegistry checks the settings and prepares what reading records
// needs (no store).
func newRegistry(cfg Config) (*Registry, error) {
	if cfg.Settings == nil || cfg.Settings.Model == nil {
		return nil, errors.New("settings with a trained model are required (dancu train writes one; the Vietnamese one is embedded)")
	}
	s := cfg.Settings.WithDefaults()
	if err := s.Validate(); err != nil {
		return nil, err
	}
	km, err := matching.NewKeyMaker(matching.NewFrame(s), s)
	if err != nil {
		return nil, err
	}
	r := &Registry{s: s, km: km, fIndex: map[string]int{}, cIndex: map[string]int{}, now: cfg.Now, sync: cfg.Sync,
		minW: float32(matching.MatchWeight(s.Thresholds.Match)), score: cfg.Score, scoreOut: cfg.Withdraw, cacheMax: cfg.FrameRows, noCov: cfg.NoCoverage,
		dir: cfg.Dir, setFile: !cfg.NoBlockSetFile && cfg.Score == nil, setEvery: cfg.BlockSetCheckpoint}
	if r.setEvery == 0 {
		r.setEvery = DefaultBlockSetCheckpoint
	}
	if cfg.Score == nil {
		r.adj = &edgeCache{}
	}
	if r.cacheMax == 0 {
		r.cacheMax = DefaultFrameRows()
	}
	if len(s.Blocking) > maxSetRules {
		return nil, fmt.Errorf("registry: %d blocking rules; the registry takes at most %d", len(s.Blocking), maxSetRules)
	}
	for i := range s.Blocking {
		r.maxBlock = append(r.maxBlock, km.Rule(i).MaxBlock)
	}
	if r.now == nil {
		r.now = time.Now
	}
	for _, c := range s.Columns {
		for _, in := range c.Fields() {
			if _, ok := r.fIndex[in]; !ok {
				r.fIndex[in] = len(r.fields)
				r.fields = append(r.fields, in)
			}
		}
		if c.Confidence != "" {
			if _, ok := r.cIndex[c.Confidence]; !ok {
				r.cIndex[c.Confidence] = len(r.confs)
				r.confs = append(r.confs, c.Confidence)
			}
		}
	}
	r.covFields = newCoverageFields(r.fIndex)
	if err := r.genericRules(); err != nil {
		return nil, err
	}
	return r, nil
}

// checkFingerprint records the settings' fingerprint in a new store and
// refuses a store written with other settings; dir names the store in
// errors ("registry /path").
func checkFingerprint(db *pebble.DB, dir string, s *settings.Settings) error {
	fp := fingerprint(s)
	v, c, err := db.Get(metaKey("settings"))
	switch {
	case errors.Is(err, pebble.ErrNotFound):
		if err := db.Set(metaKey("settings"), []byte(fp), pebble.Sync); err != nil {
			return fmt.Errorf("open %s: %w", dir, err)
		}
	case err != nil:
		return fmt.Errorf("open %s: %w", dir, err)
	default:
		old := string(v)
		c.Close()
		if old != fp {
			return fmt.Errorf("open %s: it was built with other settings or another model (%s, now %s): if this process should run the model the registry was built with, start it with the same --settings; to move the registry to the new model, stop every stage, move the directory aside (keep it until the new one is rebuilt: it is the way back to the old model) and start again, and it is rebuilt from the changelog (README, \"Upgrading the model, and rebuilding the registry\")", dir, old, fp)
		}
	}
	return nil
}

// Fingerprint names the settings and model a store was built with: the
// settings' name and version and a hash of the whole settings, model
// included. Two processes that must score alike (the match stage and its
// score instances) compare it.
func Fingerprint(s *settings.Settings) string { return fingerprint(s) }

// Revision numbers what a store keeps for the same settings: bump it when
// a change of code — not of settings — changes the fields, keys or
// summaries a store holds for a record, so that a store written before is
// refused and rebuilt instead of answering unlike a rebuilt one (rv10:
// acc19's current address taken as the permanent one changed records'
// blocking keys, the Ê Đê name split their stored names, and the guards'
// summaries gained the month and day, none of it in the settings' hash).
// Revision 2: those three (6 December 2026). Stores of revision 1 carry no
// "r" in their fingerprint.
const Revision = 2

// fingerprint names the settings and model a store was built with, and
// the store's Revision.
func fingerprint(s *settings.Settings) string {
	b, _ := json.Marshal(s)
	h := sha256.Sum256(b)
	return fmt.Sprintf("%s v%d %x r%d", s.Name, s.Version, h[:8], Revision)
}

// Close closes the store.
func (r *Registry) Close() error {
	if r.blocksDone != nil {
		r.blocksStop.Store(true)
		<-r.blocksDone
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.db == nil {
		return nil
	}
	r.closeBlockSet()
	err := r.db.Close()
	r.db = nil
	return err
}

// Compact compacts the whole store (old versions and deleted keys go), so
// that its size on disk is the state's.
func (r *Registry) Compact() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.db == nil {
		return errors.New("registry compact: registry closed")
	}
	if err := r.db.Flush(); err != nil {
		return fmt.Errorf("registry compact: %w", err)
	}
	return r.db.Compact([]byte{0}, []byte{0xff}, true)
}

// Stats returns a snapshot of the counters.
func (r *Registry) Stats() Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := r.stats
	st.NumberReads, st.NumbersSkipped = r.numberReads.Load(), r.numbersSkipped.Load()
	st.Blocks, st.BlockSetReady, st.BlockSetBytes = r.blocks.len(), r.blocks != nil, r.blocks.bytes()
	if r.blocks != nil && r.blocks.wide != nil {
		st.WideBytes = r.blocks.wide.bytes
	}
	if r.db != nil {
		m := r.db.Metrics()
		st.Compactions = m.Compact.Count
		st.CompactionKinds = map[string]int64{}
		for k, n := range map[string]int64{"default": m.Compact.DefaultCount, "move": m.Compact.MoveCount, "read": m.Compact.ReadCount,
			"multilevel": m.Compact.MultiLevelCount, "elision": m.Compact.ElisionOnlyCount, "delete": m.Compact.DeleteOnlyCount} {
			if n > 0 {
				st.CompactionKinds[k] = n
			}
		}
		st.InProgress = m.Compact.NumInProgress + m.Flush.NumInProgress
		st.Families = r.meter.families()
		for l, lm := range m.Levels {
			st.CompactedBytes += lm.BytesCompacted
			st.Flushed += lm.BytesFlushed
			if lm.NumFiles > 0 || lm.BytesCompacted > 0 || lm.BytesMoved > 0 {
				st.Levels = append(st.Levels, LevelSize{Level: l, Files: int(lm.NumFiles), Bytes: lm.Size, Compacted: lm.BytesCompacted, Moved: lm.BytesMoved})
			}
		}
	}
	return st
}

// Len returns the number of records the registry has taken in (its
// arrival sequence): records withdrawn since still count, so it is 0 only
// for a registry that never held a record (the match stage replays the
// changelog into such a one).
func (r *Registry) Len() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.next
}

// Settings returns the settings (with defaults) the registry scores with.
func (r *Registry) Settings() *settings.Settings { return r.s }

// PersonID is the id of a person whose founding record (its earliest
// record) is recordID: "P" and 16 base32 characters of its SHA-256.
// Different founding records give different ids, whatever process
// computes them.
func PersonID(recordID string) string {
	h := sha256.Sum256([]byte("dancu person\x00" + recordID))
	return "P" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(h[:10]))
}

func (r *Registry) capture(in Input) *recordBlob {
	b := &recordBlob{ID: in.ID, Source: in.Source, Fields: make([]string, len(r.fields)), Conf: make([]int16, len(r.confs))}
	for i, f := range r.fields {
		b.Fields[i] = in.Get(f)
	}
	for i, k := range r.confs {
		b.Conf[i] = -1
		if in.Conf != nil {
			if x, ok := in.Conf(k); ok {
				b.Conf[i] = int16(matching.ConfidenceByte(x))
			}
		}
	}
	return b
}

// captureAll captures the inputs on every core (deriving the fields —
// name parsing, address resolution — is most of a record's cost).
func (r *Registry) captureAll(in []Input) []*recordBlob {
	out := make([]*recordBlob, len(in))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(in)/64))
	var wg sync.WaitGroup
	chunk := (len(in) + workers - 1) / workers
	for lo := 0; lo < len(in); lo += chunk {
		hi := min(lo+chunk, len(in))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				out[i] = r.capture(in[i])
			}
		}()
	}
	wg.Wait()
	return out
}

// addToFrame appends a stored record to f.
func (r *Registry) addToFrame(f *matching.Frame, b *recordBlob) error {
	get, conf := r.accessors(b)
	return f.Add(b.ID, b.Source, get, conf)
}

// accessors returns a stored record's field and OCR-confidence getters,
// as the frame's Add takes them.
func (r *Registry) accessors(b *recordBlob) (get func(string) string, conf func(string) (float32, bool)) {
	get = func(field string) string {
		if i, ok := r.fIndex[field]; ok {
			return b.Fields[i]
		}
		return ""
	}
	conf = func(k string) (float32, bool) {
		if i, ok := r.cIndex[k]; ok && b.Conf[i] >= 0 {
			return float32(b.Conf[i]) / 255, true
		}
		return 0, false
	}
	return get, conf
}

// addAllToFrame appends stored records to f, in order, as addToFrame
// one after the other would (matching.Batch, the same frame): their
// values are prepared in consecutive parts on every core, then each
// column's are looked up in its table column by column instead of a
// record's forty tables one after the other — the frame's Add was a
// tenth of the registry's CPU in batches of 20,000 (issue 9), most of it
// the look-ups. A record already in f stops it: the records before it
// are added, and the error names it.
func (r *Registry) addAllToFrame(f *matching.Frame, bs []*recordBlob) error {
	if len(bs) == 0 {
		return nil
	}
	slot := func(field string) int {
		if i, ok := r.fIndex[field]; ok {
			return i
		}
		return -1
	}
	n := parts(len(bs), minFramePerWorker)
	batches := make([]*matching.Batch, n)
	for k := range batches {
		batches[k] = f.NewBatch() // here: NewBatch sets up f, the parts only read it
	}
	inParts(len(bs), minFramePerWorker, func(k, lo, hi int) error {
		mb := batches[k]
		mb.Grow(hi - lo)
		for _, b := range bs[lo:hi] {
			get, conf := r.accessors(b)
			mb.AddSlotted(b.ID, b.Source, slot, b.Fields, get, conf)
		}
		return nil
	})
	done := 0
	for _, mb := range batches {
		k, err := f.AddBatch(mb)
		if err != nil {
			return fmt.Errorf("record %s: %w", bs[done+k].ID, err)
		}
		done += k
	}
	return nil
}

// scan looks up n keys of one kind, given in ascending order, through
// one iterator (each seek starts where the last ended, cheaper than n
// point reads), calling found with the index and value of those present.
// The keys are whole prefixes (the comparer splits only blocking-index
// keys), so each look-up is a prefix seek: a table whose Bloom filter
// says it does not hold the key is not searched (a new record's id, in
// no table; a record's person, in one).
func (r *Registry) scan(rd pebble.Reader, kind byte, n int, key func(int) []byte, found func(int, []byte) error) error {
	if n == 0 {
		return nil
	}
	it, err := rd.NewIter(&pebble.IterOptions{LowerBound: []byte{kind}, UpperBound: []byte{kind + 1}})
	if err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		k := key(i)
		if it.SeekPrefixGE(k) && bytes.Equal(it.Key(), k) {
			if err := found(i, it.Value()); err != nil {
				it.Close()
				return err
			}
		}
	}
	return errors.Join(it.Error(), it.Close())
}

// readBlobs reads the records of seqs (ascending), all of which must be
// stored, calling fn with each.
func (r *Registry) readBlobs(rd pebble.Reader, seqs []uint64, fn func(int, *recordBlob) error) error {
	n := 0
	err := r.scan(rd, kRecord, len(seqs), func(i int) []byte { return seqKey(kRecord, seqs[i]) }, func(i int, v []byte) error {
		n++
		b, err := decodeBlob(v, len(r.fields), len(r.confs))
		if err != nil {
			return fmt.Errorf("record %d: %w", seqs[i], err)
		}
		return fn(i, b)
	})
	if err == nil && n != len(seqs) {
		err = fmt.Errorf("%d of %d records missing from the store", len(seqs)-n, len(seqs))
	}
	return err
}

// batchToken identifies a batch by its record ids, for the re-flush of a
// batch whose output was not written.
func batchToken(in []Input) []byte {
	h := sha256.New()
	for _, x := range in {
		h.Write([]byte(x.ID))
		h.Write([]byte{0})
	}
	return h.Sum(nil)
}

// Add links a batch of records into the registry: each new record is
// scored against the members of its blocks, edges at or above the review
// threshold are stored, and the components the new edges touch are
// clustered again with the offline rule (matching.Cluster). It returns
// what changed. Records already in the registry (a redelivery) are not
// added again; their current person and link are returned, and a batch
// identical to the last one returns the last output again, so that a
// re-flush after a failed write emits the same rows.
func (r *Registry) Add(ctx context.Context, in []Input) (*Output, error) {
	r.waitBlocks()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.db == nil {
		return nil, errors.New("registry add: registry closed")
	}
	next, batch, stats := r.next, r.batch, r.stats
	r.loaded = loadedAt(in)
	out, err := r.add(ctx, in)
	r.loaded = time.Time{}
	if err != nil {
		// Nothing was committed (the store's batch is applied whole or
		// not at all), but the batch's new records were numbered and
		// added to the scoring frame: forget them, so that the same
		// records added again are new records, not repeated ids. The
		// frame is started again (it is a cache of the store).
		r.next, r.batch, r.stats = next, batch, stats
		r.cache, r.cacheRow, r.cacheUse = nil, map[uint64]int32{}, nil
		r.written = r.written[:0]
	}
	return out, err
}

// waitBlocks waits until the set of blocks is built (or its build
// ended): a batch and a withdrawal read and change it, the store keeping
// no blocking index (reg22). Called without r.mu, which the build takes
// to install the set.
func (r *Registry) waitBlocks() {
	if r.blocksReady != nil {
		<-r.blocksReady
	}
}

// rebuildBlocks builds the set of blocks again from the records, after
// a batch or a withdrawal found it did not know what it should (why): a
// fault of this code, not of the store. Until it is built, every batch
// fails.
func (r *Registry) rebuildBlocks(why error) {
	slog.Error("registry: the set of blocks is built again from the records", "err", why)
	r.blocks = nil
	it, err := r.db.NewIter(&pebble.IterOptions{LowerBound: []byte{kRecord}, UpperBound: []byte{kRecord + 1}})
	if err == nil {
		var s *blockSet
		if s, err = r.readRecordBlockSet(it, &r.blocksStop, r.maxBlock); err == nil {
			r.blocks = s
			return
		}
	}
	r.blocksErr = err
}

// writeOpts is how a batch, decision or withdrawal commits: synced
// when Config.Sync says so.
func (r *Registry) writeOpts() *pebble.WriteOptions {
	if r.sync {
		return pebble.Sync
	}
	return pebble.NoSync
}

// lastAgain is the output kept for an identical re-flush (kLast) when
// token names the last call, nil when it names another (or none). A kept
// output that does not read is an error, not a call to run again: a
// withdrawal run again withdraws nothing and so returns nothing, and a
// batch run again would hide a store that no longer reads.
func (r *Registry) lastAgain(token []byte) (*Output, error) {
	v, c, err := r.db.Get([]byte{kLast})
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if !bytes.HasPrefix(v, token) {
		return nil, nil
	}
	out, err := r.decodeLastOutput(v[len(token):])
	if err != nil {
		return nil, fmt.Errorf("output kept for a re-flush: %w", err)
	}
	return &out, nil
}

// add is Add under the registry's lock.
func (r *Registry) add(ctx context.Context, in []Input) (*Output, error) {
	start := r.now()
	r.written = r.written[:0]
	token := batchToken(in)
	if out, err := r.lastAgain(token); err != nil {
		return nil, fmt.Errorf("registry add: %w", err)
	} else if out != nil {
		r.stats.Duplicates += int64(len(in))
		return out, nil
	}

	wb := r.db.NewIndexedBatchWithSize(r.wbPerInput * len(in))
	defer wb.Close()
	// The scoring frame: new records and their candidates, kept from
	// batch to batch (a record's row does not change; scores do not
	// depend on the other rows), so that the members of the blocks every
	// batch touches are read and prepared once; renewed when it holds
	// more than Config.FrameRows rows.
	if r.cache == nil || r.cache.Len() > r.cacheMax {
		if err := r.renewCache(); err != nil {
			return nil, fmt.Errorf("registry add: %w", err)
		}
	}
	f := r.cache
	// Sized for the batch (grown from empty, they were rehashed on the
	// way: 1% of the registry's CPU in batches of 20,000).
	rowOf := make(map[uint64]int32, len(in))
	blobs := make(map[uint64]*recordBlob, len(in))
	var newSeqs []uint64
	var known []uint64
	seen := make(map[string]bool, len(in))
	var newCovs []*schemas.RecordCoverage // the new records' coverage (writeNewIDs), none without coverage
	first := r.next
	// The new records: known ones (a redelivery) are looked up in the
	// store, in key order through one iterator; not those the set of ids
	// knows the store does not hold (ids.go).
	ids := make([]string, 0, len(in))
	for _, x := range in {
		if r.mayHold(x.ID) {
			ids = append(ids, x.ID)
		}
	}
	r.stats.IDReads += int64(len(ids))
	slices.Sort(ids)
	knownSeq := map[string]uint64{}
	kept := map[string][]byte{} // their coverage states (coverage_deltas.go)
	if err := r.scan(r.db, kID, len(ids), func(i int) []byte { return idKey(ids[i]) }, func(i int, v []byte) error {
		seq, state, err := parseIDValue(v)
		if err != nil {
			return fmt.Errorf("record %s: %w", ids[i], err)
		}
		knownSeq[ids[i]] = seq
		if len(state) > 0 && !r.noCov {
			kept[ids[i]] = slices.Clone(state)
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("registry add: %w", err)
	}
	// Records whose ids were withdrawn are refused (tombstones.go).
	in, refused, err := r.withoutRefused(in, ids, knownSeq)
	if err != nil {
		return nil, fmt.Errorf("registry add: %w", err)
	}
	r.stats.Refused += int64(len(refused))
	captured := r.captureAll(in)
	for xi, x := range in {
		if seen[x.ID] {
			continue
		}
		seen[x.ID] = true
		if seq, ok := knownSeq[x.ID]; ok {
			known = append(known, seq)
			r.stats.Duplicates++
			continue
		}
		seq := r.next
		if seq > maxSeq {
			return nil, fmt.Errorf("registry add %s: the registry holds %d records, as many as its keys can number", x.ID, seq)
		}
		r.next++
		r.noteID(x.ID)
		b := captured[xi]
		blobs[seq] = b
		newSeqs = append(newSeqs, seq)
		if !r.noCov {
			newCovs = append(newCovs, x.Coverage)
		}
	}
	if len(seen) < len(in) && !r.noCov {
		// An id twice in the batch: its state is its last copy's that has
		// one (recordDeltas).
		last := make(map[string]*schemas.RecordCoverage, len(seen))
		for _, x := range in {
			if x.Coverage != nil {
				last[x.ID] = x.Coverage
			}
		}
		for i, seq := range newSeqs {
			newCovs[i] = last[blobs[seq].ID]
		}
	}
	// Added to the frame together (addAllToFrame), rows in sequence order.
	fresh := make([]*recordBlob, len(newSeqs))
	for i, seq := range newSeqs {
		fresh[i] = blobs[seq]
	}
	row0 := f.Len()
	if err := r.addAllToFrame(f, fresh); err != nil {
		return nil, fmt.Errorf("registry add: %w", err)
	}
	for i, seq := range newSeqs {
		rowOf[seq] = int32(row0 + i)
		r.cacheRow[seq] = int32(row0 + i)
		r.cacheUse = append(r.cacheUse, r.batch)
	}
	// Values too many records carry, read as missing before the records
	// are stored and keyed (generic.go).
	out0Generic, err := r.maskGeneric(wb, f, newSeqs, rowOf, blobs)
	if err != nil {
		return nil, fmt.Errorf("registry add: %w", err)
	}
	// The new records' values, each encoded into one buffer (the batch
	// copies it), not an allocation of its own grown on the way.
	var key, val []byte
	for _, seq := range newSeqs {
		b := blobs[seq]
		key = appendSeq(append(key[:0], kRecord), seq)
		val = b.appendCompact(slices.Grow(val[:0], b.compactLen()))
		wb.Set(key, val, nil)
	}
	r.stats.Records += int64(len(newSeqs))
	score := r.scoreLocal
	if r.score != nil {
		score = r.scoreRemote
	}
	// The batch's records are numbered from first on: none has a
	// committed edge.
	be := &batchEdges{from: first}
	blockKeys, err := score(ctx, wb, f, newSeqs, rowOf, blobs, be)
	if err != nil {
		return nil, fmt.Errorf("registry add: %w", err)
	}
	if r.score != nil {
		be = nil // scoreRemote writes its edges to wb
	}
	r.batch++
	if len(newSeqs) > 0 && !r.wholePersons {
		r.newFirst = &newSeqs[0]
	}
	out, err := r.recluster(ctx, wb, be, blobs, newSeqs, known, "edges")
	r.newFirst, r.expanded, r.curUnit = nil, nil, nil
	if err != nil {
		return nil, fmt.Errorf("registry add: %w", err)
	}
	if err := r.expandRecordStates(r.db, kept, knownSeq); err != nil {
		return nil, fmt.Errorf("registry add: %w", err)
	}
	states, batchKey, err := r.recordDeltas(wb, in, len(seen) == len(in), knownSeq, kept, out)
	if err != nil {
		return nil, fmt.Errorf("registry add: %w", err)
	}
	// The ids' values: the sequence and the coverage state (of the new
	// records, derived from their blobs where they say it, and of known
	// ones whose state changed).
	if err := r.writeNewIDs(wb, newSeqs, blobs, newCovs, batchKey); err != nil {
		return nil, fmt.Errorf("registry add: %w", err)
	}
	for id, state := range states {
		if seq, ok := knownSeq[id]; ok {
			wb.Set(idKey(id), idValue(seq, state), nil)
			if len(kept[id]) == 0 {
				wb.Delete(recordCoverageKey(id), nil) // kept under its own key before round 7
			}
		}
	}
	out.Refused = refused
	out.Generic = out0Generic
	enc, err := marshalLastOutput(out)
	if err != nil {
		return nil, fmt.Errorf("registry add: %w", err)
	}
	wb.Set([]byte{kLast}, encodeLast(token, enc), nil)
	wb.Set(metaKey("next"), u64(r.next), nil)
	wb.Set(metaKey("batch"), u64(r.batch), nil)
	opt := r.writeOpts()
	var edges []edge
	if be != nil {
		// Every block entry ('b') comes before every number's ('n').
		edges, blockKeys = be.dir, append(blockKeys, be.numbers...)
	}
	if err := commitSorted(r.db, wb, blockKeys, edges, opt); err != nil {
		r.adj.reset()
		return nil, fmt.Errorf("registry add: %w", err)
	}
	// Committed: the cache of edges learns the batch's (edgecache.go).
	r.adj.commit(edges, first)
	r.adj.newRecords(first, r.next)
	if len(in) > 0 {
		r.wbPerInput = wb.Len() / len(in)
	}
	// Committed: the set of blocks learns what the blocks hold (while it
	// is built, written is empty: the blocks written meanwhile are
	// noted apart, loadBlocks).
	if r.blocks != nil {
		err := r.updateWide()
		// The slots scoreLocal found (one probe a block), unless the set
		// was rehashed or replaced since.
		kept := r.blocks == r.writtenSet && r.blocks.slotsKept(r.writtenGrows)
		for _, w := range r.written {
			if kept {
				r.blocks.setCountAt(w.slot, w.rule, w.hash, w.committed, w.batch, w.n, r.maxBlock[w.rule])
			} else {
				r.blocks.setCount(w.rule, w.hash, w.committed, w.batch, w.n, r.maxBlock[w.rule])
			}
		}
		if err != nil {
			r.rebuildBlocks(err)
		}
	}
	r.written, r.wideKeys = r.written[:0], r.wideKeys[:0]
	r.stats.Batches++
	r.stats.Persons += int64(len(out.Persons))
	r.stats.LastBatch = r.now().Sub(start)
	r.maybeSaveBlockSet()
	return out, nil
}

// renewCache starts a new scoring frame and carries into it the rows of
// the old one used most recently, up to half of Config.FrameRows, copied
// without decoding (matching.RowCopier): the members of the blocks
// batches keep touching (common names, large households) stay, the rest
// is read again from the store when a batch needs it.
func (r *Registry) renewCache() error {
	old, oldRow, oldUse := r.cache, r.cacheRow, r.cacheUse
	r.cache, r.cacheRow, r.cacheUse = matching.NewFrame(r.s), map[uint64]int32{}, nil
	keep := r.cacheMax / 2
	if old == nil || keep <= 0 {
		return nil
	}
	seqOf := make([]uint64, old.Len())
	for seq, row := range oldRow {
		seqOf[row] = seq
	}
	rows := make([]int32, old.Len())
	for i := range rows {
		rows[i] = int32(i)
	}
	// Most recently used first; of equals, the later rows.
	slices.SortFunc(rows, func(a, b int32) int {
		if oldUse[a] != oldUse[b] {
			return cmpDesc(oldUse[a], oldUse[b])
		}
		return int(b - a)
	})
	rows = rows[:min(keep, len(rows))]
	slices.Sort(rows)
	r.cache.Grow(len(rows))
	rc, err := matching.NewRowCopier(r.cache, old)
	if err != nil {
		return err
	}
	copied := make([]int, len(rows))
	for k, row := range rows {
		copied[k] = int(row)
	}
	if err := rc.CopyRows(copied); err != nil {
		// Rows copied in part: the frame starts empty instead.
		r.cache, r.cacheRow, r.cacheUse = matching.NewFrame(r.s), map[uint64]int32{}, nil
		return err
	}
	for k, row := range rows { // the new frame's rows 0, 1, …
		r.cacheRow[seqOf[row]] = int32(k)
		r.cacheUse = append(r.cacheUse, oldUse[row])
	}
	return nil
}

func cmpDesc(a, b uint64) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}

// scoreLocal scores the new records (rows 0..len(newSeqs)-1 of f)
// against their blocking candidates, found through the registry's
// blocking index, the set of blocks in memory (blocks.go, windows.go),
// and puts the edges in be.dir (not in wb: batchEdges). It returns no
// keys to write: since reg22 the store keeps no block entries (twelve
// keys a record; the set is built from the records when the registry
// opens).
func (r *Registry) scoreLocal(ctx context.Context, wb *pebble.Batch, f *matching.Frame, newSeqs []uint64, rowOf map[uint64]int32, blobs map[uint64]*recordBlob, be *batchEdges) ([][]byte, error) {
	// Their blocking keys, and the committed members of every block they
	// name, read in key order through one iterator (each seek starts
	// where the last ended) and at most max_block+1 per block: a larger
	// block is read as a window around each record (members).
	keysOf := make([][]matching.RowKey, len(newSeqs))
	// Every block the batch names, once (bs), and the block of each of a
	// record's keys (blockOf[i][k], an index into bs). The keys are
	// sorted by block (a map from block to index was 5% of the
	// registry's CPU in 20,000-record batches), the blocks in the order
	// of their slots in the set of blocks (sortKeyRefs), so that the
	// look-ups and the commit's writes move forward through the set's
	// arrays.
	var bs []batchBlock // allocated below, once the blocks are counted
	blockOf := make([][]int32, len(newSeqs))
	// Blocks the set of blocks does not hold are not in the store:
	// not looked up, and are added to it, once each: every block this
	// batch writes is then in the set (added before the batch commits:
	// if it does not, the set holds a block the store does not, a look-up
	// for nothing, never the other way). While the set is built, every
	// block is looked up and noted (noteBlock).
	inParts(len(newSeqs), minKeysPerWorker, func(_, lo, hi int) error {
		for i := lo; i < hi; i++ {
			keysOf[i] = r.km.Keys(f, int(rowOf[newSeqs[i]]), make([]matching.RowKey, 0, len(r.s.Blocking)))
		}
		return nil
	})
	nKeys, keyBytes := 0, 0
	for _, ks := range keysOf {
		nKeys += len(ks)
		for _, rk := range ks {
			keyBytes += blockPrefixLen + len(rk.Sort) + 1 + seqLen // appendBlockKey
		}
	}
	// refs: every key of the batch (its place in flat) by block.
	refs := make([]keyRef, 0, nKeys)
	all := make([]int32, nKeys)
	recOf := make([]int32, nKeys) // the record of each place in flat
	flat := all
	for i := range newSeqs {
		blockOf[i], flat = flat[:len(keysOf[i]):len(keysOf[i])], flat[len(keysOf[i]):]
		for _, rk := range keysOf[i] {
			recOf[len(refs)] = int32(i)
			refs = append(refs, keyRef{rk.Hash, int32(rk.Rule), int32(len(refs))})
		}
	}
	refs = sortKeyRefs(refs)
	newBlock := func(j int) bool {
		return j == 0 || refs[j].rule != refs[j-1].rule || refs[j].hash != refs[j-1].hash
	}
	nBlocks := 0
	for j := range refs {
		if newBlock(j) {
			nBlocks++
		}
	}
	bs = make([]batchBlock, 0, nBlocks)
	ones := make([]uint64, nBlocks) // the committed member of blocks the set knows have one
	// The batch's entries of block x are refs[bs[x].lo:bs[x].hi], in the
	// order of their records (one key a rule: a record is in a block
	// once): refSeq holds their records, posOf the place in refs of each
	// place in flat. A record's members of the batch are then the
	// entries before its own, a slice of refSeq, and its entry's key is
	// keyOf at its place (nothing appended block by block).
	refSeq := make([]uint64, nKeys)
	posOf := make([]int32, nKeys)
	// Each block's slot in the set, found once, in the order of the
	// slots. The blocks the set does not hold are added below, after room
	// is made for as many (reserve), so that no rehash moves the slots
	// found (the commit would probe again): a set that must grow for them
	// grows first, as much as adding them would grow it, and its slots
	// are found again.
	var found []int
	if r.blocks != nil {
		find := func() (missing int) {
			found = found[:0]
			for j, e := range refs {
				if newBlock(j) {
					i := r.blocks.findBlock(int(e.rule), e.hash)
					if i < 0 {
						missing++
					}
					found = append(found, i)
				}
			}
			return missing
		}
		found = make([]int, 0, nBlocks)
		if r.blocks.reserve(find()) {
			find()
		}
		r.writtenSet, r.writtenGrows = r.blocks, r.blocks.grows
	}
	for j, e := range refs {
		if newBlock(j) {
			if len(bs) > 0 {
				bs[len(bs)-1].hi = int32(j)
			}
			rule := int(e.rule)
			x := int32(len(bs))
			bs = append(bs, batchBlock{id: blockID{rule, e.hash}, lo: int32(j)})
			// The set knows every block's members (the store keeps no
			// blocking index: reg22). The block is probed for once: its
			// slot answers the questions below and, kept in written, the
			// commit's (setCountAt), unless the set rehashes meanwhile.
			if r.blocks == nil {
				return nil, fmt.Errorf("the set of blocks was not built: %w", r.blocksErr)
			}
			i := found[x]
			switch {
			case i < 0:
				i = r.blocks.addID(blockSetID(rule, e.hash), blockTag(rule, e.hash))
				r.stats.BlocksSkipped++
			case r.blocks.emptyAt(i):
				r.stats.BlocksSkipped++
			default:
				if seq, ok := r.blocks.singleAt(i, rule); ok {
					ones[x] = seq
					bs[x].committed = ones[x : x+1 : x+1]
					r.stats.BlocksKnown++
				} else if ms, ok := r.blocks.listedAt(i, rule); ok {
					bs[x].committed = ms
					r.stats.BlocksListed++
				} else if r.blocks.largeAt(i, rule) && r.blocks.wide.get(bs[x].id) != nil {
					bs[x].large = true
					bs[x].wide = r.blocks.wide.get(bs[x].id)
					r.stats.BlocksLarge++
				} else {
					// A block of a rule without max_block past maxListed.
					return nil, fmt.Errorf("block %d/%x: its members not known to the set of blocks", rule, e.hash)
				}
			}
			bs[x].slot = i
		}
		all[e.at] = int32(len(bs) - 1)
		refSeq[j] = newSeqs[recOf[e.at]]
		posOf[e.at] = int32(j)
	}
	if len(bs) > 0 {
		bs[len(bs)-1].hi = int32(len(refs))
	}
	// A candidate pair: the new record a and the member b, and their
	// rows in f (rb is set once b is in f).
	type cand struct {
		a, b   uint64
		ra, rb int32
	}
	var cands []cand
	// The batch's block entries: keys holds them one after the other
	// (keyOf's keys, by place in refs, are slices of it).
	keys := make([]byte, 0, keyBytes)
	keyOf := make([][]byte, nKeys)
	at := 0       // place in flat of record i's first key
	var me []byte // a record's entry's suffix, for the windows kept in memory
	for i, seq := range newSeqs {
		// Candidates: members of each block so far (earlier records of
		// this batch included, as if they had come one by one).
		start := len(cands)
		ra := rowOf[seq]
		add := func(m uint64) { cands = append(cands, cand{a: seq, b: m, ra: ra}) }
		for k, rk := range keysOf[i] {
			b := &bs[blockOf[i][k]]
			j := posOf[at+k]
			if b.wide == nil && !b.tried && windowedAt(r.maxBlock[rk.Rule], len(b.committed)+int(j-b.lo)) {
				// Past its max_block within the batch: its entries
				// from the frame, when it can (windows.go).
				b.tried = true
				if b.wide = r.frameWide(f, b); b.wide == nil {
					var err error
					if b.wide, err = r.storedWide(b); err != nil {
						return nil, err
					}
				}
			}
			if b.wide != nil {
				// The block's entries are kept (windows.go); the batch's
				// earlier ones are keyOf[b.lo:j].
				me = appendSeq(append(append(me[:0], rk.Sort...), 0), seq)
				b.wide.window(me, sideWindow(r.km.Rule(rk.Rule)), keyOf[b.lo:j], add)
				r.stats.WindowsKept++
				continue
			}
			if b.large || windowedAt(r.maxBlock[rk.Rule], len(b.committed)+int(j-b.lo)) {
				return nil, fmt.Errorf("block %d/%x: larger than its max_block, its entries not known", rk.Rule, rk.Hash)
			}
			for _, m := range b.committed {
				add(m)
			}
			for _, m := range refSeq[b.lo:j] {
				add(m)
			}
		}
		// Each candidate once (a record shares several blocks with
		// most of its candidates): sorted, the repeats dropped. Their
		// order does not matter: they are scored in the order of
		// their rows.
		mine := cands[start:]
		slices.SortFunc(mine, func(x, y cand) int { return cmp.Compare(x.b, y.b) })
		cands = cands[:start+len(slices.CompactFunc(mine, func(x, y cand) bool { return x.b == y.b }))]
		for k, rk := range keysOf[i] {
			n := len(keys)
			keys = appendBlockKey(keys, rk, seq)
			keyOf[posOf[at+k]] = keys[n:len(keys):len(keys)]
		}
		at += len(keysOf[i])
	}
	// The blocks are in the order of their slots in the set of blocks
	// (sortKeyRefs), and so the commit writes them (setCountAt).
	// What each block holds once the batch commits, for the set of
	// blocks (Add): one member, or more.
	r.written, r.wideKeys = slices.Grow(r.written[:0], len(bs)), r.wideKeys[:0]
	if r.blocks != nil {
		for _, b := range bs {
			w := writtenBlock{rule: b.id.rule, hash: b.id.hash, slot: b.slot, committed: b.committed, batch: refSeq[b.lo:b.hi], wide: b.wide}
			// committed is every member the store holds unless the
			// block is larger than its max_block (readBlocks stops
			// there, large reads none): it then holds more.
			w.n = len(w.committed) + len(w.batch)
			if m := r.maxBlock[b.id.rule]; b.large || m > 0 && len(b.committed) > m {
				w.n = m + 1 + len(w.batch)
			}
			if windowedAt(r.maxBlock[b.id.rule], w.n) {
				if w.wide == nil && !b.tried {
					// Past its max_block with its last entry.
					if w.wide = r.frameWide(f, &b); w.wide == nil {
						var err error
						if w.wide, err = r.storedWide(&b); err != nil {
							return nil, err
						}
					}
				}
				w.fresh = w.wide != nil && !b.large
				// Its entries, for those kept (updateWide): keyOf is
				// reordered below.
				n := len(r.wideKeys)
				r.wideKeys = append(r.wideKeys, keyOf[b.lo:b.hi]...)
				w.keys = r.wideKeys[n:len(r.wideKeys):len(r.wideKeys)]
			}
			r.written = append(r.written, w)
		}
	}
	// Candidate records: in the frame already (this batch's or an
	// earlier one's: the frame's rows are all in cacheRow), else from the
	// store (committed), in key order, once each (rowOf marks them).
	var stored []uint64
	missing := false
	for k := range cands {
		c := &cands[k]
		if row, ok := r.cacheRow[c.b]; ok {
			c.rb = row
			r.cacheUse[row] = r.batch
			continue
		}
		c.rb, missing = -1, true
		if _, ok := rowOf[c.b]; !ok {
			rowOf[c.b] = -1
			stored = append(stored, c.b)
		}
	}
	slices.Sort(stored)
	// Read and decoded on every core (consecutive parts of the keys, an
	// iterator each), added to the frame in order.
	read := make([]*recordBlob, len(stored))
	if err := inParts(len(stored), minBlocksPerWorker, func(_, lo, hi int) error {
		return r.readBlobs(r.db, stored[lo:hi], func(i int, b *recordBlob) error {
			read[lo+i] = b
			return nil
		})
	}); err != nil {
		return nil, err
	}
	row0 := f.Len()
	if err := r.addAllToFrame(f, read); err != nil {
		return nil, err
	}
	for i, b := range read {
		rowOf[stored[i]] = int32(row0 + i)
		r.cacheRow[stored[i]] = int32(row0 + i)
		r.cacheUse = append(r.cacheUse, r.batch)
		blobs[stored[i]] = b
	}
	r.stats.CandidateReads += int64(len(stored))
	if missing {
		for k := range cands {
			if c := &cands[k]; c.rb < 0 {
				c.rb = rowOf[c.b]
			}
		}
	}
	// Scored in the order of the candidates' rows: the frame keeps each
	// column in one array of every row (a million at 1M records), and
	// a batch's candidates are spread over all of them, so that each value
	// a comparison reads was a cache and TLB miss; in row order the reads
	// of each column move forward through memory (the new records' rows
	// are together at the end). The pairs are the same in any order.
	// (No two candidates have the same rows: the order is total.)
	cands = sortInParts(cands, func(x, y cand) int {
		if x.rb != y.rb {
			return cmp.Compare(x.rb, y.rb)
		}
		return cmp.Compare(x.ra, y.ra)
	}, minSortPerWorker)
	pairs := make([][2]int32, len(cands))
	for i, c := range cands {
		pairs[i] = [2]int32{c.ra, c.rb}
	}
	scored, err := scorePairs(f, r.s, pairs)
	if err != nil {
		return nil, err
	}
	r.stats.Comparisons += int64(len(pairs))
	r.stats.Edges += int64(len(scored))
	// The scored pairs come in the order given: walk the candidates
	// alongside for their records' sequence numbers. Both ways, in key
	// order, for the recluster and the commit (batchEdges), not through
	// wb.
	be.dir = make([]edge, 0, 2*len(scored))
	c := 0
	for _, p := range scored {
		for min(pairs[c][0], pairs[c][1]) != p.A || max(pairs[c][0], pairs[c][1]) != p.B {
			c++
		}
		a, b := cands[c].a, cands[c].b
		c++
		be.dir = append(be.dir, edge{a, b, p.Weight}, edge{b, a, p.Weight})
	}
	slices.SortFunc(be.dir, func(x, y edge) int {
		if x.a != y.a {
			return cmp.Compare(x.a, y.a)
		}
		return cmp.Compare(x.b, y.b)
	})
	return nil, nil
}

// scoreRemote hands the new records, one Item per blocking key, to the
// ScoreFunc and stores the edges it returns between records the
// registry holds (an edge naming a record it does not hold yet comes
// again with that record's batch).
func (r *Registry) scoreRemote(ctx context.Context, wb *pebble.Batch, f *matching.Frame, newSeqs []uint64, rowOf map[uint64]int32, blobs map[uint64]*recordBlob, _ *batchEdges) ([][]byte, error) {
	var items []Item
	seqOf := map[string]uint64{}
	for _, seq := range newSeqs {
		b := blobs[seq]
		seqOf[b.ID] = seq
		enc := b.encode()
		for _, k := range r.km.Keys(f, int(rowOf[seq]), nil) {
			items = append(items, Item{ID: b.ID, Blob: enc, Key: k})
		}
	}
	if len(items) == 0 {
		return nil, nil
	}
	edges, err := r.score(ctx, items)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, e := range edges {
		for _, id := range []string{e.A, e.B} {
			if _, ok := seqOf[id]; !ok {
				seqOf[id] = math.MaxUint64
				ids = append(ids, id)
			}
		}
	}
	slices.Sort(ids)
	if err := r.scan(r.db, kID, len(ids), func(i int) []byte { return idKey(ids[i]) }, func(i int, v []byte) error {
		seq, _, err := parseIDValue(v)
		if err != nil {
			return fmt.Errorf("record %s: %w", ids[i], err)
		}
		seqOf[ids[i]] = seq
		return nil
	}); err != nil {
		return nil, err
	}
	done := map[[2]uint64]bool{}
	for _, e := range edges {
		a, b := seqOf[e.A], seqOf[e.B]
		if a == math.MaxUint64 || b == math.MaxUint64 || a == b || done[[2]uint64{min(a, b), max(a, b)}] {
			continue
		}
		done[[2]uint64{min(a, b), max(a, b)}] = true
		r.stats.Edges++
		wb.Set(adjKey(a, b), f32(e.Weight), nil)
		wb.Set(adjKey(b, a), f32(e.Weight), nil)
	}
	return nil, nil
}

type blockID struct {
	rule int
	hash uint64
}

// writtenBlock is a block a batch wrote: how many members it holds once
// the batch commits, n (at least), and which when n is their number:
// committed, then batch.
type writtenBlock struct {
	rule int
	hash uint64
	// slot: the block's in the set of blocks when scoreLocal looked it
	// up, still its own if the set has not rehashed since
	// (Registry.writtenGrows).
	slot             int
	committed, batch []uint64
	n                int
	// keys: the batch's entries of a block larger than its max_block
	// (full keys, in any order), for its entries kept in memory
	// (updateWide); wide, those entries when the batch read its windows
	// there.
	keys [][]byte
	wide *wideBlock
	// fresh: wide holds the block's committed entries built from the
	// frame (frameWide), not the set's.
	fresh bool
}

// batchBlock is a block a batch names (scoreLocal): its committed
// members as the set of blocks knows them (none when it knows the block
// larger than its max_block: large) and the place of the batch's entries
// in scoreLocal's refs, [lo, hi).
type batchBlock struct {
	id        blockID
	slot      int // in the set of blocks (findBlock, addID)
	committed []uint64
	large     bool
	lo, hi    int32
	// wide: its entries, when large and the set keeps them, or when it
	// passes its max_block within the batch and its committed entries
	// were built from the frame (frameWide, tried once): its windows are
	// read there, not from the store.
	wide  *wideBlock
	tried bool
}

// The fewest items worth a goroutine of their own (below, starting one
// costs more than it saves): records whose blocking keys scoreLocal
// makes, block look-ups of readBlocks (and candidates scoreLocal reads
// from the store), candidate pairs of scorePairs (each part compiles
// the comparisons again) and items sortInParts sorts (the commit's
// writes, the candidate pairs). Variables for
// tests, which lower them to take the parallel paths on small batches.
var (
	minKeysPerWorker   = 1024
	minBlocksPerWorker = 1024
	minPairsPerWorker  = 4096
	minSortPerWorker   = 16384
	minFramePerWorker  = 1024
	// Units of fewer rows read their number holders on the recluster's
	// goroutine (recluster): at 2,000 records a batch the holders take a
	// few ms, and on a loaded machine a second goroutine could wait
	// longer than that for a core.
	minUnitApart = 8192
)

// inParts calls fn with consecutive parts [lo, hi) of 0..n-1, part k
// of parts(n, minPart), each on a core of its own, and returns their
// errors joined.
func inParts(n, minPart int, fn func(k, lo, hi int) error) error {
	workers := parts(n, minPart)
	if workers <= 1 {
		return fn(0, 0, n)
	}
	errs := make([]error, workers)
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / workers
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[w] = fn(w, min(w*chunk, n), min((w+1)*chunk, n))
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// keyRef is a blocking key of a batch: its block (rule, hash) and its
// place in the batch's keys (at: record i's key k).
type keyRef struct {
	hash uint64
	rule int32
	at   int32
}

// order is where the key's block's probe starts in a set of blocks of
// any size (blockSet.slot is its top bits).
func (e keyRef) order() uint64 { return slotOrder(blockSetID(int(e.rule), e.hash)) }

// compareKeyRefs orders keys by block, then place: blocks in the order
// of their slots in the set of blocks (keyRef.order), then by rule and
// hash (two blocks sharing their entry, blockTag), so that a batch probes
// the set, and its commit writes it, moving forward through its arrays:
// in the order of (rule, hash), each block's probe was a cache miss on
// each of the set's three arrays and again at the commit (tens of MB at
// 100k records, one block of twelve a key new to it).
func compareKeyRefs(a, b keyRef) int {
	if oa, ob := a.order(), b.order(); oa != ob {
		return cmp.Compare(oa, ob)
	}
	if a.rule != b.rule {
		return cmp.Compare(a.rule, b.rule)
	}
	if a.hash != b.hash {
		return cmp.Compare(a.hash, b.hash)
	}
	return cmp.Compare(a.at, b.at)
}

// sortKeyRefs returns refs, made in the order of at, sorted by block
// (in the order of their slots, then rule, then hash), then at
// (compareKeyRefs). The slots' order is uniform: one pass counts the keys
// by the top bits of their order, a second moves them to their bucket
// (in the order of at), and each bucket of a few keys is sorted apart. A
// comparison sort of the whole took 0.32 s of a 100,000-person bench in
// batches of 20,000 (reg19: 240,000 keys a batch, two cores).
func sortKeyRefs(refs []keyRef) []keyRef {
	if len(refs) < 64 {
		slices.SortFunc(refs, compareKeyRefs)
		return refs
	}
	// About four keys a bucket, at most 1<<20 buckets.
	top := uint(min(20, max(1, bits.Len(uint(len(refs)/4)))))
	bucket := func(e keyRef) int { return int(e.order() >> (64 - top)) }
	starts := make([]int32, 1<<top+1)
	for _, e := range refs {
		starts[bucket(e)+1]++
	}
	for i := 1; i < len(starts); i++ {
		starts[i] += starts[i-1]
	}
	out := make([]keyRef, len(refs))
	next := slices.Clone(starts[:len(starts)-1])
	for _, e := range refs {
		b := bucket(e)
		out[next[b]] = e
		next[b]++
	}
	for b := 0; b+1 < len(starts); b++ {
		part := out[starts[b]:starts[b+1]]
		if len(part) <= 12 {
			// Insertion sort: a bucket's keys are in the order of at.
			for i := 1; i < len(part); i++ {
				for j := i; j > 0 && compareKeyRefs(part[j-1], part[j]) > 0; j-- {
					part[j-1], part[j] = part[j], part[j-1]
				}
			}
		} else {
			slices.SortFunc(part, compareKeyRefs)
		}
	}
	return out
}

// sortInParts sorts s by cmp in parts on every core (inParts) and
// merges them: the result of one sort when cmp orders any two distinct
// items (no two items compare equal).
func sortInParts[T any](s []T, cmp func(a, b T) int, minPart int) []T {
	runs := make([][]T, parts(len(s), minPart))
	inParts(len(s), minPart, func(k, lo, hi int) error {
		runs[k] = s[lo:hi]
		slices.SortFunc(runs[k], cmp)
		return nil
	})
	for len(runs) > 1 {
		a, b := runs[0], runs[1]
		m := make([]T, 0, len(a)+len(b))
		for len(a) > 0 && len(b) > 0 {
			if cmp(a[0], b[0]) <= 0 {
				m, a = append(m, a[0]), a[1:]
			} else {
				m, b = append(m, b[0]), b[1:]
			}
		}
		runs = append([][]T{append(append(m, a...), b...)}, runs[2:]...)
	}
	return runs[0]
}

// parts is how many parts inParts makes of n items: one per core, each
// of at least minPart items (one part when there are fewer).
func parts(n, minPart int) int {
	return max(1, min(runtime.GOMAXPROCS(0), n/max(minPart, 1)))
}

// sideWindow is how many earlier neighbours on each side of a record's
// sort value it is compared with in a block larger than the rule's
// max_block: half the rule's window (rounded up). Offline blocking pairs
// each record of a split block with the window records after it, so each
// takes part in about 2×window pairs but makes window of them; a record
// arriving takes neighbours on both sides, so window on each side would
// make twice offline's comparisons (issue 9: streaming compares what
// offline compares).
func sideWindow(rule settings.BlockingRule) int { return (rule.Window + 1) / 2 }

// windowed says whether a block of rule holding n records is read as a
// window around each record (members).
func windowed(rule settings.BlockingRule, n int) bool { return windowedAt(rule.MaxBlock, n) }

// windowedAt is windowed for a rule of max_block maxBlock.
func windowedAt(maxBlock, n int) bool { return maxBlock > 0 && n > maxBlock }

// edge is a stored edge between two records.
type edge struct {
	a, b uint64
	w    float32
}

// component adds to *comp the records reachable from the seeds over
// stored edges at or above the match threshold — the only edges the
// clustering follows (matching.Cluster ignores weaker ones) — and to
// *edges every stored edge leaving them, weaker ones (review edges, for
// the grey-zone conflicts) included. done marks the records already
// taken. The unit of reclustering is therefore what the offline rule
// decides together, not the chain of review edges around it, which grows
// with the population.
//
// The records are visited breadth first, each step's in key order, so
// that the iterator seeks forward from where it last was (a seek from
// the top per record, as a stack of records in any order needed, was
// 4.1 s of the match goroutine's 91 s at a million records). comp and
// edges hold the same records and edges in any order; their users sort
// them.
func (r *Registry) component(it *pebble.Iterator, be *batchEdges, seeds []uint64, done map[uint64]bool, comp *[]uint64, edges *[]edge) error {
	var step, next []uint64
	for _, s := range seeds {
		if !done[s] {
			done[s] = true
			step = append(step, s)
		}
	}
	it.SetBounds([]byte{kAdj}, []byte{kAdj + 1})
	follow := func(x, y uint64, w float32) {
		*edges = append(*edges, edge{x, y, w})
		if w >= r.minW && !done[y] {
			done[y] = true
			next = append(next, y)
		}
	}
	prefix := make([]byte, 0, 1+seqLen)
	var read []adjEdge // a record's edges read from the store
	for len(step) > 0 {
		slices.Sort(step)
		next = next[:0]
		for _, x := range step {
			*comp = append(*comp, x)
			if be == nil || x < be.from {
				// Add's walk (be) reads the committed edges from the
				// cache when it knows them, else from the store, and
				// keeps them there (edgecache.go).
				if es, ok := r.adj.get(x); ok && be != nil {
					for _, e := range es {
						follow(x, e.b, e.w)
					}
				} else {
					read = read[:0]
					prefix = appendSeq(append(prefix[:0], kAdj), x)
					for ok := it.SeekGE(prefix); ok && bytes.HasPrefix(it.Key(), prefix); ok = it.Next() {
						k := it.Key()
						e := adjEdge{getSeq(k[1+seqLen:]), math.Float32frombits(binary.BigEndian.Uint32(it.Value()))}
						read = append(read, e)
						follow(x, e.b, e.w)
					}
					if err := it.Error(); err != nil {
						return err
					}
					if be != nil {
						r.adj.put(x, read)
					}
				}
			}
			if be != nil {
				for _, e := range be.of(x) {
					follow(x, e.b, e.w)
				}
			}
		}
		step, next = next, step
	}
	return nil
}

// batchEdges are the edges a batch scored (scoreLocal), both ways,
// sorted by record then neighbour (dir): kept out of the indexed batch
// wb — each insert there was a search of its skiplist, and every seek of
// the component walk merged it with the store — and written by the
// commit (commitSorted) in key order. The walk reads them here and the
// committed edges from the store; records numbered from on (the batch's
// own) have no committed edge, and are not sought there.
type batchEdges struct {
	dir  []edge
	from uint64
	// numbers are the new records' entries of the index of numbers, in
	// key order once numberHolders has added them (the commit writes
	// them, as dir).
	numbers [][]byte
}

// of returns the batch's edges from record x.
func (be *batchEdges) of(x uint64) []edge {
	i, _ := slices.BinarySearchFunc(be.dir, x, func(e edge, x uint64) int { return cmp.Compare(e.a, x) })
	j := i
	for j < len(be.dir) && be.dir[j].a == x {
		j++
	}
	return be.dir[i:j]
}

// unit is what is clustered together: the records of the match
// components of some seeds (rows 0..len(comp)-1, in sequence order) and
// their neighbours over weaker edges (the following rows), which keep
// their stored persons and are there only for the conflicts between
// them and the component's persons.
type unit struct {
	comp, nb []uint64
	f        *matching.Frame
	row      map[uint64]int32
	inner    []matching.Pair                    // edges inside comp, any weight
	apart    []matching.Pair                    // cannot-links inside comp (police decisions)
	outer    []matching.Pair                    // edges from comp to nb (below the match threshold)
	stored   []string                           // stored person of each row ("" for a new record)
	holders  map[string][]matching.NumberHolder // numbers of comp also outside the frame (conflicts.go)
	guards   map[int32][]byte                   // the neighbours' persons' guards, all their records (conflicts.go)
}

func (r *Registry) buildUnit(rd pebble.Reader, be *batchEdges, seeds []uint64, blobs map[uint64]*recordBlob) (*unit, error) {
	// The committed edges, and those of the batch: in wb, or apart (be)
	// and then none is in wb.
	erd := rd
	if be != nil {
		erd = r.db
	}
	it, err := erd.NewIter(nil)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	done := make(map[uint64]bool, 2*len(seeds))
	u := &unit{}
	var raw []edge
	if err := r.component(it, be, seeds, done, &u.comp, &raw); err != nil {
		return nil, err
	}
	slices.Sort(u.comp)
	inNb := map[uint64]bool{}
	for _, e := range raw {
		if !done[e.b] && !inNb[e.b] {
			inNb[e.b] = true
			u.nb = append(u.nb, e.b)
		}
	}
	slices.Sort(u.nb)
	u.f = matching.NewFrame(r.s)
	all := append(append([]uint64(nil), u.comp...), u.nb...) // comp then nb, each ascending
	// Each record from the scoring frame kept between batches when it
	// holds it (a row copied, nothing decoded), else from blobs or the
	// store.
	got := make([]*recordBlob, len(all))
	cached := make([]int32, len(all))
	var missing []uint64
	var at []int
	nc := 0 // rows copied from the scoring frame
	for i, s := range all {
		cached[i] = -1
		if row, ok := r.cacheRow[s]; ok {
			cached[i] = row
			nc++
		} else if b, ok := blobs[s]; ok {
			got[i] = b
		} else {
			missing = append(missing, s)
			at = append(at, i)
		}
	}
	sortedPos := func(seqs []uint64, pos []int) { // both in ascending seq order
		idx := make([]int, len(seqs))
		for i := range idx {
			idx[i] = i
		}
		sort.Slice(idx, func(a, b int) bool { return seqs[idx[a]] < seqs[idx[b]] })
		s2, p2 := make([]uint64, len(seqs)), make([]int, len(seqs))
		for i, k := range idx {
			s2[i], p2[i] = seqs[k], pos[k]
		}
		copy(seqs, s2)
		copy(pos, p2)
	}
	sortedPos(missing, at)
	if err := r.readBlobs(rd, missing, func(i int, b *recordBlob) error {
		got[at[i]] = b
		return nil
	}); err != nil {
		return nil, err
	}
	u.stored = make([]string, len(all))
	order := append([]uint64(nil), all...)
	pos := make([]int, len(all))
	for i := range pos {
		pos[i] = i
	}
	sortedPos(order, pos)
	if err := r.scan(rd, kPerson, len(order), func(i int) []byte { return seqKey(kPerson, order[i]) }, func(i int, v []byte) error {
		u.stored[pos[i]] = string(v)
		return nil
	}); err != nil {
		return nil, err
	}
	var rc *matching.RowCopier
	// Sized once for the unit's rows (its ids' table and every column's
	// values, and the value tables the copied rows fill), not grown row
	// by row.
	u.f.Grow(len(all))
	if nc > 0 {
		if rc, err = matching.NewRowCopier(u.f, r.cache); err != nil {
			return nil, err
		}
		rc.Grow(nc)
	}
	// The rows copied a column at a time (CopyRows), in runs between
	// the records added from their blobs, in the order of all.
	u.row = make(map[uint64]int32, len(all))
	run := make([]int, 0, nc)
	copyRun := func() error {
		if len(run) == 0 {
			return nil
		}
		err := rc.CopyRows(run)
		run = run[:0]
		return err
	}
	for i, s := range all {
		if cached[i] >= 0 {
			run = append(run, int(cached[i]))
		} else {
			if err := copyRun(); err != nil {
				return nil, err
			}
			if err := r.addToFrame(u.f, got[i]); err != nil {
				return nil, err
			}
		}
		u.row[s] = int32(i)
	}
	if err := copyRun(); err != nil {
		return nil, err
	}
	for _, e := range raw {
		a, b := u.row[e.a], u.row[e.b]
		if !done[e.b] {
			u.outer = append(u.outer, matching.Pair{A: min(a, b), B: max(a, b), Weight: e.w})
		} else if e.a < e.b {
			u.inner = append(u.inner, matching.Pair{A: min(a, b), B: max(a, b), Weight: e.w})
		}
	}
	byRows := func(p []matching.Pair) {
		sort.Slice(p, func(i, j int) bool {
			if p[i].A != p[j].A {
				return p[i].A < p[j].A
			}
			return p[i].B < p[j].B
		})
	}
	byRows(u.inner)
	byRows(u.outer)
	if len(r.apartOf) > 0 {
		if u.apart, err = r.apartPairs(rd, u); err != nil {
			return nil, err
		}
	}
	return u, nil
}

// cluster clusters the component with the offline rule (and the police
// decisions' must-links and cannot-links); the neighbours keep their
// stored persons, each named by its smallest row.
func (r *Registry) cluster(u *unit) (*matching.Clusters, error) {
	cl, err := matching.ClusterApart(u.f, r.s, u.inner, u.apart)
	if err != nil {
		return nil, err
	}
	mustLink(cl, u.inner)
	root := map[string]int32{}
	for i := len(u.comp); i < u.f.Len(); i++ {
		pid := u.stored[i]
		if _, ok := root[pid]; !ok || pid == "" {
			root[pid] = int32(i)
		}
		cl.Of[i] = root[pid]
	}
	return cl, nil
}

// summarise returns the persons of the component and the conflicts that
// involve at least one of its records.
func (r *Registry) summarise(rd pebble.Reader, u *unit, cl *matching.Clusters, name func(int32) string) ([]matching.PersonSummary, []schemas.Conflict, error) {
	pairs := append(append([]matching.Pair(nil), u.inner...), u.outer...)
	res := &matching.Result{Frame: u.f, Settings: r.s, Pairs: pairs, Clusters: cl, NumberHolders: u.holders, PersonGuards: u.guards}
	sums, conflicts := matching.Summarise(res, name)
	if err := verifiedByRuling(rd, u.f, sums); err != nil {
		return nil, nil, err
	}
	// A record of comp is one of the frame's first rows (a holder of a
	// number outside the frame is in none).
	inComp := func(id string) bool {
		row, ok := u.f.Index(id)
		return ok && row < len(u.comp)
	}
	keep := conflicts[:0]
	for _, c := range conflicts {
		if slices.ContainsFunc(c.RecordIDs, inComp) {
			keep = append(keep, c)
		}
	}
	return compPersons(u, sums), keep, nil
}

// persons returns the persons of the component as summarise does, without
// looking for conflicts (the export: Persons).
func (r *Registry) persons(rd pebble.Reader, u *unit, cl *matching.Clusters) ([]matching.PersonSummary, error) {
	res := &matching.Result{Frame: u.f, Settings: r.s, Clusters: cl, NumberHolders: u.holders}
	sums := matching.Persons(res)
	if err := verifiedByRuling(rd, u.f, sums); err != nil {
		return nil, err
	}
	return compPersons(u, sums), nil
}

// compPersons keeps the persons rooted in the component's rows (the
// frame's first rows; its neighbours' persons are not its own).
func compPersons(u *unit, sums []matching.PersonSummary) []matching.PersonSummary {
	n := int32(len(u.comp))
	mine := sums[:0]
	for _, sm := range sums {
		if sm.Root < n {
			mine = append(mine, sm)
		}
	}
	return mine
}

// recluster clusters again the components of the seeds (the new records,
// or the records of a decision) with the offline rule, names the persons
// (by their founding record), stores each record's person and returns
// what changed.
func (r *Registry) recluster(ctx context.Context, wb *pebble.Batch, be *batchEdges, blobs map[uint64]*recordBlob, newSeqs, known []uint64, reason string) (*Output, error) {
	now := r.stamped().UTC()
	ver := r.batch
	out := &Output{}
	r.expanded, r.curUnit = nil, nil
	u, err := r.buildUnit(wb, be, newSeqs, blobs)
	if err != nil {
		return nil, err
	}
	// The holders of the unit's numbers are read on the second core while
	// the unit is clustered (Add's batch, be: numberHolders then only
	// reads wb and the store and adds to be.numbers; cluster reads only
	// u.f, u.inner and u.stored). Each writes its own result, so nothing
	// depends on which ends first. Small units stay on one goroutine
	// (minUnitApart).
	var holdersErr error
	holdersDone := make(chan struct{})
	if be != nil && u.f.Len() >= minUnitApart {
		go func() {
			defer close(holdersDone)
			u.holders, holdersErr = r.numberHolders(wb, be, u)
		}()
	} else {
		u.holders, holdersErr = r.numberHolders(wb, be, u)
		close(holdersDone)
	}
	cl, err := r.cluster(u)
	<-holdersDone
	if err != nil {
		return nil, err
	}
	if holdersErr != nil {
		return nil, holdersErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Known records of a redelivery: their current person and link.
	// Those outside comp come from current (again); those inside it,
	// pulled in by the batch's new records, get their link and person
	// here even when their person does not change: the output that first
	// gave them may never have been written (its changelog write failed
	// and the match stage started again with this registry, chaos5), and
	// the input comes again merged with other messages, so it is not the
	// re-flush of an identical batch (kLast).
	var again []uint64
	inComp := map[int32]bool{}
	for _, s := range known {
		if row, ok := u.row[s]; !ok || int(row) >= len(u.comp) {
			again = append(again, s)
		} else {
			inComp[row] = true
		}
	}
	if len(u.comp) > r.stats.LargestRecluster {
		r.stats.LargestRecluster = len(u.comp)
	}
	comp, cf := u.comp, u.f
	if err := r.neighbourGuards(wb, u, cl); err != nil {
		return nil, err
	}
	old := u.stored
	// Names: a cluster keeps the id of the oldest person whose founding
	// record it holds (rows are in sequence order, so the first founder
	// found is the oldest); a cluster holding no founding record is
	// named by its earliest record. Without splits that is always the
	// earliest record.
	// names[root] ("" for none) by the root row, which is in comp: the
	// clusters of comp's rows hold no neighbour.
	names := make([]string, len(comp))
	wd := r.withdrawing
	for i := range comp {
		root := cl.Of[i]
		if wd != nil && old[i] != "" && wd.orphans[old[i]] {
			// The earliest record left of a person whose founding
			// record was withdrawn founds it (withdraw.go).
			delete(wd.orphans, old[i])
			if names[root] == "" {
				names[root] = old[i]
				wd.heirs[comp[i]] = old[i]
			}
			continue
		}
		if names[root] != "" {
			continue
		}
		if old[i] == "" { // a new record founds no stored person
			continue
		}
		if r.founds(comp[i], cf.ID(i), old[i]) {
			names[root] = old[i]
		}
	}
	if wd != nil {
		// A person whose records left are only neighbours here (not
		// reclustered: its match component did not hold the withdrawn
		// record) keeps its id on them, founded by the earliest.
		for i := len(comp); i < cf.Len(); i++ {
			if wd.orphans[old[i]] {
				delete(wd.orphans, old[i])
				wd.heirs[u.nb[i-len(comp)]] = old[i]
			}
		}
		for o := range wd.orphans { // no record left
			wd.gone = append(wd.gone, o)
		}
		slices.Sort(wd.gone)
	}
	named := make([]string, len(comp)) // name of each root, once computed
	name := func(root int32) string {
		if int(root) >= len(comp) {
			return old[root]
		}
		if named[root] == "" {
			if n := names[root]; n != "" {
				named[root] = n
			} else {
				named[root] = r.founderName(wb, comp[root], cf.ID(int(root)))
			}
		}
		return named[root]
	}
	sums, conflicts, err := r.summarise(wb, u, cl, name)
	if err != nil {
		return nil, err
	}
	// Where each old person's records went.
	parts := map[string]*personParts{} // old → new → records
	for i := range comp {
		if old[i] == "" {
			continue
		}
		p := parts[old[i]]
		if p == nil {
			p = &personParts{}
			parts[old[i]] = p
		}
		p.add(name(cl.Of[i]))
	}
	newIDs := map[string]bool{}
	for _, sm := range sums {
		newIDs[name(sm.Root)] = true
	}
	fresh := map[string]bool{} // persons named after a new record (personDeltas)
	var olds []string
	var unchanged []matching.PersonSummary // persons of known records in comp that do not change (inComp)
	for _, sm := range sums {
		pid := name(sm.Root)
		if names[sm.Root] == "" && old[sm.Root] == "" {
			fresh[pid] = true
		}
		changed := false
		olds = olds[:0] // the old persons of its records, once each
		for _, rw := range sm.Rows {
			o := old[rw]
			if o != pid {
				changed = true
			}
			if o != "" && !slices.Contains(olds, o) {
				olds = append(olds, o)
				if len(parts[o].names) > 1 || wd != nil && wd.lost[o] {
					changed = true
				}
			}
		}
		if !changed {
			if slices.ContainsFunc(sm.Rows, func(rw int32) bool { return inComp[rw] }) {
				unchanged = append(unchanged, sm)
			}
			continue
		}
		out.Persons = append(out.Persons, personRow(cf, sm, pid, ver, now))
		for _, rw := range sm.Rows {
			if old[rw] == pid {
				if inComp[rw] {
					out.Links = append(out.Links, linkOf(cf, cl, rw, pid, ver, now))
				}
				continue
			}
			wb.Set(seqKey(kPerson, comp[rw]), []byte(pid), nil)
			out.Links = append(out.Links, linkOf(cf, cl, rw, pid, ver, now))
		}
		var others []string // old persons that end here (others continue, split)
		for _, o := range olds {
			if o != pid && !newIDs[o] {
				others = append(others, o)
			}
		}
		if len(others) > 0 {
			sort.Strings(others)
			out.Events = append(out.Events, event(schemas.PersonMerge, pid, others, len(sm.Rows), reason, ver, now))
		}
	}
	olds = make([]string, 0, len(parts))
	for o := range parts {
		olds = append(olds, o)
	}
	sort.Strings(olds)
	for _, o := range olds {
		p := parts[o]
		if len(p.names) > 1 {
			var others []string
			for _, nw := range p.names {
				if nw != o {
					others = append(others, nw)
				}
			}
			sort.Strings(others)
			out.Events = append(out.Events, event(schemas.PersonSplit, o, others, p.of(o), reason, ver, now))
		}
		if !newIDs[o] {
			// Retired: merged into the person holding most of its records.
			best, n := "", 0
			for j, nw := range p.names {
				if k := p.counts[j]; k > n || (k == n && nw < best) {
					best, n = nw, k
				}
			}
			out.Persons = append(out.Persons, schemas.Person{PersonID: o, MergedInto: best, Version: ver, UpdatedAt: now})
		}
	}
	if wd != nil {
		for _, o := range wd.gone {
			out.Persons = append(out.Persons, schemas.Person{PersonID: o, MergedInto: wd.into, Version: ver, UpdatedAt: now})
		}
	}
	for _, c := range conflicts {
		c.Version, c.CreatedAt = ver, now
		out.Conflicts = append(out.Conflicts, c)
	}
	guards, err := r.personGuards(u, sums, name)
	if err != nil {
		return nil, err
	}
	persons := involved(old[:len(comp)], sums, name)
	if wd != nil {
		for _, o := range wd.gone {
			persons[o] = true
		}
	}
	settled, err := r.settleConflicts(wb, persons, out.Conflicts, out.Events, reason, ver, now)
	if err != nil {
		return nil, err
	}
	out.Conflicts = append(out.Conflicts, settled...)
	if err := r.personDeltas(wb, u, out, fresh, guards); err != nil {
		return nil, err
	}
	if len(again) > 0 {
		n, nl := len(out.Persons), len(out.Links)
		if err := r.current(wb, be, again, ver, now, out); err != nil {
			return nil, err
		}
		if err := r.redeliveredDeltas(wb, out, n, nl); err != nil {
			return nil, err
		}
	}
	// After personDeltas: they are rows again, not changes.
	for _, sm := range unchanged {
		pid := name(sm.Root)
		out.Persons = append(out.Persons, personRow(cf, sm, pid, ver, now))
		for _, rw := range sm.Rows {
			if inComp[rw] {
				out.Links = append(out.Links, linkOf(cf, cl, rw, pid, ver, now))
			}
		}
	}
	return out, nil
}

// personParts counts where an old person's records went: the new
// persons (names) and how many records each (counts). Nearly always one
// person, so two short slices, not a map per old person.
type personParts struct {
	names  []string
	counts []int
}

func (p *personParts) add(name string) {
	if i := slices.Index(p.names, name); i >= 0 {
		p.counts[i]++
		return
	}
	p.names = append(p.names, name)
	p.counts = append(p.counts, 1)
}

// of returns how many of the records went to person name.
func (p *personParts) of(name string) int {
	if i := slices.Index(p.names, name); i >= 0 {
		return p.counts[i]
	}
	return 0
}

// current appends the current links of known records, their persons and
// the conflicts of those persons (a redelivered batch: the load stage may
// not have their rows). Merge and split events of the batch that first
// added them are not repeated unless the batch is the same (see Add).
func (r *Registry) current(wb *pebble.Batch, be *batchEdges, seqs []uint64, ver uint64, now time.Time, out *Output) error {
	u, cl, err := r.clusterStored(wb, be, seqs)
	if err != nil {
		return err
	}
	if err := r.neighbourGuards(wb, u, cl); err != nil {
		return err
	}
	r.curUnit = u // its persons' derived states are expanded from it (redeliveredDeltas)
	// The stored person of each record (the clusters are those stored).
	name := func(root int32) string { return u.stored[root] }
	sums, conflicts, err := r.summarise(wb, u, cl, name)
	if err != nil {
		return err
	}
	for _, c := range conflicts {
		c.Version, c.CreatedAt = ver, now
		out.Conflicts = append(out.Conflicts, c)
	}
	for _, sm := range sums {
		pid := name(sm.Root)
		out.Persons = append(out.Persons, personRow(u.f, sm, pid, ver, now))
		for _, rw := range sm.Rows {
			out.Links = append(out.Links, linkOf(u.f, cl, rw, pid, ver, now))
		}
	}
	return nil
}

// clusterStored builds the unit of known records (seqs) with the holders
// of its numbers and clusters it: the persons stored, as current and the
// export (personsFrom) give them again.
func (r *Registry) clusterStored(wb *pebble.Batch, be *batchEdges, seqs []uint64) (*unit, *matching.Clusters, error) {
	u, err := r.buildUnit(wb, be, seqs, nil)
	if err != nil {
		return nil, nil, err
	}
	if u.holders, err = r.numberHolders(wb, be, u); err != nil {
		return nil, nil, err
	}
	cl, err := r.cluster(u)
	if err != nil {
		return nil, nil, err
	}
	return u, cl, nil
}

// linkOf is the link of the frame's row rw to person pid.
func linkOf(f *matching.Frame, cl *matching.Clusters, rw int32, pid string, ver uint64, at time.Time) schemas.Link {
	return schemas.Link{RecordID: f.ID(int(rw)), PersonID: pid, MatchProbability: cl.Prob[rw],
		MatchRule: "fellegi-sunter", Version: ver, LinkedAt: at}
}

func event(kind, pid string, others []string, records int, reason string, ver uint64, at time.Time) schemas.PersonEvent {
	return schemas.PersonEvent{EventID: EventID(kind, pid, others, ver), Kind: kind, PersonID: pid, Others: others,
		Records: uint32(records), Reason: reason, Version: ver, At: at}
}

// EventID is the id of a person event: derived from its kind, person,
// other persons and version, so that the same event written again (a
// batch redelivered, a republish repeated) keeps its id.
func EventID(kind, pid string, others []string, ver uint64) string {
	h := sha256.Sum256([]byte(kind + "\x00" + pid + "\x00" + strings.Join(others, "\x00") + "\x00" + fmt.Sprint(ver)))
	return fmt.Sprintf("e%x", h[:12])
}

func personRow(f *matching.Frame, s matching.PersonSummary, pid string, ver uint64, at time.Time) schemas.Person {
	p := schemas.Person{PersonID: pid, IDNumber: s.IDNumber, IDStatus: s.IDStatus, BirthYear: uint16(s.BirthYear),
		Sex: s.Sex, ProvinceCode: s.Province, RecordCount: uint32(len(s.Rows)), Version: ver, UpdatedAt: at}
	first := int(s.Rows[0])
	p.FullName = joinWords(f.Value("family", first), f.Value("middle", first), f.Value("given", first))
	p.BirthDate = f.Value("dob", first)
	p.NewProvinceCode = f.Value("perm_new_province", first)
	p.CommuneCode = f.Value("perm_commune", first)
	p.NewCommuneCode = f.Value("perm_new_commune", first)
	p.CMND = mostFrequentCMND(f, s.Rows)
	return p
}

// joinWords returns the words of parts (strings.Fields of each), one
// space apart: strings.Fields of the parts joined, without the joined
// string and the slice of its words (a person row's full name, for every
// person a batch changes).
func joinWords(parts ...string) string {
	n := 0
	for _, p := range parts {
		n += len(p) + 1
	}
	var out strings.Builder
	out.Grow(n)
	for _, p := range parts {
		for {
			i := strings.IndexFunc(p, notSpace)
			if i < 0 {
				break
			}
			p = p[i:]
			j := strings.IndexFunc(p, unicode.IsSpace)
			if j < 0 {
				j = len(p)
			}
			if out.Len() > 0 {
				out.WriteByte(' ')
			}
			out.WriteString(p[:j])
			p = p[j:]
		}
	}
	return out.String()
}

func notSpace(r rune) bool { return !unicode.IsSpace(r) }

// mostFrequentCMND is the 9-digit CMND most of rows carry (the smallest of
// equals), "" when none carries one: coverage counts persons with only a
// CMND. The votes are counted in a short slice, not a map: a person has
// a few records.
func mostFrequentCMND(f *matching.Frame, rows []int32) string {
	return mostFrequentOf9(len(rows), func(i int) string { return f.Value("cmnd", int(rows[i])) })
}

// mostFrequentOf9 is the value of 9 bytes that most of value(0..n-1)
// are, the smallest of equals; "" when none is 9 bytes long.
func mostFrequentOf9(n int, value func(int) string) string {
	type vote struct {
		v string
		n int
	}
	var buf [4]vote
	votes := buf[:0]
	best, bestN := "", 0
	for i := range n {
		v := value(i)
		if len(v) != 9 {
			continue
		}
		k := slices.IndexFunc(votes, func(x vote) bool { return x.v == v })
		if k < 0 {
			k = len(votes)
			votes = append(votes, vote{v, 0})
		}
		votes[k].n++
		if n := votes[k].n; best == "" || n > bestN || n == bestN && v < best {
			best, bestN = v, n
		}
	}
	return best
}

// mustLink joins the clusters of pairs a police decision said are the
// same person (weight mustLinkWeight), whatever the guards and the
// average linkage said: the decision wins. A cluster stays named by its
// smallest row.
func mustLink(cl *matching.Clusters, pairs []matching.Pair) {
	var find func(x int32) int32
	parent := map[int32]int32{}
	find = func(x int32) int32 {
		for {
			p, ok := parent[x]
			if !ok || p == x {
				return x
			}
			x = p
		}
	}
	any := false
	for _, p := range pairs {
		if p.Weight < mustLinkWeight {
			continue
		}
		a, b := find(cl.Of[p.A]), find(cl.Of[p.B])
		if a == b {
			continue
		}
		if b < a {
			a, b = b, a
		}
		parent[b] = a
		any = true
		cl.Prob[p.A], cl.Prob[p.B] = 1, 1
	}
	if !any {
		return
	}
	for i := range cl.Of {
		cl.Of[i] = find(cl.Of[i])
	}
}
