package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/matching/settings"
	"github.com/dancu-vn/dancu/registry"
)

// trainChildEnv names, in the environment of this test binary run again
// by TestTrainSameBytes, the directory to train in.
const trainChildEnv = "DANCU_TEST_TRAIN_IN"

// trainInto runs dancu train on the generated files of dir (the shipped
// model's inputs, TRAINING.md) and returns the model's bytes.
func trainInto(t *testing.T, dir, out string) []byte {
	t.Helper()
	var stdout, stderr bytes.Buffer
	args := []string{"train", "--in", filepath.Join(dir, "danhsach_20240501.csv"), "--in", filepath.Join(dir, "danhsach_20251001.csv"),
		"--in", filepath.Join(dir, "phieu_dc01.jsonl"), "--out", out}
	if err := run(context.Background(), args, nil, &stdout, &stderr); err != nil {
		t.Fatalf("train: %v\n%s", err, stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestTrainSameBytes: the shipped model is an artefact anyone must be able
// to rebuild from its inputs and check by its hash (issue 9 point 4), so
// dancu train on one input, settings and seed writes the same bytes every
// time — twice in this process (Go's maps iterate in a new order each
// time), and once in a child process with another GOMAXPROCS (training's
// workers are as many, and each counts its own share of the pairs).
func TestTrainSameBytes(t *testing.T) {
	if dir := os.Getenv(trainChildEnv); dir != "" {
		trainInto(t, dir, filepath.Join(dir, "child.yaml"))
		return
	}
	if testing.Short() {
		t.Skip("trains three times")
	}
	dir := t.TempDir()
	if _, err := synth.Generate(context.Background(), synth.Config{Persons: 800, Seed: 20261206, OutDir: dir,
		NoiseProfile: "forms", Formats: []string{"csv", "jsonl"}}); err != nil {
		t.Fatal(err)
	}
	first := trainInto(t, dir, filepath.Join(dir, "first.yaml"))
	if second := trainInto(t, dir, filepath.Join(dir, "second.yaml")); !bytes.Equal(first, second) {
		t.Errorf("two runs of train on the same input wrote different models:\n%s", firstDiff(first, second))
	}
	procs := 1
	if runtime.GOMAXPROCS(0) == 1 {
		procs = 3
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestTrainSameBytes$", "-test.count=1")
	cmd.Env = append(os.Environ(), trainChildEnv+"="+dir, "GOMAXPROCS="+strconv.Itoa(procs))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("train with GOMAXPROCS=%d: %v\n%s", procs, err, out)
	}
	child, err := os.ReadFile(filepath.Join(dir, "child.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, child) {
		t.Errorf("train with GOMAXPROCS=%d wrote another model than with %d:\n%s", procs, runtime.GOMAXPROCS(0), firstDiff(first, child))
	}
}

// firstDiff shows the first line where a and b differ.
func firstDiff(a, b []byte) string {
	la, lb := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := range min(len(la), len(lb)) {
		if !bytes.Equal(la[i], lb[i]) {
			return "line " + strconv.Itoa(i+1) + ":\n  " + string(la[i]) + "\n  " + string(lb[i])
		}
	}
	return "one is " + strconv.Itoa(len(la)) + " lines long, the other " + strconv.Itoa(len(lb))
}

// TestTrainSaysWhereTheModelWent: dancu train ends saying the file it
// wrote, the model's version and the fingerprint a registry would record
// for it (the one dancu run logs and the refusals name), and how to use it
// (user23: its output ended with the model's table and no word of the file).
func TestTrainSaysWhereTheModelWent(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Generate(context.Background(), synth.Config{Persons: 150, Seed: 23, OutDir: dir,
		Formats: []string{"csv"}}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "model.yaml")
	var stdout, stderr bytes.Buffer
	args := []string{"train", "--in", filepath.Join(dir, "danhsach_20240501.csv"), "--in", filepath.Join(dir, "danhsach_20251001.csv"), "--out", out}
	if err := run(context.Background(), args, nil, &stdout, &stderr); err != nil {
		t.Fatalf("train: %v\n%s", err, stderr.String())
	}
	s, err := settings.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("wrote %s (model %s, fingerprint %q): dancu link and dancu run take it with --settings %s", out, s.Model.Version, registry.Fingerprint(s), out)
	if !strings.Contains(stderr.String(), want) {
		t.Errorf("train's output does not say %q:\n%s", want, lastLines(stderr.String(), 3))
	}
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
