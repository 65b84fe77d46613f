package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newLinkCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "link",
		Short: "link records offline",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("link: not implemented yet")
		},
	}
}
