package kafkax_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/dancu-vn/dancu/internal/broker"
	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/schemas"
)

func testRecords(from, n int) []schemas.Record {
	rs := make([]schemas.Record, n)
	for i := range rs {
		id := from + i
		rs[i] = schemas.Record{
			RecordID:         schemas.RecordID("f00d", "Sheet1", id),
			SchemaVersion:    schemas.Version,
			SourceKind:       schemas.KindCSV,
			SourceFile:       "bac_ninh.csv",
			Row:              uint32(id),
			SourceDate:       time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC),
			FullName:         "Nguyễn Văn Hùng " + strconv.Itoa(id),
			FamilyName:       "Nguyễn",
			MiddleName:       "Văn",
			GivenName:        "Hùng",
			BirthDate:        "1985-0" + strconv.Itoa(1+id%9) + "-12",
			BirthYear:        1985,
			Sex:              "M",
			IDNumber:         fmt.Sprintf("027085%06d", id),
			PermAddress:      "Thôn Đông, xã Tam Sơn, thị xã Từ Sơn, Bắc Ninh",
			PermProvinceCode: "27",
			Ethnicity:        "Kinh",
			Nationality:      "Việt Nam",
		}
	}
	return rs
}

// TestRecordBatchesOverKafka sends canonical records as Arrow batches
// through the broker and checks every record arrives intact, once.
func TestRecordBatchesOverKafka(t *testing.T) {
	ctx := testCtx(t)
	brokers := []string{brokertest.Start(t)}
	if err := kafkax.EnsureTopics(ctx, brokers, kafkax.FlowTopics(3)); err != nil {
		t.Fatal(err)
	}
	const batches, per = 4, 500
	w, err := kafkax.NewWriter(brokers, kafkax.TopicRecords)
	if err != nil {
		t.Fatal(err)
	}
	sent := map[string]schemas.Record{}
	for b := 0; b < batches; b++ {
		rs := testRecords(b*per, per)
		for _, r := range rs {
			sent[r.RecordID] = r
		}
		v, err := schemas.EncodeRecords(rs)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.WriteMessages(ctx, kafka.Message{Key: []byte(rs[0].IDNumber), Value: v}); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()

	r, err := kafkax.NewReader(brokers, "match", kafkax.TopicRecords)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got := 0
	for b := 0; b < batches; b++ {
		m, err := r.FetchMessage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rs, err := schemas.DecodeRecords(m.Value)
		if err != nil {
			t.Fatal(err)
		}
		for _, rec := range rs {
			want, ok := sent[rec.RecordID]
			if !ok {
				t.Fatalf("record %s not sent, or received twice", rec.RecordID)
			}
			if rec.FullName != want.FullName || rec.IDNumber != want.IDNumber || !rec.SourceDate.Equal(want.SourceDate) {
				t.Errorf("record %s changed on the way: %+v", rec.RecordID, rec)
			}
			delete(sent, rec.RecordID)
			got++
		}
		if err := r.CommitMessages(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	if got != batches*per || len(sent) != 0 {
		t.Fatalf("received %d records, %d never arrived", got, len(sent))
	}
}

// BenchmarkRecordsThroughBroker measures canonical records per second from
// encoding to decoding through the embedded broker (Arrow batches of 1,000
// records, keyed writer, group reader with a commit per batch).
func BenchmarkRecordsThroughBroker(b *testing.B) {
	for _, sync := range []bool{false, true} {
		b.Run(fmt.Sprintf("sync=%v", sync), func(b *testing.B) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
			defer cancel()
			br := brokertest.StartConfig(b, broker.Config{DataDir: b.TempDir(), SyncWrites: sync})
			brokers := []string{br.Addr()}
			const per, batches = 1000, 50
			if err := kafkax.EnsureTopics(ctx, brokers, map[string]int{"bench": 6}); err != nil {
				b.Fatal(err)
			}
			w, _ := kafkax.NewWriter(brokers, "bench")
			defer w.Close()
			r, _ := kafkax.NewReader(brokers, "bench", "bench")
			defer r.Close()
			var wire int64
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				done := make(chan error, 1)
				go func() {
					for k := 0; k < batches; k++ {
						v, err := schemas.EncodeRecords(testRecords(k*per, per))
						if err != nil {
							done <- err
							return
						}
						wire += int64(len(v))
						if err := w.WriteMessages(ctx, kafka.Message{Key: []byte(strconv.Itoa(k)), Value: v}); err != nil {
							done <- err
							return
						}
					}
					done <- nil
				}()
				for k := 0; k < batches; k++ {
					m, err := r.FetchMessage(ctx)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := schemas.DecodeRecords(m.Value); err != nil {
						b.Fatal(err)
					}
					if err := r.CommitMessages(ctx, m); err != nil {
						b.Fatal(err)
					}
				}
				if err := <-done; err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(per*batches*b.N)/b.Elapsed().Seconds(), "records/s")
			b.ReportMetric(float64(wire)/float64(per*batches*b.N), "wire-bytes/record")
		})
	}
}
