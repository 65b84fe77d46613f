package main

import (
	"fmt"

	"github.com/dancu-vn/dancu/matching/settings"
	"github.com/spf13/cobra"
)

func newSettingsCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "settings",
		Short: "the settings language (doc) and a check of a settings file (check)",
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "doc",
		Short: "print the settings language: every column option, transform and comparison op with an example",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := fmt.Fprint(g.stdout, settings.Doc())
			return err
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "check FILE",
		Short: "check a settings file; errors name the setting and its line, warnings the fields whose errors escape every blocking rule",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := settings.Load(args[0])
			if err != nil {
				return fmt.Errorf("settings check: %w", err)
			}
			fmt.Fprintf(g.stdout, "%s: settings %q: %d columns, %d blocking rules, %d comparisons\n",
				args[0], s.Name, len(s.Columns), len(s.Blocking), len(s.Comparisons))
			for _, w := range settings.BlockingEscapes(s) {
				fmt.Fprintf(g.stdout, "blocking warning: %s\n", w)
			}
			return nil
		},
	})
	return cmd
}
