package main

import (
	"encoding/json"

	"github.com/dancu-vn/dancu/pipelines"
	"github.com/spf13/cobra"
)

func newCoverageCmd(g *globals) *cobra.Command {
	var (
		era    string
		all    bool
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "coverage",
		Short: "print records and persons by province from ClickHouse",
		Long: `Prints collection coverage by province: records and persons loaded, the
2024 population and persons as a share of it. --era old uses the 63
provinces in force before 1 July 2025, --era new the 34 since. The same
figures are in the ClickHouse view coverage_by_province (column era).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			conn, err := openClickHouse(cmd.Context(), g)
			if err != nil {
				return err
			}
			defer conn.Close()
			rep, err := pipelines.Coverage(cmd.Context(), conn, era)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(g.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(rep)
			}
			return rep.WriteTable(g.stdout, all)
		},
	}
	cmd.Flags().StringVar(&era, "era", "old", "province era: old (63 provinces) or new (34, since 1 July 2025)")
	cmd.Flags().BoolVar(&all, "all", false, "list provinces with no record too")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	return cmd
}
