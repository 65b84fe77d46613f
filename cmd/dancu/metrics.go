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
// until ctx ends. It returns the address it listens on.
func serveMetrics(ctx context.Context, addr string, st *pipelines.StageStats) (string, error) {
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
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
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
