package pipelines

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
)

// rebuildingSuffix names the file beside a registry directory that says a
// rebuild from the changelog has begun and not finished.
const rebuildingSuffix = ".rebuilding"

// openStageRegistry opens the match stage's registry (OpenRegistry) so
// that a rebuild from the changelog that is cut short — Ctrl-C, a kill,
// an OOM, Kafka going away — starts again from the beginning at the next
// start. While a rebuild runs, a file beside the directory
// (DIR.rebuilding) says so; finding it, the next start removes the
// half-built directory and rebuilds it anew. (The registry also stores
// its changelog position after each operation it replays, from which a
// next start would go on; but one cut between its first batch and that
// batch's position holds records and no position, which a start takes as
// up to date — a registry written before positions were kept — and so
// does one cut by an older dancu: the mark covers both.) The end of a
// rebuild is logged here; its start, as a catch-up of a registry behind
// its changelog, by catchUp, which knows the changelog's bounds.
func openStageRegistry(ctx context.Context, rc RegistryConfig, log *slog.Logger) (*RegistryLinker, error) {
	marker := rc.Dir + rebuildingSuffix
	if len(rc.Brokers) > 0 {
		_, err := os.Stat(marker)
		switch {
		case err == nil:
			log.Warn("the registry's last rebuild did not finish: removing it and rebuilding it from the changelog", "dir", rc.Dir)
			if err := os.RemoveAll(rc.Dir); err != nil {
				return nil, fmt.Errorf("open registry: remove the half-rebuilt %s: %w", rc.Dir, err)
			}
		case !errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("open registry: %w", err)
		}
		if empty, err := emptyDir(rc.Dir); err != nil {
			return nil, fmt.Errorf("open registry: %w", err)
		} else if empty {
			if err := writeMarker(marker); err != nil {
				return nil, fmt.Errorf("open registry: %w", err)
			}
		}
	}
	l, c, err := openRegistry(ctx, rc, log)
	if err != nil {
		return nil, err
	}
	if c.Fresh && c.Records > 0 {
		log.Info("registry rebuilt from its changelog", "records", c.Records)
	}
	if err := removeMarker(marker); err != nil {
		l.Close()
		return nil, fmt.Errorf("open registry: %w", err)
	}
	return l, nil
}

// emptyDir reports whether dir is missing or holds nothing.
func emptyDir(dir string) (bool, error) {
	es, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return true, nil
	}
	return len(es) == 0, err
}

// writeMarker creates the file name, synced with its directory's entry
// for it so that a crash right after cannot lose it while the rebuild it
// marks has written to the registry.
func writeMarker(name string) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return syncDir(filepath.Dir(name))
}

// removeMarker removes the file name, if there, and syncs its directory,
// so that a crash right after does not bring it back (and with it a
// rebuild of a whole registry).
func removeMarker(name string) error {
	if err := os.Remove(name); errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	return syncDir(filepath.Dir(name))
}

// syncDir syncs directory dir: a file's own sync does not write its
// entry in the directory, which a file just created or removed needs.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	return errors.Join(d.Sync(), d.Close())
}
