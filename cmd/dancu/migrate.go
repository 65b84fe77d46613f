package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/dancu-vn/dancu/internal/chstore"
)

func newMigrateCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "apply ClickHouse migrations",
		Long: `Create dancu's ClickHouse tables and views by applying the migrations
embedded in the binary (schemas/migrations), in order. Applied versions are
recorded in the schema_migrations table, so running it again applies nothing.

With no --clickhouse / DANCU_CLICKHOUSE it talks to the embedded engine
(` + "`dancu clickhouse`" + `) on http://127.0.0.1:8123; otherwise to that server over
the native protocol.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := clickHouseConfig(g)
			if err != nil {
				return fmt.Errorf("migrate: %w", err)
			}
			cfg.CreateDatabase = true
			ctx := cmd.Context()
			conn, err := chstore.Open(ctx, cfg)
			if err != nil {
				return fmt.Errorf("migrate: %w", err)
			}
			defer conn.Close()
			applied, err := chstore.Migrate(ctx, conn)
			for _, name := range applied {
				fmt.Fprintln(g.stdout, "applied", name)
			}
			if err != nil {
				return err
			}
			if len(applied) == 0 {
				fmt.Fprintln(g.stdout, "schema is up to date")
			}
			return nil
		},
	}
	return cmd
}
