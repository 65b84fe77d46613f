package main

import (
	"bytes"
	"context"
	"fmt"
	"github.com/dancu-vn/dancu/internal/syncbuf"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/matching/settings"
	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/registry"
)

// Bad scale-out flags are refused with a message naming the flag and
// what it wants, before any stage starts.
func TestRunScaleOutFlags(t *testing.T) {
	kafkaAddr := brokertest.Start(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--stages", "score", "--score-instance", "2/2"}, `--score-instance "2/2": want i/K with 0 ≤ i < K`},
		{[]string{"run", "--stages", "score", "--score-instance", "x"}, `--score-instance "x"`},
		{[]string{"run", "--stages", "score", "--score-instance", "0/13"}, "at most 12 instances"},
		{[]string{"run", "--stages", "load", "--scale-out"}, "--scale-out is for the match stage"},
		{[]string{"run", "--stages", "match,blocking"}, `unknown stage "blocking" (want match, load, score)`},
	} {
		var out, errb bytes.Buffer
		args := append([]string{"--kafka", kafkaAddr, "--home", t.TempDir()}, c.args...)
		err := run(context.Background(), args, nil, &out, &errb)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want one saying %q", c.args, err, c.want)
		}
	}
}

// After an upgrade an operator checks which model each process runs: the
// "stages running" line of a score instance (and of a match stage) names
// the model's version, as dancu train prints it, and the fingerprint that
// a registry's refusal and a score instance's refusal name.
func TestRunNamesItsModel(t *testing.T) {
	kafkaAddr := brokertest.Start(t)
	s, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out bytes.Buffer
	var logs syncbuf.Buffer
	errc := make(chan error, 1)
	go func() {
		errc <- run(ctx, []string{"--kafka", kafkaAddr, "--home", t.TempDir(), "run", "--stages", "score"}, nil, &out, &logs)
	}()
	want := fmt.Sprintf("model=%s fingerprint=%q", settings.ModelVersion(s), registry.Fingerprint(s))
	waitFor(t, time.Minute, "stages running line", func() bool { return strings.Contains(logs.String(), "stages running") }, &logs)
	if !strings.Contains(logs.String(), want) {
		t.Errorf("the stages running line does not name the model (%s):\n%s", want, logs.String())
	}
	// Stopped once running, it drains and returns no error.
	waitFor(t, time.Minute, "score instance running line", func() bool { return strings.Contains(logs.String(), "score instance running") }, &logs)
	cancel()
	if err := <-errc; err != nil {
		t.Errorf("run: %v", err)
	}
}
