package pipelines_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/broker"
	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
	"github.com/dancu-vn/dancu/internal/chstore"
	"github.com/dancu-vn/dancu/internal/cputime"
	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/schemas"
)

// benchRecords are n records with the fields a census list fills.
func benchRecords(n int) []schemas.Record {
	recs := make([]schemas.Record, n)
	src := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	for i := range recs {
		hash := fmt.Sprintf("%064x", i/5000)
		recs[i] = schemas.Record{
			RecordID: schemas.RecordID(hash, "", i+2), SchemaVersion: schemas.Version, SourceKind: schemas.KindCSV,
			SourceFile: "danhsach_20240501.csv", FileHash: hash, Row: uint32(i + 2), SourceRecordID: fmt.Sprintf("HN-%07d", i),
			ImportBatch: "b-2026-12-04", SourceDate: src,
			FullName: "Nguyễn Thị Thuỷ", FamilyName: "Nguyễn", MiddleName: "Thị", GivenName: "Thuỷ",
			BirthDate: fmt.Sprintf("19%02d-%02d-%02d", 30+i%70, 1+i%12, 1+i%28), BirthYear: uint16(1930 + i%70), Sex: "F",
			IDNumber: fmt.Sprintf("001%09d", i), BirthRegPlace: "Phường Trúc Bạch, Quận Ba Đình, Hà Nội",
			NativePlace: "Xã Đông Hội, Huyện Đông Anh, Hà Nội", Ethnicity: "Kinh", Religion: "Không", Nationality: "Việt Nam",
			PermAddress:      fmt.Sprintf("Số %d ngõ 34 phố Hòe Nhai, Phường Trúc Bạch, Quận Ba Đình", i%200),
			PermProvinceCode: "01", PermDistrictCode: "001", PermCommuneCode: "00004", PermNewProvinceCode: "01", PermNewCommuneCode: "00004",
			CurAddress:      "Thôn Đoài, xã Thủy Nguyên",
			CurProvinceCode: "31", CurDistrictCode: "311", CurCommuneCode: "11311", CurNewProvinceCode: "31", CurNewCommuneCode: "11311",
			FatherName: "Nguyễn Văn Hòa", MotherName: "Trần Thị Ánh", HouseholdHead: "Nguyễn Văn Hòa", RelationToHead: "Con",
		}
	}
	return recs
}

// The load stage's sink writing one flush of 20,000 records with their
// persons and links into the embedded engine: wall time and allocations
// per flush, and the process's CPU per flush (cpu-ms/op: the Go side and
// the engine's, in-process).
//
//	go test ./pipelines -run '^$' -bench ClickHouseSinkWrite -count 6 | benchstat -
func BenchmarkClickHouseSinkWrite(b *testing.B) {
	conn, _ := chdbtest.Open(b)
	ctx := context.Background()
	if _, err := chstore.Migrate(ctx, conn); err != nil {
		b.Fatal(err)
	}
	recs, persons, links := benchFlush(20000)
	sink := &pipelines.ClickHouseSink{Conn: conn}
	// The last case writes the links with 10,000 other records withdrawn
	// (closeWithdrawn then finds withdrawn_records not empty).
	gone := make([]string, 10000)
	for i := range gone {
		gone[i] = fmt.Sprintf("gone-%d", i)
	}
	withdraw := func() {
		w := schemas.Withdrawal{WithdrawalID: pipelines.WithdrawalID("bnew", "bold", gone), Batch: "bnew", Replaces: "bold", RecordIDs: gone, At: time.Date(2026, 12, 4, 22, 0, 0, 0, time.UTC)}
		if err := sink.Write(ctx, &pipelines.Batch{Withdrawals: []schemas.Withdrawal{w}}); err != nil {
			b.Fatal(err)
		}
	}
	for _, bc := range []struct {
		name   string
		batch  pipelines.Batch
		before func()
	}{
		{"all", pipelines.Batch{Records: recs, Persons: persons, Links: links}, nil},
		{"records", pipelines.Batch{Records: recs}, nil},
		{"persons", pipelines.Batch{Persons: persons}, nil},
		{"links", pipelines.Batch{Links: links}, nil},
		{"links-10000-withdrawn", pipelines.Batch{Links: links}, withdraw},
	} {
		if bc.before != nil {
			bc.before()
		}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := cputime.Process()
			for range b.N {
				batch := bc.batch
				if err := sink.Write(ctx, &batch); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((cputime.Process()-cpu0).Microseconds())/1e3/float64(b.N), "cpu-ms/op")
		})
	}
}

// The first write of a new sink (a load process's first flush): 20,000
// records with their persons and links into tables it has not written
// before, so that each statement's columns are learned first.
//
//	go test ./pipelines -run '^$' -bench ClickHouseSinkFirstWrite -benchmem -count 6 | benchstat -
func BenchmarkClickHouseSinkFirstWrite(b *testing.B) {
	conn, _ := chdbtest.Open(b)
	ctx := context.Background()
	if _, err := chstore.Migrate(ctx, conn); err != nil {
		b.Fatal(err)
	}
	recs, persons, links := benchFlush(20000)
	b.ReportAllocs()
	cpu0 := cputime.Process()
	for range b.N {
		sink := &pipelines.ClickHouseSink{Conn: conn}
		if err := sink.Write(ctx, &pipelines.Batch{Records: recs, Persons: persons, Links: links}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cputime.Process()-cpu0).Microseconds())/1e3/float64(b.N), "cpu-ms/op")
}

// benchFlush is one flush of n records (benchRecords) with their persons,
// two records a person, and their links, as the sink benchmarks write it.
func benchFlush(n int) ([]schemas.Record, []schemas.Person, []schemas.Link) {
	recs := benchRecords(n)
	at := time.Date(2026, 12, 4, 22, 0, 0, 0, time.UTC)
	persons := make([]schemas.Person, len(recs))
	links := make([]schemas.Link, len(recs))
	for i := range recs {
		pid := fmt.Sprintf("P%023d", i/2)
		persons[i] = schemas.Person{PersonID: pid, IDNumber: recs[i].IDNumber, IDStatus: schemas.IDInferred, FullName: recs[i].FullName,
			BirthDate: recs[i].BirthDate, BirthYear: recs[i].BirthYear, Sex: "F", ProvinceCode: "01", NewProvinceCode: "01",
			CommuneCode: "00004", NewCommuneCode: "00004", RecordCount: 2, Version: uint64(i), UpdatedAt: at}
		links[i] = schemas.Link{RecordID: recs[i].RecordID, PersonID: pid, MatchProbability: 0.99, MatchRule: "score", Version: uint64(i), LinkedAt: at}
	}
	return recs, persons, links
}

// One flush's coverage deltas (20,000 records' rows and 5,000 persons'
// sums, as the registry sends for a flush of 20,000 records) written by
// the load stage's sink, without a share and with the load group's share
// on a broker that syncs what it is sent (dancu broker's default): since
// chaos14 each such insert first publishes its intent there (one small
// message, with the tombstone of the last one), and waits for it
// (share-unsynced: the same on a broker that does not sync); a flush that
// replays a row already counted (share-replay: after a restart) is
// published whole instead, a few MB. cpu-ms/op is the process's, the
// in-process broker's and engine's included; publish-ms/op the wall time
// of the publish, publish-cpu-ms/op the process's CPU meanwhile.
//
//	go test ./pipelines -run '^$' -bench ClickHouseSinkDeltaFlush -count 6 | benchstat -
func BenchmarkClickHouseSinkDeltaFlush(b *testing.B) {
	conn, _ := chdbtest.Open(b)
	ctx := context.Background()
	if _, err := chstore.Migrate(ctx, conn); err != nil {
		b.Fatal(err)
	}
	brokers := []string{brokertest.StartConfig(b, broker.Config{DataDir: b.TempDir(), SyncWrites: true}).Addr()}
	if err := kafkax.EnsureTopics(ctx, brokers, map[string]int{pipelines.TopicLoadPending: 1}); err != nil {
		b.Fatal(err)
	}
	share, err := pipelines.NewKafkaPendingShare(brokers)
	if err != nil {
		b.Fatal(err)
	}
	defer share.Close()
	// The same on a broker that does not sync: what the produce costs
	// without the broker's fsync.
	unsynced := []string{brokertest.Start(b)}
	if err := kafkax.EnsureTopics(ctx, unsynced, map[string]int{pipelines.TopicLoadPending: 1}); err != nil {
		b.Fatal(err)
	}
	shareUnsynced, err := pipelines.NewKafkaPendingShare(unsynced)
	if err != nil {
		b.Fatal(err)
	}
	defer shareUnsynced.Close()
	month := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	flush := 0
	deltas := func() pipelines.Batch {
		flush++
		batch := fmt.Sprintf("bench-%06d", flush)
		recs := make([]schemas.RecordDelta, 20000)
		for i := range recs {
			c := fmt.Sprintf("%05d", i%10000)
			recs[i] = schemas.RecordDelta{Batch: batch, Seq: uint32(i), OldKnown: 1, ProvinceCode: fmt.Sprintf("%02d", 1+i%60), DistrictCode: "001",
				CommuneCode: c, NewProvinceCode: fmt.Sprintf("%02d", 1+i%34), NewCommuneCode: c, SourceKind: schemas.KindCSV,
				SourceMonth: month, LoadMonth: month, Added: 1, AddedWithID: uint32(i % 2)}
		}
		pers := make([]schemas.PersonDeltaSum, 5000)
		for i := range pers {
			c := fmt.Sprintf("%05d", i%10000)
			pers[i] = schemas.PersonDeltaSum{Batch: batch, Seq: uint32(20000 + i), ProvinceCode: fmt.Sprintf("%02d", 1+i%60), CommuneCode: c,
				NewProvinceCode: fmt.Sprintf("%02d", 1+i%34), NewCommuneCode: c, BirthYear: uint16(1930 + i%90), ChangeMonth: month, Added: 2}
		}
		off := int64(2 * flush)
		return pipelines.Batch{RecordDeltas: recs, PersonDeltaSums: pers, From: &pipelines.MessageSpan{Topic: pipelines.TopicMatched,
			Last: map[int]int64{0: off + 1}, Deltas: []pipelines.MessageRef{{Partition: 0, Offset: off}, {Partition: 0, Offset: off + 1}}}}
	}
	warm := deltas() // the first insert of a table learns its columns
	if err := (&pipelines.ClickHouseSink{Conn: conn}).Write(ctx, &warm); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name   string
		share  pipelines.PendingShare
		replay bool // with a row already counted: the block is published whole
	}{{"no-share", nil, false}, {"share", share, false}, {"share-unsynced", shareUnsynced, false}, {"share-replay", share, true}} {
		timed := &timedShare{PendingShare: bc.share}
		sink := &pipelines.ClickHouseSink{Conn: conn}
		if bc.share != nil {
			sink.Share = timed
		}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			timed.took, timed.cpu = 0, 0 // each count on its own
			var cpu time.Duration
			for range b.N {
				batch := deltas()
				if bc.replay {
					batch.PersonDeltaSums = append(batch.PersonDeltaSums, warm.PersonDeltaSums[0])
				}
				cpu0 := cputime.Process()
				if err := sink.Write(ctx, &batch); err != nil {
					b.Fatal(err)
				}
				cpu += cputime.Process() - cpu0
			}
			b.ReportMetric(float64(cpu.Microseconds())/1e3/float64(b.N), "cpu-ms/op")
			if bc.share != nil {
				if bc.replay && sink.SharedPublished.Load() == 0 || !bc.replay && sink.IntentsPublished.Load() == 0 {
					b.Fatal("nothing published")
				}
				b.ReportMetric(float64(timed.took.Microseconds())/1e3/float64(b.N), "publish-ms/op")
				b.ReportMetric(float64(timed.cpu.Microseconds())/1e3/float64(b.N), "publish-cpu-ms/op")
			}
		})
	}
}

// timedShare adds up the wall time of its publishes, and the process's
// CPU meanwhile (the in-process broker's included).
type timedShare struct {
	pipelines.PendingShare
	took, cpu time.Duration
}

func (s *timedShare) Publish(ctx context.Context, b pipelines.SharedBlock) error {
	t0, cpu0 := time.Now(), cputime.Process()
	defer func() { s.took, s.cpu = s.took+time.Since(t0), s.cpu+cputime.Process()-cpu0 }()
	return s.PendingShare.Publish(ctx, b)
}
