package main

import (
	"errors"
	"fmt"
	"syscall"
)

// addrInUse turns a listen error on an address another process holds into
// what to do: stop that process (likely the one named) or move this one with
// flag. internal/broker says the same of the broker's --listen.
func addrInUse(err error, addr, likely, flag string) error {
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("%w: another process listens on %s (%s already running?); stop it, or give this one another %s", err, addr, likely, flag)
	}
	return err
}
