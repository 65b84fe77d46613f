package registry

import (
	"fmt"
	"log/slog"
	"os"
)

// pebbleLogger sends Pebble's own messages (write-ahead logs replayed,
// compactions) to slog at debug level instead of the standard logger, so
// a restarted dancu run does not print "[JOB 1] WAL file … replayed" on
// stderr; -v shows them. A fatal error of the store is logged at error
// level and ends the process, as Pebble's default logger does.
type pebbleLogger struct{ store string }

func (l pebbleLogger) Infof(format string, args ...any) {
	slog.Debug(fmt.Sprintf(format, args...), "store", l.store)
}

func (l pebbleLogger) Fatalf(format string, args ...any) {
	slog.Error(fmt.Sprintf(format, args...), "store", l.store)
	os.Exit(1)
}
