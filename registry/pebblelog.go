package registry

import (
	"errors"
	"fmt"
	"io/fs"
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

// Fatalf is Pebble's end of the store: an invariant it found broken (a
// bug), or a write it cannot undo that failed, as a background flush or
// compaction's MANIFEST write on a full disk. That failure is said as a
// failed commit is (StoreFailureMessage: why, and what to do), and the
// process exits 1 as a stage stopped by it does.
func (l pebbleLogger) Fatalf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	for _, a := range args {
		if err, ok := a.(error); ok && isFileFailure(err) {
			what := l.store
			if what == "scorer" {
				what = "score store"
			}
			msg = StoreFailureMessage(what, fatalError{msg, err})
			break
		}
	}
	slog.Error(msg, "store", l.store)
	os.Exit(1)
}

// isFileFailure says whether err is a failed file operation.
func isFileFailure(err error) bool {
	var pe *fs.PathError
	var errno syscall.Errno
	return errors.As(err, &pe) || errors.As(err, &errno)
}

// fatalError is Pebble's fatal message, which wraps the error it names.
type fatalError struct {
	msg string
	err error
}

func (e fatalError) Error() string { return e.msg }
func (e fatalError) Unwrap() error { return e.err }
