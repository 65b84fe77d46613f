package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/dancu-vn/dancu/pipelines"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// serveMetrics exposes the stage counters as Prometheus metrics on addr
// until ctx ends, with each stage's lag (dancu_stage_lag, read from the
// brokers at each scrape, as the progress lines read it) and, in a score
// instance, its counters. It returns the address it listens on.
func serveMetrics(ctx context.Context, addr string, cfg pipelines.StagesConfig, st *pipelines.StageStats) (string, error) {
	reg := prometheus.NewRegistry()
	counter := func(name, help string, f func() int64, labels prometheus.Labels) {
		reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Namespace: "dancu", Name: name, Help: help, ConstLabels: labels,
		}, func() float64 { return float64(f()) }))
	}
	counter("match_records_total", "Records linked by the match stage.", st.Match.Records.Load, nil)
	counter("match_batches_total", "Micro-batches linked by the match stage.", st.Match.Batches.Load, nil)
	counter("match_persons_total", "Person rows emitted by the match stage.", st.Match.Persons.Load, nil)
	counter("match_conflicts_total", "Conflicts raised by the match stage.", st.Match.Conflicts.Load, nil)
	counter("match_refused_total", "Records the match stage refused: their ids were withdrawn by a corrected file (dancu import --replaces).", st.Match.Refused.Load, nil)
	counter("match_generic_records_total", "Records the match stage linked without a value too many records carry (a number copied onto many records: the settings' generic_values).", st.Match.Generic.Load, nil)
	counter("match_dead_letters_total", "Undecodable record batches the match stage sent to the dead-letter topic.", st.MatchDead.Load, nil)
	for _, l := range []struct {
		topic string
		s     *pipelines.LoadStats
	}{{pipelines.TopicMatched, &st.LoadMatched}, {pipelines.TopicRejects, &st.LoadRejects}} {
		lb := prometheus.Labels{"topic": l.topic}
		counter("load_messages_total", "Kafka messages committed by the load stage.", l.s.Messages.Load, lb)
		counter("load_records_total", "Records written to ClickHouse.", l.s.Records.Load, lb)
		counter("load_persons_total", "Person rows written to ClickHouse.", l.s.Persons.Load, lb)
		counter("load_links_total", "Links written to ClickHouse.", l.s.Links.Load, lb)
		counter("load_conflicts_total", "Conflicts written to ClickHouse.", l.s.Conflicts.Load, lb)
		counter("load_rejects_total", "Rejected rows written to ClickHouse.", l.s.Rejects.Load, lb)
		counter("load_refused_rows_total", "Rows ClickHouse refused for their data (each sent to the dead-letter topic).", l.s.Refused.Load, lb)
		counter("load_dead_letters_total", "Messages the load stage sent to the dead-letter topic: undecodable messages and refused rows.", l.s.Dead.Load, lb)
	}
	if cfg.Score {
		counter("score_batches_total", "Blocking messages scored by this score instance.", st.Score.Batches.Load, nil)
		counter("score_items_total", "Blocking items (a record under one key) scored by this score instance.", st.Score.Items.Load, nil)
		counter("score_edges_total", "Edges this score instance sent.", st.Score.Edges.Load, nil)
		counter("score_refused_total", "Blocking messages refused because they came from a match stage with another model.", st.Score.Refused.Load, nil)
	}
	reg.MustRegister(lagCollector{cfg: cfg, st: st})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", addrInUse(err, addr, "another dancu run with --metrics", "--metrics")
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return
		}
	}()
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	return ln.Addr().String(), nil
}

// lagCollector reports each stage's lag at scrape time: the messages of
// its input topic its consumer group has not committed (a score
// instance: the blocking messages on its partitions not yet scored).
// When the brokers cannot be read it reports nothing, and
// dancu_stage_lag_readable 0.
type lagCollector struct {
	cfg pipelines.StagesConfig
	st  *pipelines.StageStats
}

var (
	lagDesc = prometheus.NewDesc("dancu_stage_lag", "Kafka messages published to the stage's input topic that it has not committed (score: not scored) yet.",
		[]string{"stage", "topic"}, nil)
	lagReadableDesc = prometheus.NewDesc("dancu_stage_lag_readable", "1 when the lags could be read from the brokers at this scrape, else 0.", nil, nil)
)

func (c lagCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- lagDesc
	ch <- lagReadableDesc
}

func (c lagCollector) Collect(ch chan<- prometheus.Metric) {
	lags, err := stageLags(context.Background(), c.cfg, c.st, 2*time.Second)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(lagReadableDesc, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(lagReadableDesc, prometheus.GaugeValue, 1)
	for _, l := range lags {
		ch <- prometheus.MustNewConstMetric(lagDesc, prometheus.GaugeValue, float64(l.Lag), l.Stage, l.Topic)
	}
}
