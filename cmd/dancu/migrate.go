package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newMigrateCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "apply ClickHouse migrations",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("migrate: not implemented yet")
		},
	}
}
