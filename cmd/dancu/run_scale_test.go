package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/internal/broker/brokertest"
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
