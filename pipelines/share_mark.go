package pipelines

import (
	"context"
	"errors"
	"log/slog"

	"github.com/segmentio/kafka-go"
)

// The share's low-water mark (issue 9 (e); docs/pipeline.md, chaos15).
//
// Since chaos14 every flush with deltas adds an intent and, with the
// next, its tombstone to TopicLoadPending, and each start of a load stage
// or rebalance read the share from its first offset: the embedded broker
// (`dancu broker`) never compacts, so that read grew without bound
// (~0.1 ms a message: seconds after a day, minutes after weeks). Real
// Kafka compacts the topic, which bounds it by the keys left, not by the
// intents of a process that ended before its tombstone.
//
// So KafkaPendingShare keeps a low-water mark: the committed offset of
// the group LowMarkGroup on TopicLoadPending's partition (both real Kafka
// and the embedded broker keep a group's offsets; it has no members, its
// offsets are committed as a simple consumer's). Blocks reads from the
// mark (from the first offset when there is none, or the mark is out of
// the log: below its start, past its end after a topic made again) to
// the end it listed before the read, and then commits
//
//	min(end, the offset of part 0 of every block still needed)
//
// where a block whose part 0 was read is still needed unless a tombstone over it was read or
// the load group of its topic (Groups) committed an offset past its last
// message in every partition it came from: a block whose messages are
// committed was finished, and no member begins to read before the
// committed offset (SharedBlock.covers never holds for it again). That
// second rule is what lets the mark pass an intent whose publisher ended
// before writing its tombstone: the last intent of every process that
// stops, a kill's or a clean end's.
//
// Why a message below any committed mark is never needed again:
//   - a block published after the read listed end is at or above end;
//   - a block below end was read (the log up to the listed end is there
//     to read), and is below the mark only if it was done or finished
//     when read, which does not undo itself: a tombstone stays, and a
//     group's committed offsets only move on (the load stage commits
//     forward; `dancu coverage --rebuild` wants the loads drained);
//   - every mark committed holds this on its own, so members reading and
//     committing at once, a lower mark over a higher one included, only
//     make a later read longer, never miss a block;
//   - a block whose part 0 is below the start of the read (below a mark:
//     it was done or finished; below the log's start: it cannot be made
//     whole) is never returned, so it does not hold the mark, whatever
//     of its later parts is read;
//   - the mark is committed at the read, before the member sends again
//     the blocks it is given: those are needed when read, so they stay
//     above the mark until a later read finds their tombstones.
//
// A mark that cannot be read or committed (an error logged at debug
// level) leaves the read from the first offset or the old mark: only
// longer. A group whose committed offsets the broker forgot (Kafka's
// offsets.retention.minutes for a group left empty) keeps its blocks
// needed: the mark waits for their tombstones.

// LowMarkGroup is the group whose committed offset on TopicLoadPending
// is the share's low-water mark.
const LowMarkGroup = "dancu.load-pending.low"

// pendingAt is a block not done, where its part 0 is.
type pendingAt struct {
	from   MessageSpan
	offset int64
}

// lowMark returns the committed mark, if any.
func (k *KafkaPendingShare) lowMark(ctx context.Context, client *kafka.Client) (int64, bool) {
	committed, err := committedOffsets(ctx, client, LowMarkGroup, TopicLoadPending, []int{0})
	if err != nil {
		slog.Default().Debug("load: the share's low-water mark not read: reading from its first offset", "err", err)
		return 0, false
	}
	o, ok := committed[0]
	return o, ok
}

// lowestNeeded returns the offset below which no block of blocks is
// still needed, end when none is.
func (k *KafkaPendingShare) lowestNeeded(ctx context.Context, client *kafka.Client, blocks []pendingAt, end int64) int64 {
	low := end
	groupsRead := map[string]map[int]int64{}
	for _, b := range blocks {
		if b.offset >= low {
			continue
		}
		if !k.finished(ctx, client, b.from, groupsRead) {
			low = b.offset
		}
	}
	return low
}

// finished says whether the load group of from's topic committed an
// offset past from's last message in each of its partitions. read keeps
// the offsets already asked for, by topic (nil: not known).
func (k *KafkaPendingShare) finished(ctx context.Context, client *kafka.Client, from MessageSpan, read map[string]map[int]int64) bool {
	group := k.Groups[from.Topic]
	if group == "" || len(from.Last) == 0 {
		return false
	}
	committed, ok := read[from.Topic]
	if !ok {
		parts, err := client.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{from.Topic}})
		var ps []int
		if err == nil {
			for _, t := range parts.Topics {
				for _, p := range t.Partitions {
					ps = append(ps, p.ID)
				}
			}
			committed, err = committedOffsets(ctx, client, group, from.Topic, ps)
		}
		if err != nil {
			slog.Default().Debug("load: a load group's offsets not read: its blocks in the share kept above the low-water mark", "group", group, "err", err)
			committed = nil
		}
		read[from.Topic] = committed
	}
	if committed == nil {
		return false
	}
	for p, last := range from.Last {
		if c, ok := committed[p]; !ok || c <= last {
			return false
		}
	}
	return true
}

// commitLowMark commits low as the share's low-water mark.
func (k *KafkaPendingShare) commitLowMark(ctx context.Context, client *kafka.Client, low int64) {
	resp, err := client.OffsetCommit(ctx, &kafka.OffsetCommitRequest{
		GroupID: LowMarkGroup, GenerationID: -1,
		Topics: map[string][]kafka.OffsetCommit{TopicLoadPending: {{Partition: 0, Offset: low}}},
	})
	if err == nil {
		for _, ps := range resp.Topics {
			for _, p := range ps {
				err = errors.Join(err, p.Error)
			}
		}
	}
	if err != nil {
		slog.Default().Debug("load: the share's low-water mark not committed: the next read is longer", "mark", low, "err", err)
	}
}

// committedOffsets returns group's committed offsets on topic's
// partitions ps: a partition without one (-1) is left out.
func committedOffsets(ctx context.Context, client *kafka.Client, group, topic string, ps []int) (map[int]int64, error) {
	of, err := client.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: group, Topics: map[string][]int{topic: ps}})
	if err != nil {
		return nil, err
	}
	out := map[int]int64{}
	if errors.Is(of.Error, kafka.GroupIdNotFound) {
		return out, nil // kfake's answer for a group that never committed
	}
	if of.Error != nil {
		return nil, of.Error
	}
	for _, p := range of.Topics[topic] {
		if errors.Is(p.Error, kafka.GroupIdNotFound) {
			continue
		}
		if p.Error != nil {
			return nil, p.Error
		}
		if p.CommittedOffset >= 0 {
			out[p.Partition] = p.CommittedOffset
		}
	}
	return out, nil
}
