package registry_test

import (
	"testing"

	"github.com/dancu-vn/dancu/registry"
)

// TestChangelogPositionClosed: a closed registry's position is an error,
// as every other call on it is, not a crash on its released store.
func TestChangelogPositionClosed(t *testing.T) {
	reg := openVietnamese(t)
	if err := reg.Close(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := reg.ChangelogPosition(); err == nil {
		t.Error("ChangelogPosition on a closed registry: no error")
	}
	if err := reg.SetChangelogPosition(registry.ChangelogPosition{Offset: 3, Key: "k"}); err == nil {
		t.Error("SetChangelogPosition on a closed registry: no error")
	}
}
