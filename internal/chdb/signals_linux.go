//go:build linux

package chdb

import (
	"syscall"
	"unsafe"
)

// libchdb installs its own handlers for SIGSEGV, SIGBUS, SIGILL, SIGFPE,
// SIGABRT and others when it starts an engine. The Go runtime needs its
// own: without them a nil-pointer dereference anywhere in the process (and
// Go uses SIGSEGV for those) kills it with "Segmentation fault" instead of
// a recoverable panic, and SIGURG preemption and SIGINT handling break.
// So the engine is started with chdb_set_signal_handlers_enabled(0), and
// the kernel's handler table, as the Go runtime set it, is saved before
// libchdb runs and put back whenever it changed.

// kernelSigaction is struct sigaction as the Linux kernel sees it on
// 64-bit platforms (what rt_sigaction reads and writes).
type kernelSigaction struct {
	handler  uintptr
	flags    uint64
	restorer uintptr
	mask     uint64
}

// sigState is a saved handler table for signals 1..31.
type sigState [32]kernelSigaction

func sigaction(sig int, act, old *kernelSigaction) syscall.Errno {
	_, _, errno := syscall.RawSyscall6(syscall.SYS_RT_SIGACTION, uintptr(sig),
		uintptr(unsafe.Pointer(act)), uintptr(unsafe.Pointer(old)), 8, 0, 0)
	return errno
}

func skipSignal(sig int) bool { return sig == int(syscall.SIGKILL) || sig == int(syscall.SIGSTOP) }

// saveSignals reads the current handler table.
func saveSignals() *sigState {
	var s sigState
	for sig := 1; sig < len(s); sig++ {
		if skipSignal(sig) {
			continue
		}
		sigaction(sig, nil, &s[sig])
	}
	return &s
}

// restoreSignals puts back every handler that differs from s and reports
// whether any did.
func restoreSignals(s *sigState) bool {
	changed := false
	for sig := 1; sig < len(s); sig++ {
		if skipSignal(sig) {
			continue
		}
		var cur kernelSigaction
		if sigaction(sig, nil, &cur) != 0 {
			continue
		}
		if cur != s[sig] {
			sigaction(sig, &s[sig], nil)
			changed = true
		}
	}
	return changed
}
