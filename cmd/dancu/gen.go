package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newGenCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "gen",
		Short: "generate a synthetic population with ground truth",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("gen: not implemented yet")
		},
	}
}
