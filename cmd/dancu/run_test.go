package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"github.com/dancu-vn/dancu/internal/syncbuf"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
	"github.com/dancu-vn/dancu/internal/chstore"
	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/segmentio/kafka-go"
)

// waitFor polls cond until it holds or d passes.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool, logs fmt.Stringer) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %s: no %s:\n%s", d, what, logs)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestProgressQuietWhileIdle: the progress of dancu run is logged only when
// a counter moved since the last line or a stage is behind, and then says
// each stage's lag, read from a real broker.
func TestProgressQuietWhileIdle(t *testing.T) {
	addr := brokertest.Start(t)
	brokers := []string{addr}
	if err := kafkax.EnsureTopics(context.Background(), brokers, map[string]int{
		pipelines.TopicRecords: 2, pipelines.TopicMatched: 2, pipelines.TopicRejects: 1, pipelines.TopicDecisions: 1}); err != nil {
		t.Fatal(err)
	}
	var out syncbuf.Buffer
	st := new(pipelines.StageStats)
	cfg := pipelines.StagesConfig{Brokers: brokers, Match: true, Load: true}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		logProgress(ctx, slog.New(slog.NewTextHandler(&out, nil)), cfg, st, 20*time.Millisecond)
		close(done)
	}()
	count := func() int { return strings.Count(out.String(), "msg=progress") }
	time.Sleep(200 * time.Millisecond)
	if n := count(); n != 0 {
		t.Fatalf("%d progress lines while idle, want none:\n%s", n, out.String())
	}
	st.Match.Records.Add(7)
	waitFor(t, 5*time.Second, "line with matched_records=7", func() bool { return strings.Contains(out.String(), "matched_records=7") }, &out)
	time.Sleep(200 * time.Millisecond)
	if n := count(); n != 1 {
		t.Fatalf("%d progress lines after one change, want 1:\n%s", n, out.String())
	}
	if !strings.Contains(out.String(), "match_lag=0 decisions_lag=0 load_lag=0 load-rejects_lag=0") {
		t.Errorf("the line does not give each stage's lag:\n%s", out.String())
	}

	// Three messages on dancu.records that no stage consumes: work is
	// waiting, so the lines go on, with match_lag=3, though no counter moves.
	w, err := kafkax.NewWriter(brokers, pipelines.TopicRecords)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteMessages(context.Background(), kafka.Message{Key: []byte("a"), Value: []byte("1")},
		kafka.Message{Key: []byte("b"), Value: []byte("2")}, kafka.Message{Key: []byte("c"), Value: []byte("3")}); err != nil {
		t.Fatal(err)
	}
	w.Close()
	waitFor(t, 5*time.Second, "two lines with match_lag=3", func() bool { return strings.Count(out.String(), "match_lag=3 ") >= 2 }, &out)
	cancel()
	<-done

	// A score instance alone: the match group's lag is another process's
	// work, so it stays quiet until its own counters move, and says them.
	var score syncbuf.Buffer
	ctx, cancel = context.WithCancel(context.Background())
	done = make(chan struct{})
	st = new(pipelines.StageStats)
	go func() {
		logProgress(ctx, slog.New(slog.NewTextHandler(&score, nil)), pipelines.StagesConfig{Brokers: brokers, Score: true}, st, 20*time.Millisecond)
		close(done)
	}()
	time.Sleep(200 * time.Millisecond)
	if score.String() != "" {
		t.Fatalf("a score instance logged while its counters stood still:\n%s", score.String())
	}
	st.Score.Items.Add(5)
	waitFor(t, 5*time.Second, "line with scored_items=5", func() bool { return strings.Contains(score.String(), "scored_items=5 edges=0\n") }, &score)
	cancel()
	<-done
	if strings.Contains(score.String(), "_lag=") {
		t.Errorf("a score instance logs other stages' lags:\n%s", score.String())
	}
}

// TestProgressLogsScoreLag: a score instance (dancu run --stages score)
// reads at offsets kept in its own stores, in no consumer group; its
// progress lines give its lag from them (score_lag: published on its
// blocking partitions, not yet scored), quiet while it has nothing to do,
// on a real broker with a real score instance.
func TestProgressLogsScoreLag(t *testing.T) {
	brokers := []string{brokertest.Start(t)}
	st := new(pipelines.StageStats)
	cfg := pipelines.StagesConfig{Brokers: brokers, Score: true}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx, stopScore := context.WithCancel(context.Background())
	scored := make(chan error, 1)
	go func() {
		scored <- pipelines.RunScore(ctx, pipelines.ScoreConfig{Brokers: brokers, Dir: t.TempDir(), Logger: quiet}, &st.Score)
	}()
	waitFor(t, 30*time.Second, "score instance with its stores open", func() bool { return st.Score.Positions() != nil }, new(syncbuf.Buffer))

	var out syncbuf.Buffer
	logCtx, stopLog := context.WithCancel(context.Background())
	logged := make(chan struct{})
	go func() {
		logProgress(logCtx, slog.New(slog.NewTextHandler(&out, nil)), cfg, st, 20*time.Millisecond)
		close(logged)
	}()
	defer func() { stopLog(); <-logged }()
	time.Sleep(200 * time.Millisecond)
	if out.String() != "" {
		t.Fatalf("an idle score instance logged:\n%s", out.String())
	}

	// Stopped, it keeps its positions; two blocks published since are
	// its lag, and the lines go on while it is behind though no counter moves.
	stopScore()
	if err := <-scored; err != nil && ctx.Err() == nil {
		t.Fatal(err)
	}
	w, err := kafkax.NewWriter(brokers, kafkax.TopicBlocking)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteMessages(context.Background(), kafka.Message{Key: []byte("a"), Value: []byte("1")}, kafka.Message{Key: []byte("b"), Value: []byte("2")}); err != nil {
		t.Fatal(err)
	}
	w.Close()
	waitFor(t, 5*time.Second, "two lines with score_lag=2", func() bool { return strings.Count(out.String(), "scored_items=0 edges=0 score_lag=2\n") >= 2 }, &out)
	if strings.Contains(out.String(), "match_lag") {
		t.Errorf("a score instance logs the match stage's lag:\n%s", out.String())
	}
}

// TestRunLogsLagDrainAndStop runs dancu run (match and load, the real
// broker and ClickHouse engine) over an imported list: its progress lines
// end with every lag at 0 and the rows loaded, then it is quiet while idle;
// at the first Ctrl-C it logs the drain and then the stop with the final
// counters; ClickHouse has what the log says was loaded, the person rows
// logged are versions (more than the persons, some having been written
// twice), and the persons logged are those of persons FINAL and of
// dancu coverage.
func TestRunLogsLagDrainAndStop(t *testing.T) {
	kafkaAddr := brokertest.Start(t)
	chAddr := chdbtest.Start(t)
	conn, db := chdbtest.Open(t)
	bg := context.Background()
	if _, err := chstore.Migrate(bg, conn); err != nil {
		t.Fatal(err)
	}
	// A hundred persons: once in the first list, twice more in the second,
	// imported once the first is loaded, so that their person rows are
	// written again (versions) when their new records join them.
	dir := t.TempDir()
	family := []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"}
	given := []string{"An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Khánh", "Long", "Minh", "Phúc"}
	list := func(name string, from, n int) string {
		var b strings.Builder
		b.WriteString("STT,Họ và tên,Ngày sinh,Giới tính\n")
		for i := 0; i < n; i++ {
			k := (from + i) % 100
			fmt.Fprintf(&b, "%d,%s Văn %s,%02d/%02d/%d,Nam\n", i+1, family[k%10], given[k/10], k%28+1, k%12+1, 1960+k)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	first, second := list("first.csv", 0, 100), list("second.csv", 0, 200)
	const rows = 300
	global := []string{"--kafka", kafkaAddr, "--clickhouse", "http://" + chAddr + "/" + db, "--home", dir}
	var out, errb bytes.Buffer
	importFile := func(p string) {
		if err := run(bg, append(global, "import", "--batch-rows", "50", p), nil, &out, &errb); err != nil {
			t.Fatalf("import: %v\n%s%s", err, out.String(), errb.String())
		}
	}
	importFile(first)

	var logs syncbuf.Buffer
	ctx, cancel := context.WithCancel(bg)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- run(ctx, append(global, "run", "--progress", "50ms"), nil, &out, &logs) }()
	caughtUp := func(n int) func() bool {
		re := regexp.MustCompile(fmt.Sprintf("loaded_records=%d .*match_lag=0 decisions_lag=0 load_lag=0 load-rejects_lag=0", n))
		return func() bool { return re.MatchString(logs.String()) }
	}
	waitFor(t, 2*time.Minute, "progress line with the first list loaded and no lag", caughtUp(100), &logs)
	importFile(second)
	waitFor(t, 2*time.Minute, "progress line with every row loaded and no lag", caughtUp(rows), &logs)
	n := strings.Count(logs.String(), "msg=progress")
	time.Sleep(500 * time.Millisecond) // ten intervals
	if m := strings.Count(logs.String(), "msg=progress"); m != n {
		t.Errorf("%d progress lines while idle:\n%s", m-n, logs.String())
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatalf("run: %v\n%s", err, logs.String())
	}
	s := logs.String()
	drain := regexp.MustCompile(`msg="draining: [^"]*" match_lag=0 decisions_lag=0 load_lag=0 load-rejects_lag=0\n`).FindStringIndex(s)
	stop := regexp.MustCompile(fmt.Sprintf(`msg=stopped matched_records=%d conflicts=\d+ loaded_records=%d loaded_person_rows=(\d+) loaded_rejects=0 dead_letters=0 persons=(\d+) match_lag=0 decisions_lag=0 load_lag=0 load-rejects_lag=0 drain=\S+\n$`, rows, rows)).FindStringSubmatchIndex(s)
	if drain == nil || stop == nil || drain[0] > stop[0] {
		t.Fatalf("no drain line then stop line at the end:\n%s", s)
	}
	personRows, _ := strconv.Atoi(s[stop[2]:stop[3]])
	loggedPersons, _ := strconv.Atoi(s[stop[4]:stop[5]])
	var records, persons uint64
	if err := conn.QueryRow(bg, "SELECT count() FROM records FINAL").Scan(&records); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(bg, "SELECT count() FROM persons FINAL").Scan(&persons); err != nil {
		t.Fatal(err)
	}
	if records != rows || persons == 0 || uint64(personRows) <= persons || uint64(loggedPersons) != persons {
		t.Errorf("ClickHouse has %d records and %d persons; the log says %d records, %d person rows, %d persons", records, persons, rows, personRows, loggedPersons)
	}
	// The persons logged are the persons dancu coverage reports.
	var cov bytes.Buffer
	if err := run(bg, append(global, "coverage", "--format", "csv"), nil, &cov, &errb); err != nil {
		t.Fatalf("coverage: %v\n%s", err, errb.String())
	}
	table, err := csv.NewReader(strings.NewReader(cov.String())).ReadAll()
	if err != nil || len(table) < 2 {
		t.Fatalf("coverage CSV: %v\n%s", err, cov.String())
	}
	col := slices.Index(table[0], "persons")
	total := slices.IndexFunc(table, func(r []string) bool { return r[0] == "total" })
	if col < 0 || total < 0 || table[total][col] != strconv.Itoa(loggedPersons) {
		t.Errorf("coverage's total does not count the %d persons the log says:\n%s", loggedPersons, cov.String())
	}
	// And its records are the records loaded: the registry's records'
	// deltas (migration 0015) went through the load stage.
	if col := slices.Index(table[0], "records"); col < 0 || table[total][col] != strconv.FormatUint(records, 10) {
		t.Errorf("coverage's total does not count the %d records of records FINAL:\n%s", records, cov.String())
	}
	t.Logf("%d records, %d persons (FINAL, and in the log and coverage), %d person rows written", records, persons, personRows)
}
