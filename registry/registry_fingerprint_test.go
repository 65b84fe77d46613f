package registry

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cockroachdb/pebble"

	"github.com/dancu-vn/dancu/matching/vietnamese"
)

// TestStoreOfAnEarlierRevisionRefused: a store written by code of an
// earlier Revision — the same settings, but fields, keys or summaries kept
// otherwise (rv10: acc19's current address, name split and guard
// summaries) — is refused like one of another model, not opened to answer
// unlike a rebuilt one.
func TestStoreOfAnEarlierRevisionRefused(t *testing.T) {
	dir := t.TempDir()
	s, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	reg, err := Open(Config{Dir: dir, Settings: s})
	if err != nil {
		t.Fatal(err)
	}
	if err := reg.Close(); err != nil {
		t.Fatal(err)
	}
	fp := Fingerprint(s)
	rev := fmt.Sprintf(" r%d", Revision)
	if !strings.HasSuffix(fp, rev) {
		t.Fatalf("fingerprint %q does not end with the revision %q", fp, rev)
	}
	db, err := pebble.Open(dir, &pebble.Options{Comparer: comparer})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Set(metaKey("settings"), []byte(strings.TrimSuffix(fp, rev)), pebble.Sync); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if reg, err := Open(Config{Dir: dir, Settings: s}); err == nil {
		reg.Close()
		t.Fatal("a store of revision 1 opened with revision 2's code")
	} else if !strings.Contains(err.Error(), "rebuilt from the changelog") {
		t.Errorf("refusal %q does not name the rebuild", err)
	}
}
