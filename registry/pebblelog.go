package registry

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"syscall"
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
	msg := fmt.Sprintf(format, args...)
	for _, a := range args {
		if err, ok := a.(error); ok && errors.Is(err, syscall.ENOSPC) {
			// A full disk (a failed commit to the log): say the way out.
			msg += "; the disk is full: what the store was writing was not committed and comes again: free space on it and start again"
			break
		}
	}
	slog.Error(msg, "store", l.store)
	os.Exit(1)
}
