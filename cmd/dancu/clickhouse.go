package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newClickHouseCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "clickhouse",
		Short: "serve the embedded ClickHouse engine over HTTP",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("clickhouse: not implemented yet")
		},
	}
}
