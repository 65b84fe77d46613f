package kafkax

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"
)

// Topics of the flow.
const (
	// TopicRecords carries canonical records (Arrow IPC batches of
	// schemas.Record) from ingest to match.
	TopicRecords = "dancu.records"
	// TopicRejects carries rejected input rows (batches of schemas.Reject)
	// from ingest to load.
	TopicRejects = "dancu.rejects"
	// TopicMatched carries the match stage's output (batches of
	// schemas.Person, schemas.Link and schemas.Conflict) to load.
	TopicMatched = "dancu.matched"
	// TopicDead carries messages a stage could not decode or load, with
	// the error in a header (one partition).
	TopicDead = "dancu.dead"
	// TopicDecisions carries police decisions (JSON schemas.Decision,
	// key = decision id) from the review desk to the registry.
	TopicDecisions = "dancu.decisions"
	// TopicRegistryChangelog is the registry's compacted changelog: every
	// batch, decision and withdrawal the registry applied, in its order,
	// each under a key of its own (pipelines' changelogKey, so that
	// compaction never drops or moves one), from which a matcher whose
	// disk state is missing rebuilds it.
	TopicRegistryChangelog = "dancu.registry-changelog"
	// TopicBlocking carries, from the match stage (block role) to the
	// score role, each batch's new records under their blocking keys,
	// partitioned by key (BlockingPartitions partitions; registry.Partition
	// picks one): a score instance holding a partition holds its blocks.
	// It is also the score role's changelog: an instance whose store is
	// lost replays its partitions from the start.
	TopicBlocking = "dancu.blocking"
	// TopicEdges carries the score role's scored edges back to the match
	// stage (cluster role), one message per batch and partition (one
	// partition).
	TopicEdges = "dancu.edges"
	// TopicLoadPending carries the inserts of coverage deltas a load
	// stage could not finish at its first attempt (the engine died or did
	// not answer), so that the member given their messages' partitions
	// next, on whatever machine, sends them again under their token
	// (pipelines' sink_shared.go). One partition, compacted: a block's
	// parts are keyed "token/i" and written over with tombstones once the
	// engine took it. Read only when a load stage is given partitions.
	TopicLoadPending = "dancu.load-pending"
)

// BlockingPartitions is the partition count of TopicBlocking: the most
// score instances that can share the work. It is fixed, because a
// block's partition must not change once records are indexed there.
const BlockingPartitions = 12

// ScaleOutTopics returns the topics of the scaled-out match stage.
func ScaleOutTopics() map[string]int {
	return map[string]int{TopicBlocking: BlockingPartitions, TopicEdges: 1}
}

// compacted are the topics EnsureTopics creates with cleanup.policy =
// compact: changelogs, where only the last message of each key matters.
var compacted = map[string]bool{TopicRegistryChangelog: true, TopicLoadPending: true}

// kept are the topics EnsureTopics creates with retention.ms = -1 (never
// deleted by age): TopicBlocking is the score role's changelog, read
// from its start by an instance whose store is lost.
var kept = map[string]bool{TopicBlocking: true}

// DefaultPartitions is the partition count FlowTopics asks for. More
// partitions allow more matchers in one consumer group.
const DefaultPartitions = 6

// FlowTopics returns the flow's topics, each with partitions partitions
// (DefaultPartitions when partitions < 1), ready for EnsureTopics.
func FlowTopics(partitions int) map[string]int {
	if partitions < 1 {
		partitions = DefaultPartitions
	}
	return map[string]int{TopicRecords: partitions, TopicRejects: partitions, TopicMatched: partitions}
}

// ErrNoBrokers is returned when no broker address is given.
var ErrNoBrokers = errors.New("no Kafka broker addresses")

// EnsureTopics creates the topics that do not exist yet, with the given
// partition counts and the cluster's default replication factor, and
// waits until the cluster's metadata lists every one of them. Existing
// topics are left as they are (Kafka cannot shrink a topic), whatever
// their partition count.
func EnsureTopics(ctx context.Context, brokers []string, topics map[string]int) error {
	if len(brokers) == 0 {
		return fmt.Errorf("ensure topics: %w", ErrNoBrokers)
	}
	names := make([]string, 0, len(topics))
	req := &kafka.CreateTopicsRequest{}
	for name, parts := range topics {
		if name == "" {
			return errors.New("ensure topics: empty topic name")
		}
		if parts < 1 {
			return fmt.Errorf("ensure topics: topic %s: partitions %d: must be at least 1", name, parts)
		}
		names = append(names, name)
		tc := kafka.TopicConfig{Topic: name, NumPartitions: parts, ReplicationFactor: -1}
		if compacted[name] {
			tc.ConfigEntries = []kafka.ConfigEntry{{ConfigName: "cleanup.policy", ConfigValue: "compact"}}
		}
		if kept[name] {
			tc.ConfigEntries = []kafka.ConfigEntry{{ConfigName: "retention.ms", ConfigValue: "-1"}}
		}
		req.Topics = append(req.Topics, tc)
	}
	if len(names) == 0 {
		return nil
	}
	sort.Strings(names)

	client, closeClient := NewClient(brokers, 10*time.Second)
	defer closeClient()
	resp, err := client.CreateTopics(ctx, req)
	if err != nil {
		if rerr := Reachable(ctx, brokers, 0); rerr != nil && ctx.Err() == nil {
			return rerr // none reachable, or not a Kafka broker
		}
		return fmt.Errorf("ensure topics %v: %w", names, err)
	}
	for _, name := range names {
		if err := resp.Errors[name]; err != nil && !errors.Is(err, kafka.TopicAlreadyExists) {
			return fmt.Errorf("ensure topics: create %s: %w", name, err)
		}
	}

	// Real clusters create topics asynchronously: wait until the metadata
	// shows them with leaders for every partition.
	for {
		missing, err := missingTopics(ctx, client, names)
		if err != nil {
			return fmt.Errorf("ensure topics: %w", err)
		}
		if len(missing) == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("ensure topics: waiting for %v: %w", missing, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func missingTopics(ctx context.Context, client *kafka.Client, names []string) ([]string, error) {
	md, err := client.Metadata(ctx, &kafka.MetadataRequest{Topics: names})
	if err != nil {
		return nil, fmt.Errorf("read metadata: %w", err)
	}
	ready := map[string]bool{}
	for _, t := range md.Topics {
		ok := t.Error == nil && len(t.Partitions) > 0
		for _, p := range t.Partitions {
			if p.Error != nil || p.Leader.Host == "" {
				ok = false
			}
		}
		ready[t.Name] = ok
	}
	var missing []string
	for _, n := range names {
		if !ready[n] {
			missing = append(missing, n)
		}
	}
	return missing, nil
}

// Partitions returns the partition ids of topic, in order.
func Partitions(ctx context.Context, brokers []string, topic string) ([]int, error) {
	if len(brokers) == 0 {
		return nil, fmt.Errorf("list partitions of %s: %w", topic, ErrNoBrokers)
	}
	client, closeClient := NewClient(brokers, 10*time.Second)
	defer closeClient()
	return partitionsWith(ctx, client, brokers, topic)
}

// partitionsWith is Partitions through client.
func partitionsWith(ctx context.Context, client *kafka.Client, brokers []string, topic string) ([]int, error) {
	md, err := client.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil {
		if rerr := Reachable(ctx, brokers, 0); errors.Is(rerr, ErrUnreachable) {
			return nil, rerr
		}
		return nil, fmt.Errorf("list partitions of %s: %w", topic, err)
	}
	for _, t := range md.Topics {
		if t.Name != topic {
			continue
		}
		if t.Error != nil {
			return nil, fmt.Errorf("list partitions of %s: %w", topic, t.Error)
		}
		ids := make([]int, 0, len(t.Partitions))
		for _, p := range t.Partitions {
			ids = append(ids, p.ID)
		}
		sort.Ints(ids)
		return ids, nil
	}
	return nil, fmt.Errorf("list partitions of %s: %w", topic, kafka.UnknownTopicOrPartition)
}

// addrs validates host:port broker addresses.
func addrs(brokers []string) error {
	if len(brokers) == 0 {
		return ErrNoBrokers
	}
	for _, b := range brokers {
		host, port, err := net.SplitHostPort(b)
		if err != nil {
			return fmt.Errorf("broker address %q: %w", b, err)
		}
		if host == "" {
			return fmt.Errorf("broker address %q: missing host", b)
		}
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("broker address %q: bad port %q", b, port)
		}
	}
	return nil
}

// SplitBrokers parses a comma-separated list of host:port broker
// addresses (the --kafka flag, DANCU_KAFKA_BROKERS), dropping blanks.
func SplitBrokers(list string) ([]string, error) {
	var out []string
	for _, b := range strings.Split(list, ",") {
		if b = strings.TrimSpace(b); b != "" {
			out = append(out, b)
		}
	}
	if err := addrs(out); err != nil {
		return nil, fmt.Errorf("parse brokers %q: %w", list, err)
	}
	return out, nil
}
