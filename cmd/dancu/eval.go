package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newEvalCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "eval",
		Short: "score predicted clusters against ground truth",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("eval: not implemented yet")
		},
	}
}
