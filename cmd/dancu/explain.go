package main

import (
	"fmt"
	"strings"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/vn"
	"github.com/spf13/cobra"
)

func newExplainCmd(g *globals) *cobra.Command {
	var o linkOptions
	var a, b string
	var train, unmasked bool
	cmd := &cobra.Command{
		Use:   "explain --in FILE --a ID --b ID",
		Short: "show why two records match or not (a waterfall of match weights)",
		Long: `Explain prints, for two records of the input, the prior and each comparison's
level, weight (log2 m/u, scaled by OCR confidence) and term-frequency
adjustment, with the running total and the match probability. The settings
must carry a trained model (dancu train), or --train estimates one on the
input first. Values are masked unless --unmasked.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if a == "" || b == "" {
				return fmt.Errorf("explain: give --a ID and --b ID")
			}
			s, _, f, err := o.load()
			if err != nil {
				return fmt.Errorf("explain: %w", err)
			}
			ia, ok := f.Index(a)
			if !ok {
				return fmt.Errorf("explain: record %q not in the input", a)
			}
			ib, ok := f.Index(b)
			if !ok {
				return fmt.Errorf("explain: record %q not in the input", b)
			}
			if s.Model == nil {
				if !train {
					return fmt.Errorf("explain: settings have no trained model: run dancu train, or give --train")
				}
				m, _, err := matching.Train(cmd.Context(), f, s, nil)
				if err != nil {
					return err
				}
				s.Model = m
			}
			e := matching.ExplainPair(f, s, int32(ia), int32(ib))
			if e.Err != nil {
				return e.Err
			}
			if !unmasked {
				for i := range e.Steps {
					st := &e.Steps[i]
					st.ValueA, st.ValueB = mask(st.Comparison, st.ValueA), mask(st.Comparison, st.ValueB)
				}
			}
			fmt.Fprint(g.stdout, e.String())
			return nil
		},
	}
	o.flags(cmd)
	cmd.Flags().StringVar(&a, "a", "", "first record id")
	cmd.Flags().StringVar(&b, "b", "", "second record id")
	cmd.Flags().BoolVar(&train, "train", false, "train the model on the input when the settings have none")
	cmd.Flags().BoolVar(&unmasked, "unmasked", false, "show values in full (names, numbers)")
	return cmd
}

// mask hides what identifies a person: numbers as vn.MaskID does, names
// as vn.MaskName does; dates, codes and sexes are shown.
func mask(comparison, v string) string {
	digits := v != ""
	for _, r := range v {
		if r < '0' || r > '9' {
			digits = false
		}
	}
	switch {
	case digits && len(v) >= 9:
		return vn.MaskID(v)
	case digits || strings.ContainsAny(v, "0123456789"):
		return v // dates, codes, short numbers
	case strings.Contains(comparison, "name") || comparison == "parents":
		return vn.MaskName(v)
	}
	return v
}
