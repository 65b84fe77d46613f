package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newNormalizeCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "normalize",
		Short: "normalise names, addresses, dates, sex, ids",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("normalize: not implemented yet")
		},
	}
}
