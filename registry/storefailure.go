package registry

import (
	"errors"
	"fmt"
	"syscall"
)

// StoreFailureMessage is what dancu says when the Pebble store of what
// ("registry", "score store") failed with err, a failed file operation:
// the store cannot go on, and what to do depends on why the operation
// failed. The match stage says it through pipelines.StoreFailure, Pebble's
// Fatalf (a failed background flush or MANIFEST write) through the store's
// logger, so that both say the same.
//
// Before, every failure was told to free space, even a file removed under
// the store (ENOENT) or a directory it may not write (EACCES).
func StoreFailureMessage(what string, err error) string {
	return fmt.Sprintf("the %s's store on disk failed: %v; the store cannot go on after a failed write (Pebble stops it): "+
		"what it was writing was not committed and comes again. %s, then start dancu again: it resumes from what the store committed",
		what, err, storeAdvice(err))
}

// storeAdvice is the way out of a store failure, by its errno.
func storeAdvice(err error) string {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return "Check the disk and the store's directory"
	}
	switch errno {
	case syscall.ENOSPC:
		return "The disk is full. Free space on it (df; dancu needs room for the store to grow and compact)"
	case syscall.EDQUOT:
		return "The disk quota of the user dancu runs as is used up. Free space within it, or raise it (quota)"
	case syscall.EROFS:
		return "The file system is read-only (one is remounted read-only after disk errors: see dmesg). " +
			"Check the disk and mount it read-write"
	case syscall.EIO:
		return "The disk failed to read or write (an I/O error). Check it (dmesg, smartctl) before anything else"
	case syscall.EACCES, syscall.EPERM:
		return "dancu may not write there: the store's directory and files must belong to the user dancu runs as (ls -l, chown)"
	case syscall.ENOENT:
		return "A file or directory of the store is gone: something removed it while dancu ran " +
			"(a cleaner of /tmp, a hand): keep the store where nothing else removes files"
	}
	return "Check the disk and the store's directory"
}
