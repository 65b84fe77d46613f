package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/segmentio/kafka-go"
)

func TestDeadLettersListAndReplay(t *testing.T) {
	addr := brokertest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	w, err := kafkax.NewWriter([]string{addr}, pipelines.TopicDead)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	row, err := schemas.EncodeRecords([]schemas.Record{{RecordID: "r1", FullName: "Nguyễn Văn An", IDNumber: "001090012345"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteMessages(ctx, kafka.Message{Key: []byte("r1"), Value: row, Headers: []kafka.Header{
		{Key: pipelines.HeaderKind, Value: []byte(pipelines.KindRecords)},
		{Key: pipelines.HeaderError, Value: []byte("code: 469, Column values: full_name = 'Nguyễn Văn An', id_number = '001090012345'")},
		{Key: pipelines.HeaderSource, Value: []byte(pipelines.TopicMatched + "/2@7")},
		{Key: pipelines.HeaderStage, Value: []byte("load")},
		{Key: pipelines.HeaderTable, Value: []byte("records")},
	}}); err != nil {
		t.Fatal(err)
	}
	dancu := func(args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		if err := run(ctx, append([]string{"--kafka", addr}, args...), strings.NewReader(""), &out, &errb); err != nil {
			t.Fatalf("dancu %v: %v\n%s", args, err, errb.String())
		}
		return out.String()
	}
	list := dancu("dead-letters", "list")
	for _, want := range []string{"1 dead letters (1 not replayed)", "records", "r1", pipelines.TopicMatched + "/2@7", "code: 469"} {
		if !strings.Contains(list, want) {
			t.Errorf("list lacks %q:\n%s", want, list)
		}
	}
	for _, leak := range []string{"Văn An", "001090012345"} {
		if strings.Contains(list, leak) {
			t.Errorf("list shows %q unmasked:\n%s", leak, list)
		}
	}
	if out := dancu("dead-letters", "replay", "--dry-run"); !strings.Contains(out, "would replay 1 dead letters; 1 to "+pipelines.TopicMatched) {
		t.Errorf("replay --dry-run: %q", out)
	}
	if out := dancu("dead-letters", "replay"); !strings.Contains(out, "replayed 1 dead letters; 1 to "+pipelines.TopicMatched) {
		t.Errorf("replay: %q", out)
	}
	if out := dancu("dead-letters", "replay"); !strings.Contains(out, "replayed 0 dead letters") {
		t.Errorf("second replay: %q", out)
	}
	if out := dancu("dead-letters", "list", "--pending"); !strings.Contains(out, "0 dead letters (0 not replayed)") {
		t.Errorf("list --pending after replay: %q", out)
	}
	// The replayed message is on its source topic with its kind and where
	// it was replayed from, and decodes to the row.
	parts, err := kafkax.Partitions(ctx, []string{addr}, pipelines.TopicMatched)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range parts {
		pr := kafka.NewReader(kafka.ReaderConfig{Brokers: []string{addr}, Topic: pipelines.TopicMatched, Partition: p, MaxWait: 100 * time.Millisecond})
		rctx, rcancel := context.WithTimeout(ctx, 2*time.Second)
		m, err := pr.FetchMessage(rctx)
		rcancel()
		pr.Close()
		if err != nil {
			continue
		}
		found = true
		var kind, from string
		for _, h := range m.Headers {
			switch h.Key {
			case pipelines.HeaderKind:
				kind = string(h.Value)
			case pipelines.HeaderReplayed:
				from = string(h.Value)
			case pipelines.HeaderError:
				t.Errorf("replayed message still carries the error header")
			}
		}
		recs, err := schemas.DecodeRecords(m.Value)
		if kind != pipelines.KindRecords || !strings.HasPrefix(from, pipelines.TopicDead+"/") || !strings.HasSuffix(from, "@0") || err != nil || len(recs) != 1 || recs[0].RecordID != "r1" {
			t.Errorf("replayed message: kind %q from %q rows %v (%v)", kind, from, recs, err)
		}
	}
	if !found {
		t.Error("nothing replayed onto " + pipelines.TopicMatched)
	}
}
