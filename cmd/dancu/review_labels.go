package main

import (
	"encoding/csv"
	"fmt"

	"github.com/spf13/cobra"
)

// newReviewLabelsCmd: `dancu review labels --out FILE` writes the review
// decisions as labelled pairs for `dancu train --labels`. Unlike the other
// review commands it reads ClickHouse directly (--clickhouse): it is an
// operator's export, not a reviewer's action.
func newReviewLabelsCmd(g *globals) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "labels --out labels.csv",
		Short: "write the review decisions as labelled pairs (matches and non-matches) for dancu train --labels",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return fmt.Errorf("review labels: --out is required")
			}
			st, closeFn, err := openDeskStore(cmd, g)
			if err != nil {
				return err
			}
			defer closeFn()
			ls, err := st.Labels(cmd.Context())
			if err != nil {
				return err
			}
			f, err := createPrivate(out)
			if err != nil {
				return err
			}
			w := csv.NewWriter(f)
			w.Write([]string{"record_id_l", "record_id_r", "match", "decision_id"})
			matches := 0
			for _, l := range ls {
				m := "0"
				if l.Match {
					m = "1"
					matches++
				}
				w.Write([]string{l.A, l.B, m, l.DecisionID})
			}
			w.Flush()
			if err := w.Error(); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "%d labelled pairs (%d matches, %d non-matches) written to %s\n", len(ls), matches, len(ls)-matches, out)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "labels CSV to write")
	return cmd
}
