package pipelines

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/segmentio/kafka-go"
)

// Republishing the registry (README, "Upgrading the model, and rebuilding
// the registry"). A registry rebuilt from its changelog with another model
// groups some records otherwise, but a rebuild writes nothing to
// TopicMatched: ClickHouse keeps the old model's persons and links until
// a batch or a decision touches them. A republish writes, through the
// load stage as every other output, every person the registry holds and
// the links of its records (registry.Persons, at the version of the last
// batch), its conflicts (registry.Conflicts, by ranges of person ids),
// then an end mark; the load stage (ClickHouseSink.republish)
// counts in coverage the change of each person whose row changes,
// retires the persons ClickHouse holds living that the registry no longer
// does — each into the person now holding its founding record when one
// does, with a merge event, else marked UpgradedPrefix —, writes the
// conflicts that differ from the registry's and resolves those it holds
// open that the registry no longer raises (never one decided, or one the
// desk has a decision on), and leaves everything else as it was. Written
// twice it changes nothing.
//
// The match stage republishes when it starts (before it links anything
// or takes a decision) if the model it runs is not the one it last
// published with (the fingerprint in the file --home/registry.published,
// written once a republish, or a start that needed none, is loaded), or
// when told to (dancu run --republish).

// Kinds of a republish's messages on TopicMatched: persons, links and
// conflicts (Arrow, as KindPersons, KindLinks and KindConflicts; each
// message carries HeaderRepublish, the Republish it belongs to, JSON —
// a conflicts message with the range of persons it covers), and the end
// mark (JSON Republish).
const (
	KindRepublishPersons   = "republish_persons"
	KindRepublishLinks     = "republish_links"
	KindRepublishConflicts = "republish_conflicts"
	KindRepublishEnd       = "republish_end"
	// HeaderRepublish carries a republish (JSON Republish) on its
	// persons and links messages.
	HeaderRepublish = "dancu-republish"
	// UpgradedPrefix begins the merged_into of a person a republish
	// retired whose founding record no living person holds (none, or a
	// person named otherwise): "upgraded:" and the new model's
	// fingerprint.
	UpgradedPrefix = "upgraded:"
	// PersonRetired is the kind of the person event of such a person.
	PersonRetired = "retired"
)

// Republish says what a republish is: the version its rows carry (the
// registry's last batch), when it began (its rows' updated_at and
// linked_at are later: a row of the old model's last batch has the same
// version and an earlier time), why it was written, the reason of its
// person events ("model upgrade <old> → <new>"), and the model.
type Republish struct {
	Version uint64    `json:"version"`
	Since   time.Time `json:"since"`
	Reason  string    `json:"reason"`
	Model   string    `json:"model"` // the fingerprint of the model republished
	// After and Through bound the person ids a conflicts message covers,
	// (After, Through] (Through "": no bound above), as
	// registry.ConflictsChunk: its conflicts are all the registry holds
	// naming a person of the range.
	After   string `json:"after,omitempty"`
	Through string `json:"through,omitempty"`
}

// Republished is one message of a republish as the load stage reads it:
// persons, links or conflicts (OfConflicts; Conflicts may be empty), or
// the end mark (End).
type Republished struct {
	Republish
	Persons     []schemas.Person
	Links       []schemas.Link
	Conflicts   []schemas.Conflict
	OfConflicts bool
	End         bool
}

// RepublishReason is the reason of a republish's events: the model
// upgrade from the fingerprint last published (old; "" when not known)
// to the one republished.
func RepublishReason(old, now string) string {
	if old == "" || old == now {
		return "republish " + now
	}
	return "model upgrade " + old + " → " + now
}

// RepublishTo writes every person of the registry and its links to w
// (TopicMatched), then the end mark, and returns the persons written. It
// holds the linker's lock throughout, so that no batch or decision is
// linked meanwhile. caughtUp, when set, waits until the load stage has
// loaded everything written to TopicMatched: before the first message
// (the old model's last rows are then in ClickHouse before the
// republished ones, which win a tie of versions as the later insert),
// before the end mark (which retires what was not republished) and after
// it, so that the rows of the next batches reach ClickHouse after.
func (l *RegistryLinker) RepublishTo(ctx context.Context, w MessageWriter, reason string, chunkRows int, caughtUp func(context.Context) error) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if chunkRows <= 0 {
		chunkRows = 2000
	}
	wait := func() error {
		if caughtUp == nil {
			return nil
		}
		return caughtUp(ctx)
	}
	if err := wait(); err != nil {
		return 0, err
	}
	info := Republish{Since: time.Now().UTC(), Reason: reason, Model: registry.Fingerprint(l.Registry.Settings())}
	n := 0
	ver, err := l.Registry.Persons(ctx, 2*chunkRows, func(c registry.PersonsChunk) error {
		info.Version = c.Persons[0].Version
		h, err := json.Marshal(info)
		if err != nil {
			return err
		}
		header := kafka.Header{Key: HeaderRepublish, Value: h}
		out, err := appendChunks(nil, KindRepublishPersons, c.Persons, chunkRows, schemas.EncodeRows[schemas.Person])
		if err != nil {
			return err
		}
		if out, err = appendChunks(out, KindRepublishLinks, c.Links, chunkRows, schemas.EncodeRows[schemas.Link]); err != nil {
			return err
		}
		for i := range out {
			out[i].Headers = append(out[i].Headers, header)
		}
		n += len(c.Persons)
		return w.WriteMessages(ctx, out...)
	})
	if err != nil {
		return n, fmt.Errorf("republish: %w", err)
	}
	info.Version = ver
	if err := republishConflicts(ctx, l.Registry, w, info); err != nil {
		return n, err
	}
	if err := wait(); err != nil {
		return n, err
	}
	info.After, info.Through = "", ""
	end, err := json.Marshal(info)
	if err != nil {
		return n, err
	}
	if err := w.WriteMessages(ctx, kafka.Message{Key: []byte(KindRepublishEnd), Value: end,
		Headers: []kafka.Header{{Key: HeaderKind, Value: []byte(KindRepublishEnd)}}}); err != nil {
		return n, fmt.Errorf("republish: %w", err)
	}
	return n, wait()
}

// republishConflicts writes the conflicts of reg to w, a message for each
// registry.ConflictsChunk (its range in the header; the rows at the
// republish's version), sized to fit a message.
func republishConflicts(ctx context.Context, reg *registry.Registry, w MessageWriter, info Republish) error {
	i := 0
	err := reg.Conflicts(ctx, chunkBytes/2, func(c registry.ConflictsChunk) error {
		for j := range c.Conflicts {
			c.Conflicts[j].Version = info.Version
		}
		info.After, info.Through = c.After, c.Through
		h, err := json.Marshal(info)
		if err != nil {
			return err
		}
		v, err := schemas.EncodeRows(c.Conflicts)
		if err != nil {
			return err
		}
		m := chunkMessage(KindRepublishConflicts, i, v)
		m.Headers = append(m.Headers, kafka.Header{Key: HeaderRepublish, Value: h})
		i++
		return w.WriteMessages(ctx, m)
	})
	if err != nil {
		return fmt.Errorf("republish conflicts: %w", err)
	}
	return nil
}

// loadCaughtUp returns a wait until the consumer group group has
// committed every message of TopicMatched, polled; it logs every 30 s
// while it waits (a load stage must run somewhere).
func loadCaughtUp(brokers []string, group string, log *slog.Logger) func(context.Context) error {
	return func(ctx context.Context) error {
		said := time.Now()
		_, err := waitCommitted(ctx, brokers, group, TopicMatched, 100*time.Millisecond, func(behind int64) {
			if time.Since(said) > 30*time.Second {
				log.Info("republish: waiting for the load stage to load what is before it", "group", group, "messages", behind)
				said = time.Now()
			}
		})
		if err != nil && ctx.Err() == nil {
			return fmt.Errorf("republish: %w", err)
		}
		return err
	}
}

// publishedSuffix names the file beside the registry's directory that
// holds the fingerprint of the model the match stage last published with.
const publishedSuffix = ".published"

// republishIfNeeded republishes the registry of l when force is set or
// the model it runs is not the one last published (the file beside its
// directory dir), then notes the model in that file. A missing file
// (the first start, or a match stage of before 6 December) is written
// without a republish. An empty registry is never republished: its end
// mark would retire every person ClickHouse holds. While a republish
// runs, a file beside the directory (DIR.republishing) says so: a start
// that finds it republishes again, asked or not.
func republishIfNeeded(ctx context.Context, l *RegistryLinker, dir string, force bool, w MessageWriter, chunkRows int, caughtUp func(context.Context) error, log *slog.Logger) error {
	name := dir + publishedSuffix
	now := registry.Fingerprint(l.Registry.Settings())
	b, err := os.ReadFile(name)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("republish: %w", err)
	}
	old := strings.TrimSpace(string(b))
	// A republish cut short (Ctrl-C, a kill) is made again: one asked for
	// with --republish left no trace before, the model file saying the
	// model in force, and the next start did not make it (user16).
	pending := dir + republishingSuffix
	if _, err := os.Stat(pending); err == nil {
		log.Warn("the registry's last republish did not finish: republishing it again", "dir", dir)
		force = true
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("republish: %w", err)
	}
	switch {
	case !force && (old == "" || old == now):
	case l.Registry.Len() == 0:
		// Its end would retire every person ClickHouse holds.
		log.Warn("the registry holds no record: not republished, ClickHouse left as it is", "dir", dir)
	default:
		reason := RepublishReason(old, now)
		log.Info("republishing the registry to ClickHouse", "reason", reason)
		if err := writeMarker(pending); err != nil {
			return fmt.Errorf("republish: %w", err)
		}
		start := time.Now()
		n, err := l.RepublishTo(ctx, w, reason, chunkRows, caughtUp)
		if err != nil {
			return err
		}
		log.Info("registry republished", "persons", n, "took", time.Since(start).Round(time.Millisecond))
	}
	if old == now {
		return removeMarker(pending)
	}
	if err := os.WriteFile(name+".tmp", []byte(now+"\n"), 0o644); err != nil {
		return fmt.Errorf("republish: %w", err)
	}
	if err := os.Rename(name+".tmp", name); err != nil {
		return fmt.Errorf("republish: %w", err)
	}
	return removeMarker(pending)
}

// republishingSuffix names the file beside the registry's directory that
// says a republish was started and has not finished.
const republishingSuffix = ".republishing"

// addRepublished decodes a republish message of kind k into b.
func (b *Batch) addRepublished(k string, m kafka.Message) error {
	var r Republished
	info := m.Value
	if k != KindRepublishEnd {
		info = nil
		for _, h := range m.Headers {
			if h.Key == HeaderRepublish {
				info = h.Value
			}
		}
	}
	if err := json.Unmarshal(info, &r.Republish); err != nil {
		return fmt.Errorf("republish: %w", err)
	}
	var err error
	switch k {
	case KindRepublishPersons:
		r.Persons, err = schemas.DecodeRows[schemas.Person](m.Value)
	case KindRepublishLinks:
		r.Links, err = schemas.DecodeRows[schemas.Link](m.Value)
	case KindRepublishConflicts:
		r.OfConflicts = true
		r.Conflicts, err = schemas.DecodeRows[schemas.Conflict](m.Value)
	default:
		r.End = true
	}
	if err != nil {
		return err
	}
	b.Republished = append(b.Republished, r)
	return nil
}
