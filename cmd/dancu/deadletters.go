package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"text/tabwriter"

	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/spf13/cobra"
)

func newDeadLettersCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "dead-letters",
		Short: "show and re-drive what the stages could not process (topic " + pipelines.TopicDead + ")",
		Long: `The match and load stages never drop what they cannot process: an undecodable
message, or a row ClickHouse refuses (a value its column cannot hold, a violated
constraint), goes to the Kafka topic ` + pipelines.TopicDead + ` with the error, the table and
the message it came from, while the rest of its batch loads.

  dead-letters list     shows them (values quoted in errors are masked)
  dead-letters replay   sends those not yet replayed back to the topic they came
                        from, once the cause is fixed; the running stages then
                        load them, or send them back here with the new error`,
	}
	cmd.AddCommand(newDeadLettersListCmd(g), newDeadLettersReplayCmd(g))
	return cmd
}

func newDeadLettersListCmd(g *globals) *cobra.Command {
	var asJSON, pending bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "list the dead letters",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			brokers, err := kafkax.SplitBrokers(g.kafka)
			if err != nil {
				return fmt.Errorf("--kafka: %w", err)
			}
			dead, err := pipelines.ReadDeadLetters(cmd.Context(), brokers)
			if err != nil {
				return fmt.Errorf("dead-letters list: %w", err)
			}
			if pending {
				kept := dead[:0]
				for _, d := range dead {
					if !d.Replayed {
						kept = append(kept, d)
					}
				}
				dead = kept
			}
			if asJSON {
				type row struct {
					Partition int    `json:"partition"`
					Offset    int64  `json:"offset"`
					Time      string `json:"time"`
					Key       string `json:"id"`
					Kind      string `json:"kind"`
					Rows      int    `json:"rows"`
					Source    string `json:"source"`
					Stage     string `json:"stage,omitempty"`
					Table     string `json:"table,omitempty"`
					Error     string `json:"error"`
					Replayed  bool   `json:"replayed"`
				}
				enc := json.NewEncoder(g.stdout)
				for _, d := range dead {
					if err := enc.Encode(row{d.Partition, d.Offset, d.Time.UTC().Format("2006-01-02T15:04:05Z"), d.Key, d.Kind, d.Rows,
						d.Source, d.Stage, d.Table, pipelines.MaskValues(d.Error), d.Replayed}); err != nil {
						return err
					}
				}
				return nil
			}
			tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "OFFSET\tTIME\tKIND\tROWS\tID\tSOURCE\tTABLE\tREPLAYED\tERROR")
			byKind := map[string]int{}
			var open int
			for _, d := range dead {
				rows := fmt.Sprint(d.Rows)
				if d.Rows < 0 {
					rows = "?"
				}
				replayed := "no"
				if d.Replayed {
					replayed = "yes"
				} else {
					open++
				}
				fmt.Fprintf(tw, "%d@%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.Partition, d.Offset, d.Time.UTC().Format("2006-01-02 15:04:05"),
					orDash(d.Kind), rows, orDash(d.Key), d.Source, orDash(d.Table), replayed, pipelines.MaskValues(d.Error))
				byKind[d.Kind]++
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			kinds := make([]string, 0, len(byKind))
			for k := range byKind {
				kinds = append(kinds, k)
			}
			sort.Strings(kinds)
			fmt.Fprintf(g.stdout, "%d dead letters (%d not replayed)", len(dead), open)
			for _, k := range kinds {
				fmt.Fprintf(g.stdout, "; %s %d", orDash(k), byKind[k])
			}
			fmt.Fprintln(g.stdout)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "one JSON object per line")
	cmd.Flags().BoolVar(&pending, "pending", false, "only those not yet replayed")
	return cmd
}

func newDeadLettersReplayCmd(g *globals) *cobra.Command {
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "replay",
		Short: "send the dead letters not yet replayed back to the topic they came from",
		Long: `Sends every dead letter not yet replayed back to its source topic (` + pipelines.TopicMatched + `
for rows ClickHouse refused, ` + pipelines.TopicRecords + ` or ` + pipelines.TopicRejects + ` for undecodable
batches), then records how far it got in consumer group ` + pipelines.ReplayGroup + `, so a
second replay sends nothing twice. Fix the cause first (a migration, the source
file); ` + "`dancu run`" + ` loads what comes back, idempotently.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			brokers, err := kafkax.SplitBrokers(g.kafka)
			if err != nil {
				return fmt.Errorf("--kafka: %w", err)
			}
			st, err := pipelines.ReplayDeadLetters(cmd.Context(), brokers, dryRun)
			verb := "replayed"
			if dryRun {
				verb = "would replay"
			}
			topics := make([]string, 0, len(st.Replayed))
			total := 0
			for t, n := range st.Replayed {
				topics = append(topics, t)
				total += n
			}
			sort.Strings(topics)
			fmt.Fprintf(g.stdout, "%s %d dead letters", verb, total)
			for _, t := range topics {
				fmt.Fprintf(g.stdout, "; %d to %s", st.Replayed[t], t)
			}
			if st.Skipped > 0 {
				fmt.Fprintf(g.stdout, "; %d skipped (no source topic)", st.Skipped)
			}
			fmt.Fprintln(g.stdout)
			if err != nil {
				return fmt.Errorf("dead-letters replay: %w", err)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "count what would be replayed; send and commit nothing")
	return cmd
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
