package registry_test

import (
	"context"
	"testing"

	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
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
	if err := reg.StartChangelog(registry.ChangelogPosition{Offset: -1}); err == nil {
		t.Error("StartChangelog on a closed registry: no error")
	}
}

// TestChangelogStart: the start mark is a position without a key (Start)
// at the offset given, which a store takes only while it holds no record;
// a position stored later replaces it.
func TestChangelogStart(t *testing.T) {
	reg := openVietnamese(t)
	if err := reg.StartChangelog(registry.ChangelogPosition{Topic: "t", Offset: 4, Key: "k"}); err != nil {
		t.Fatal(err)
	}
	p, ok, err := reg.ChangelogPosition()
	if err != nil || !ok || !p.Start() || p.Offset != 4 || p.Topic != "t" {
		t.Fatalf("after the start mark: %+v %v %v, want the mark at offset 4 (no key)", p, ok, err)
	}
	a, _ := twoRecordsOfOnePerson()
	if _, err := reg.AddRecords(context.Background(), registry.NewRecords(), []schemas.Record{a}); err != nil {
		t.Fatal(err)
	}
	if err := reg.StartChangelog(registry.ChangelogPosition{Topic: "t", Offset: 4}); err == nil {
		t.Error("a store holding a record took the start mark")
	}
	if err := reg.SetChangelogPosition(registry.ChangelogPosition{Topic: "t", Offset: 5, Key: "k5"}); err != nil {
		t.Fatal(err)
	}
	if p, _, _ := reg.ChangelogPosition(); p.Start() || p.Offset != 5 {
		t.Errorf("after a position: %+v", p)
	}
}
