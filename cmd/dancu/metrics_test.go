package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/segmentio/kafka-go"

	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/pipelines"
)

func TestMetricsIncludeDeadLetters(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st := new(pipelines.StageStats)
	st.MatchDead.Add(2)
	st.LoadMatched.Refused.Add(3)
	st.LoadMatched.Dead.Add(4)
	b := scrape(t, ctx, pipelines.StagesConfig{}, st)
	for _, want := range []string{
		"dancu_match_dead_letters_total 2",
		`dancu_load_refused_rows_total{topic="dancu.matched"} 3`,
		`dancu_load_dead_letters_total{topic="dancu.matched"} 4`,
		`dancu_load_dead_letters_total{topic="dancu.rejects"} 0`,
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if st.DeadLetters() != 6 {
		t.Errorf("DeadLetters() = %d, want 2 + 4", st.DeadLetters())
	}
}

// An operator's alert on a matcher falling behind needs the lag as a
// metric, not only in the progress lines: dancu_stage_lag gives, at each
// scrape, the messages each stage of the process has yet to commit
// (before, --metrics had counters only: a stuck match stage looked like
// an idle one). A score instance's counters are exported too.
func TestMetricsStageLag(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	brokers := []string{brokertest.Start(t)}
	if err := kafkax.EnsureTopics(ctx, brokers, map[string]int{pipelines.TopicRecords: 2, pipelines.TopicDecisions: 1}); err != nil {
		t.Fatal(err)
	}
	w, err := kafkax.NewWriter(brokers, pipelines.TopicRecords)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	const published = 3
	for i := range published {
		if err := w.WriteMessages(ctx, kafka.Message{Key: []byte(fmt.Sprint(i)), Value: []byte("batch")}); err != nil {
			t.Fatal(err)
		}
	}
	st := new(pipelines.StageStats)
	st.Score.Items.Add(7)
	b := scrape(t, ctx, pipelines.StagesConfig{Brokers: brokers, Match: true, Score: true}, st)
	for _, want := range []string{
		fmt.Sprintf(`dancu_stage_lag{stage="match",topic="%s"} %d`, pipelines.TopicRecords, published),
		"dancu_stage_lag_readable 1",
		"dancu_score_items_total 7",
		"dancu_score_refused_total 0",
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("metrics lack %q:\n%s", want, grepLines(string(b), "dancu_s"))
		}
	}
}

// grepLines returns the lines of s that start with prefix.
func grepLines(s, prefix string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// scrape serves the metrics of cfg and st (serveMetrics) until ctx ends
// and returns one scrape of them.
func scrape(t *testing.T, ctx context.Context, cfg pipelines.StagesConfig, st *pipelines.StageStats) []byte {
	t.Helper()
	addr, err := serveMetrics(ctx, "127.0.0.1:0", cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
