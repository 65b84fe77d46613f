package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/matching"
)

// TestEvalErrorsNameCommandAndPathOnce: a missing file is named once, in
// an error that says which command failed.
func TestEvalErrorsNameCommandAndPathOnce(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"nope.csv", "nope.xlsx"} {
		p := filepath.Join(dir, name)
		var out, errOut bytes.Buffer
		err := run(context.Background(), []string{"eval", "--truth", p, "--pred", p}, nil, &out, &errOut)
		if err == nil {
			t.Fatalf("eval of a missing %s passed", name)
		}
		if !strings.HasPrefix(err.Error(), "eval: ") || strings.Count(err.Error(), p) != 1 {
			t.Errorf("error %q: want it to start with the command and name %s once", err, p)
		}
	}
}

// TestEvalRefusesPredictionsOfOtherIDs: a prediction none of whose
// record ids is in the truth (a link run without the mapping's id, its
// records named FILE:LINE) is an error saying what to do, not a vacuous
// F1 of 1.
func TestEvalRefusesPredictionsOfOtherIDs(t *testing.T) {
	dir := t.TempDir()
	truth := filepath.Join(dir, "truth.csv")
	pred := filepath.Join(dir, "clusters.csv")
	writeFile(t, truth, "unique_id,first_name,cluster\n0,an,0\n1,an,0\n2,binh,1\n")
	writeFile(t, pred, "record_id,person_id\ntruth.csv:2,P1\ntruth.csv:3,P1\ntruth.csv:4,P2\n")
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"eval", "--truth", truth, "--pred", pred}, nil, &out, &errOut)
	if err == nil {
		t.Fatalf("eval of disjoint ids passed:\n%s", out.String())
	}
	for _, want := range []string{"no record of", `"truth.csv:2"`, `"0"`, "id:"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	// The same prediction keyed by the truth's ids is scored.
	writeFile(t, pred, "record_id,person_id\n0,P1\n1,P1\n2,P2\n")
	out.Reset()
	if err := run(context.Background(), []string{"eval", "--truth", truth, "--pred", pred}, nil, &out, &errOut); err != nil {
		t.Fatalf("eval: %v", err)
	}
	if !strings.Contains(out.String(), "pairwise precision 1.0000 recall 1.0000") {
		t.Errorf("eval of the truth itself printed:\n%s", out.String())
	}
}

// TestEvalTruthWithoutClusterColumn: a truth whose person is inside its id
// (FEBRL's rec-N-dup-K) is refused without a mapping with a hint naming
// the mapping's truth spec, and read with one.
func TestEvalTruthWithoutClusterColumn(t *testing.T) {
	dir := t.TempDir()
	truth := filepath.Join(dir, "febrl.csv")
	pred := filepath.Join(dir, "clusters.csv")
	mapping := filepath.Join(dir, "mapping.yaml")
	writeFile(t, truth, "rec_id, given_name\nrec-1-org, an\nrec-1-dup-0, an\nrec-2-org, binh\n")
	writeFile(t, pred, "record_id,person_id\nrec-1-org,P1\nrec-1-dup-0,P2\nrec-2-org,P3\n")
	writeFile(t, mapping, "id: rec_id\ntruth: {column: rec_id, pattern: \"rec-([0-9]+)-\"}\n")
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"eval", "--truth", truth, "--pred", pred}, nil, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "--mapping") || !strings.Contains(err.Error(), "truth: {column") {
		t.Fatalf("eval of a truth without a cluster column: error %v, want a hint at --mapping's truth spec", err)
	}
	if err := run(context.Background(), []string{"eval", "--truth", truth, "--pred", pred, "--mapping", mapping}, nil, &out, &errOut); err != nil {
		t.Fatalf("eval --mapping: %v", err)
	}
	if !strings.Contains(out.String(), "true pairs 1, predicted pairs 0") {
		t.Errorf("eval --mapping printed:\n%s", out.String())
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBlockingRecallLineSaysWhyNotEstimated: link --truth with settings
// trained beforehand has no estimate of its own; the line says where the
// estimate is, and with one rule why there is none.
func TestBlockingRecallLineSaysWhyNotEstimated(t *testing.T) {
	c := &matching.Completeness{Covered: 9, TruePairs: 10}
	if l := blockingRecallLine(nil, c); !strings.Contains(l, "dancu train printed") || !strings.Contains(l, "true 0.90000") {
		t.Errorf("without training here: %q", l)
	}
	if l := blockingRecallLine(&matching.TrainReport{}, c); !strings.Contains(l, "fewer than two captures") {
		t.Errorf("one rule: %q", l)
	}
}
