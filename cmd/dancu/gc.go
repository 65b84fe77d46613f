package main

import (
	"os"
	"runtime/debug"
)

// raiseGCTarget sets a larger garbage-collection target (GOGC=400) for the
// batch commands that allocate short-lived values at a high rate and hold
// little (gen, import): it trades ~100–150 MB of memory for 10–15% less
// CPU. GOGC in the environment still wins.
func raiseGCTarget() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
}
