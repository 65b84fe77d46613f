package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/dancu-vn/dancu/internal/chdb"
	"github.com/dancu-vn/dancu/schemas"
)

// versionText is what `dancu --version` prints: the module version, the
// commit it was built from (with "+dirty" for uncommitted changes), the
// canonical record's schema version, the libchdb version the embedded
// engine expects, and the Go toolchain.
func versionText() string {
	version, commit := "(devel)", "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			version = bi.Main.Version
		}
		var dirty bool
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
				if len(commit) > 12 {
					commit = commit[:12]
				}
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if dirty {
			commit += "+dirty"
		}
	}
	return fmt.Sprintf("dancu %s (commit %s, record schema v%d, libchdb %s, %s)\n",
		version, commit, schemas.Version, chdb.LibVersion, runtime.Version())
}
