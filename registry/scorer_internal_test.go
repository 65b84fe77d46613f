package registry

import (
	"testing"

	"github.com/dancu-vn/dancu/matching/vietnamese"
)

// TestScorersShareCache: the Scorers a process opens without a cache size
// share one block cache, given back when the last closes; a Scorer with
// its own size has its own.
func TestScorersShareCache(t *testing.T) {
	s, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	a, err := OpenScorer(ScorerConfig{Dir: t.TempDir(), Settings: s})
	if err != nil {
		t.Fatal(err)
	}
	b, err := OpenScorer(ScorerConfig{Dir: t.TempDir(), Settings: s})
	if err != nil {
		t.Fatal(err)
	}
	own, err := OpenScorer(ScorerConfig{Dir: t.TempDir(), Settings: s, CacheBytes: 8 << 20})
	if err != nil {
		t.Fatal(err)
	}
	scorerCache.mu.Lock()
	shared, open := scorerCache.c, scorerCache.open
	scorerCache.mu.Unlock()
	if open != 2 || shared == nil {
		t.Fatalf("shared cache held by %d scorers (cache %v), want 2", open, shared)
	}
	if got, want := shared.MaxSize(), DefaultCacheBytes(); got != want {
		t.Errorf("shared cache of %d bytes, want DefaultCacheBytes() = %d", got, want)
	}
	for _, sc := range []*Scorer{a, b, own} {
		if err := sc.Close(); err != nil {
			t.Fatal(err)
		}
	}
	scorerCache.mu.Lock()
	defer scorerCache.mu.Unlock()
	if scorerCache.c != nil || scorerCache.open != 0 {
		t.Errorf("after closing every scorer the shared cache is held by %d (cache %v), want released", scorerCache.open, scorerCache.c)
	}
}
