package main

import (
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"

	"github.com/spf13/cobra"
)

// globals are the settings every subcommand shares. Defaults come first,
// then environment variables, then flags.
type globals struct {
	stdin          io.Reader
	stdout, stderr io.Writer

	// Kafka bootstrap brokers, comma separated.
	// Default: $DANCU_KAFKA_BROKERS, else 127.0.0.1:9092 (the embedded broker).
	kafka string
	// ClickHouse address. "" means the embedded engine served by
	// `dancu clickhouse` on http://127.0.0.1:8123; a clickhouse:// or
	// host:port address means a real server over the native protocol.
	// Default: $DANCU_CLICKHOUSE.
	clickhouse string
	// ClickHouse database every command uses (migrate creates it).
	// Default: $DANCU_DATABASE, else the path of a clickhouse:// address,
	// else "default".
	database string
	// Home directory for embedded broker and ClickHouse data and caches.
	// Default: $DANCU_HOME, else ~/.dancu.
	home string
	// Verbose logging (debug level).
	verbose bool
	// Write a CPU profile of the command here (performance work).
	cpuprofile string
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func defaultHome() string {
	if v := os.Getenv("DANCU_HOME"); v != "" {
		return v
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".dancu")
	}
	return ".dancu"
}

func newRootCmd(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	g := &globals{stdin: stdin, stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:           "dancu",
		Short:         "Build Vietnam's population register from census forms and provincial spreadsheets",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       "-", // replaced by the template below
	}
	root.SetVersionTemplate(versionText())
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	pf := root.PersistentFlags()
	pf.StringVar(&g.kafka, "kafka", envOr("DANCU_KAFKA_BROKERS", "127.0.0.1:9092"), "Kafka bootstrap brokers, comma separated ($DANCU_KAFKA_BROKERS)")
	pf.StringVar(&g.clickhouse, "clickhouse", os.Getenv("DANCU_CLICKHOUSE"), "ClickHouse address ($DANCU_CLICKHOUSE): host:port or clickhouse://user:pass@host:port/db = a server over the native protocol; http://host:port = the HTTP interface; empty = the embedded engine (dancu clickhouse) on http://127.0.0.1:8123")
	pf.StringVar(&g.database, "database", os.Getenv("DANCU_DATABASE"), "ClickHouse database for every command; migrate creates it ($DANCU_DATABASE; default: the path of a clickhouse:// address, else \"default\")")
	pf.StringVar(&g.home, "home", defaultHome(), "directory for embedded broker/ClickHouse data and caches ($DANCU_HOME)")
	pf.BoolVarP(&g.verbose, "verbose", "v", false, "debug logging")
	pf.StringVar(&g.cpuprofile, "cpuprofile", "", "write a CPU profile of the command to this file")
	var profile *os.File
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		if g.cpuprofile == "" {
			return nil
		}
		f, err := os.Create(g.cpuprofile)
		if err != nil {
			return err
		}
		profile = f
		return pprof.StartCPUProfile(f)
	}
	root.PersistentPostRunE = func(cmd *cobra.Command, args []string) error {
		if profile == nil {
			return nil
		}
		pprof.StopCPUProfile()
		return profile.Close()
	}

	root.AddCommand(
		newBrokerCmd(g),
		newClickHouseCmd(g),
		newGenCmd(g),
		newNormalizeCmd(g),
		newImportCmd(g),
		newLinkCmd(g),
		newTrainCmd(g),
		newSettingsCmd(g),
		newEvalCmd(g),
		newExplainCmd(g),
		newMigrateCmd(g),
		newRunCmd(g),
		newCoverageCmd(g),
		newDemoCmd(g),
		newServeCmd(g),
		newUsersCmd(g),
		newReviewCmd(g),
		newDeadLettersCmd(g),
		newChaosCmd(g),
		newBenchCmd(g),
	)
	return root
}
