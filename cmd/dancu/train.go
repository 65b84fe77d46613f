package main

import (
	"context"
	"fmt"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/matching/settings"
	"github.com/dancu-vn/dancu/registry"
	"github.com/spf13/cobra"
)

func newTrainCmd(g *globals) *cobra.Command {
	var o linkOptions
	var out, labels string
	var strict bool
	cmd := &cobra.Command{
		Use:   "train --in FILE [--in FILE ...] --out model.yaml",
		Short: "estimate the matching model without labels",
		Long: `Train estimates the Fellegi–Sunter model of the settings on the input records
without labels — u from random pairs, m by expectation–maximisation over the
pairs of each blocking rule (comparisons using the rule's columns left out,
as Splink does; a comparison is left out when any of its columns derives from
an input field the rule's keys derive from), λ over all candidate pairs, or
from the settings' deterministic rules and their recall — and writes the settings with
the model to --out (YAML, or JSON when the name ends in .json). --labels adds
labelled pairs (a CSV with record_id_l, record_id_r, match = 1/0, such as
review decisions) to the m estimate. It warns when a session's match rate
exceeds 0.9, when sessions disagree on m, when the λ the model takes implies
more than five matching pairs per record or EM and the deterministic rules
disagree on it by more than 3×; --strict makes those warnings fatal. Lines
starting "note:" are not faults and --strict passes them: EM's λ when the
model took a bounded one instead (the note names the λ taken). The model carries the
training records' term frequencies (frozen, so that every score instance scores
a pair alike) and a version naming its content. The same input, settings and
seed (training.seed) give the same file, byte for byte, on any number of
cores, so a model can be rebuilt and checked by its version; dancu run and the registry
load it with --settings (default: the trained Vietnamese model embedded in the
binary, see package matching/vietnamese).`,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			if out == "" {
				return fmt.Errorf("train: give --out FILE")
			}
			s, _, f, err := o.load()
			if err != nil {
				return fmt.Errorf("train: %w", err)
			}
			var lp []matching.LabelledPair
			if labels != "" {
				if lp, err = matching.ReadLabels(labels); err != nil {
					return fmt.Errorf("train: %w", err)
				}
			}
			m, rep, err := matching.Train(ctx, f, s, lp)
			if err != nil {
				return err
			}
			fmt.Fprint(g.stderr, rep.String())
			if strict && len(rep.Warnings) > 0 {
				return fmt.Errorf("train: --strict: %d training warnings (above); no model written", len(rep.Warnings))
			}
			s.Model = m
			// Frozen term frequencies make the model a complete artefact:
			// every score instance (dancu run, the registry) scores a pair
			// the same whatever records it holds.
			if err := matching.FreezeTermFrequencies(f, s); err != nil {
				return fmt.Errorf("train: %w", err)
			}
			s.Model.Version = settings.ModelVersion(s)
			fmt.Fprintf(g.stderr, "model version %s\n", s.Model.Version)
			fmt.Fprint(g.stdout, settings.DescribeModel(s))
			if err := s.Save(out); err != nil {
				return err
			}
			// Say where the model went and how it is used: the output ended
			// with the model's table and no word of the file (user23).
			fmt.Fprintf(g.stderr, "wrote %s (model %s, fingerprint %q): dancu link and dancu run take it with --settings %s; a registry or score store built with another model refuses it until rebuilt (README, \"Upgrading the model, and rebuilding the registry\")\n",
				out, s.Model.Version, registry.Fingerprint(s), out)
			return nil
		},
	}
	o.flags(cmd)
	cmd.Flags().StringVar(&out, "out", "", "settings file to write with the trained model")
	cmd.Flags().BoolVar(&strict, "strict", false, "fail without writing when training warns: an EM session matching over 0.9 of its pairs, sessions disagreeing on m, the model's λ implausible for the number of records, EM's λ disagreeing with the deterministic rules' (notes do not fail)")
	cmd.Flags().StringVar(&labels, "labels", "", "labelled pairs CSV (record_id_l, record_id_r, match)")
	return cmd
}
