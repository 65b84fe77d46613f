package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newCoverageCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "coverage",
		Short: "print coverage by province",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("coverage: not implemented yet")
		},
	}
}
