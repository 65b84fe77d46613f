package registry

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cockroachdb/pebble"
)

// ChangelogPosition is how far a registry has applied its changelog (the
// match stage's dancu.registry-changelog): the last message whose batch,
// decision or withdrawal the store holds, as Kafka Streams checkpoints
// its state stores. A registry restored from an older copy, or one whose
// store lost its last unsynced writes, replays the changelog from the
// message after it (pipelines.OpenRegistry).
type ChangelogPosition struct {
	// Cluster is the Kafka cluster's id ("" when the broker gave none)
	// and Topic the changelog's name: a copy from another cluster is not
	// caught up from this one's changelog.
	Cluster string `json:"cluster,omitempty"`
	Topic   string `json:"topic"`
	// Offset is the message's offset in the changelog's one partition,
	// Key its key (a batch's key and part, "decision:…",
	// "withdrawal:…"): the message at Offset of another changelog (a
	// topic recreated) has another key.
	Offset int64  `json:"offset"`
	Key    string `json:"key"`
	// FirstOffset and FirstKey, on a start mark (Start), name a message
	// of the changelog the store was marked on: its first message when
	// the store was marked to be rebuilt from it, or, marked on an empty
	// changelog, the first message the store wrote there
	// (VouchChangelogStart). A topic deleted and made again on the same
	// cluster lacks it, which the mark alone (an offset) does not tell.
	// Empty on a mark written before 6 December (chaos6), or before the
	// store's first write reached the changelog.
	FirstOffset int64  `json:"first_offset,omitempty"`
	FirstKey    string `json:"first_key,omitempty"`
}

// Start reports whether p is the mark StartChangelog writes: the store
// has applied nothing of the changelog, and replays it from the message
// after Offset.
func (p ChangelogPosition) Start() bool { return p.Key == "" }

// changelogPositionKey is the meta key of the position (JSON).
var changelogPositionKey = metaKey("changelog")

// ChangelogPosition returns the position SetChangelogPosition or
// StartChangelog stored last; false when none was (a registry written
// before positions were kept, or never given a changelog).
func (r *Registry) ChangelogPosition() (ChangelogPosition, bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var p ChangelogPosition
	if r.db == nil {
		return p, false, errors.New("registry changelog position: registry closed")
	}
	v, ok, err := getClone(r.db, changelogPositionKey)
	if err != nil || !ok {
		return p, false, err
	}
	if err := json.Unmarshal(v, &p); err != nil {
		return p, false, fmt.Errorf("registry: changelog position: %w", err)
	}
	return p, true, nil
}

// SetChangelogPosition stores p, written as the registry's batches are
// (synced when Config.Sync says so). The caller stores it once the
// changelog holds what the registry has applied, and before it applies
// anything more: the store's write-ahead log keeps its writes in order,
// so that a store which lost its last writes lost the position with
// them, and one that kept an operation after p kept p.
func (r *Registry) SetChangelogPosition(p ChangelogPosition) error {
	return r.storePosition(p, false, false)
}

// StartChangelog marks an empty store as following the changelog from the
// message after p.Offset (p.Key is ignored: the mark has none, Start), and
// syncs the mark before it returns. The store holds a position from then
// on: one that kept batches and lost every position written after them —
// a kill keeps Pebble's unsynced writes only up to where its log was last
// written out — replays the changelog from its start instead of being
// taken as up to date (a store without any position: one written before
// positions were kept).
func (r *Registry) StartChangelog(p ChangelogPosition) error {
	p.Key = ""
	return r.storePosition(p, true, true)
}

// VouchChangelogStart names, on a start mark that names no message yet,
// the changelog's message at offset, with its key (FirstOffset,
// FirstKey), synced. It does nothing when the store holds a position, or
// a mark that names a message already. The match stage calls it once the
// first message it wrote to an empty changelog is there: the sync also
// keeps what the store applied before it, so a store with records and
// this mark names a message of its changelog.
func (r *Registry) VouchChangelogStart(offset int64, key string) error {
	p, ok, err := r.ChangelogPosition()
	if err != nil || !ok || !p.Start() || p.FirstKey != "" || key == "" {
		return err
	}
	p.FirstOffset, p.FirstKey = offset, key
	return r.storePosition(p, true, false)
}

// storePosition stores p: a start mark (synced; into an empty store when
// empty says so) or a position (as the registry's batches are written).
func (r *Registry) storePosition(p ChangelogPosition, sync, empty bool) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.db == nil {
		return errors.New("registry changelog position: registry closed")
	}
	opts := r.writeOpts()
	if empty && r.next > 0 {
		return fmt.Errorf("registry changelog start: the store holds %d records already", r.next)
	}
	if sync {
		opts = pebble.Sync
	}
	if err := r.db.Set(changelogPositionKey, b, opts); err != nil {
		return fmt.Errorf("registry: changelog position: %w", err)
	}
	return nil
}
