package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newBrokerCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "broker",
		Short: "run the embedded Kafka-protocol broker",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("broker: not implemented yet")
		},
	}
}
