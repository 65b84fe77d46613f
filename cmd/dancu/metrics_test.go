package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/pipelines"
)

func TestMetricsIncludeDeadLetters(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st := new(pipelines.StageStats)
	st.MatchDead.Add(2)
	st.LoadMatched.Refused.Add(3)
	st.LoadMatched.Dead.Add(4)
	addr, err := serveMetrics(ctx, "127.0.0.1:0", st)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
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
