package pipelines_test

import (
	"context"
	"github.com/dancu-vn/dancu/internal/syncbuf"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// deleteRecords deletes every message of topic (the broker's
// DeleteRecords, as a retention passing does).
func deleteRecords(t *testing.T, brokers []string, topic string) {
	t.Helper()
	ctx := context.Background()
	parts, err := kafkax.Partitions(ctx, brokers, topic)
	if err != nil {
		t.Fatal(err)
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	req := kmsg.NewPtrDeleteRecordsRequest()
	req.TimeoutMillis = 10000
	rt := kmsg.NewDeleteRecordsRequestTopic()
	rt.Topic = topic
	for _, p := range parts {
		rp := kmsg.NewDeleteRecordsRequestTopicPartition()
		rp.Partition, rp.Offset = int32(p), -1 // up to the end
		rt.Partitions = append(rt.Partitions, rp)
	}
	req.Topics = append(req.Topics, rt)
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		t.Fatal(err)
	}
	for _, rt := range resp.Topics {
		for _, rp := range rt.Partitions {
			if rp.ErrorCode != 0 {
				t.Fatalf("delete records of %s/%d: error %d", topic, rp.Partition, rp.ErrorCode)
			}
		}
	}
}

// TestRecordsExpiredBeforeMatchSaid: records imported while the match
// stage was stopped, then deleted by dancu.records' retention before it
// started: it started from the oldest message left and said nothing, the
// records lost (user16: an operator's bad week). It now says, at error
// level, how many messages of which topic were deleted unread, what that
// loses and the way back.
func TestRecordsExpiredBeforeMatchSaid(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	brokers := []string{brokertest.Start(t)}
	if err := kafkax.EnsureTopics(ctx, brokers, kafkax.FlowTopics(0)); err != nil {
		t.Fatal(err)
	}
	w, err := kafkax.NewWriter(brokers, pipelines.TopicRecords)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if err := w.WriteMessages(ctx, kafka.Message{Key: []byte{byte('a' + i)}, Value: []byte("a batch of records")}); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	deleteRecords(t, brokers, pipelines.TopicRecords)

	logs := &syncbuf.Buffer{}
	cfg := pipelines.StagesConfig{Brokers: brokers, RegistryDir: t.TempDir() + "/registry", Match: true,
		Logger: slog.New(slog.NewTextHandler(logs, nil))}
	sctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- pipelines.RunStages(sctx, cfg, nil) }()
	const said = "messages deleted before this stage read them"
	for logs.Count(said) == 0 {
		select {
		case err := <-done:
			stop()
			t.Fatalf("the stages stopped: %v\n%s", err, logs.String())
		case <-ctx.Done():
			stop()
			t.Fatalf("the deleted records were never said:\n%s", logs.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	out := logs.String()
	for _, want := range []string{"level=ERROR", "stage=match", "topic=" + pipelines.TopicRecords, "messages=3", "import their files again"} {
		if !strings.Contains(out, want) {
			t.Errorf("the log lacks %q:\n%s", want, out)
		}
	}
}

// TestClickHouseAheadOfEmptyRegistrySaid: the broker's data lost, the
// registry moved aside as the refusal said, and the files imported
// again: ClickHouse kept one row per record but coverage counted each
// twice, and nothing warned (user16). A match stage whose registry and
// changelog are empty beside a ClickHouse holding records now says so,
// with the way out, before anything is imported again.
func TestClickHouseAheadOfEmptyRegistrySaid(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sink := &pipelines.ClickHouseSink{Conn: e.conn}
	if err := sink.Write(ctx, &pipelines.Batch{Records: []schemas.Record{{RecordID: "r-before", SchemaVersion: schemas.Version,
		SourceKind: schemas.KindCSV, SourceFile: "before.csv", Row: 2, FullName: "Nguyễn Văn An"}}}); err != nil {
		t.Fatal(err)
	}
	logs := &syncbuf.Buffer{}
	e.cfg.Logger = slog.New(slog.NewTextHandler(logs, nil))
	stop := e.runStagesStoppable(t)
	deadline := time.After(time.Minute)
	for logs.Count("ClickHouse holds some") == 0 {
		select {
		case <-deadline:
			stop()
			t.Fatalf("nothing said of the records ClickHouse holds:\n%s", logs.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	stop()
	for _, want := range []string{"level=ERROR", "clickhouse_record_rows=1", "empty one (--database, dancu migrate)"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the log lacks %q:\n%s", want, logs.String())
		}
	}
}
