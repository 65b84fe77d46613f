package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newTrainCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "train",
		Short: "estimate the matching model without labels",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("train: not implemented yet")
		},
	}
}
