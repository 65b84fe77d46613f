package pipelines

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/segmentio/kafka-go"
	"golang.org/x/sync/errgroup"

	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/matching/settings"
	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/registry"
)

// The match stage scaled out over Kafka. Three roles:
//
//   - block (in the match stage's process): each batch's new records go
//     to TopicBlocking, one message per partition holding their items
//     (a record under one of its blocking keys), the partition chosen by
//     the key (registry.Partition);
//   - score (RunScore, any number of instances, each holding a fixed
//     share of the partitions): per partition a registry.Scorer (the
//     blocking index of that partition's keys, in Pebble, with its input
//     offset) scores each item against the earlier members of its block
//     and sends the edges to TopicEdges;
//   - cluster (the match stage's registry, one process): waits for the
//     edges of every partition the batch went to, then clusters as
//     before and writes persons, links, merges, splits and conflicts to
//     TopicMatched, with its changelog (TopicRegistryChangelog).
//
// Every pair of records sharing a block is scored by the one partition
// holding the block, so the edges, hence the persons, do not depend on
// how many score instances share the partitions.

const (
	headerBatch     = "dancu-batch"     // the batch id, on blocking and edges messages
	headerPartition = "dancu-partition" // the blocking partition an edges message answers for
	// headerPiece numbers the messages of one batch to one partition
	// (from 0), on blocking and edges messages: a partition's items are
	// cut into several messages when one would exceed the size limit.
	headerPiece = "dancu-piece"
	// headerModel carries the fingerprint of the match stage's settings
	// and model (registry.Fingerprint) on blocking messages; headerRefused,
	// on an edges message, says why a score instance did not score them.
	headerModel   = "dancu-model"
	headerRefused = "dancu-refused"
)

// blockingOverhead is room left in a blocking message for its key,
// headers and record framing.
const blockingOverhead = 16 << 10

// RemoteScorer is the block role and the cluster role's side of the
// exchange: Score sends a batch's items to TopicBlocking and waits for
// the edges of every partition it went to. A partition that does not
// answer within Resend gets its items again (a score instance that died
// after indexing them scores them again to the same edges).
type RemoteScorer struct {
	w      *kafka.Writer
	r      *kafka.Reader
	parts  int
	Resend time.Duration
	// MaxMessageBytes bounds the items a blocking message carries (in
	// bytes, encoded): a partition's items beyond it go in further
	// messages, scored in order, which gives the edges one message would.
	// Default: kafkax.MaxMessageBytes less room for the key and headers.
	MaxMessageBytes int
	// Model is the fingerprint (registry.Fingerprint) of the settings
	// and model the match stage clusters with. Blocking messages carry
	// it, a score instance scoring with another model refuses them, and
	// Score then fails naming both: edges scored by another model than
	// the registry's would be linked without a word. Empty: not sent.
	Model string
	log   *slog.Logger

	mu      sync.Mutex
	waiting map[string]*pendingBatch
	readErr error
	cancel  context.CancelFunc
	done    chan struct{}
}

type pendingBatch struct {
	need    map[string]bool // pieceKey of the messages not answered yet
	edges   []registry.Edge
	refused error // a score instance's refusal, which ends the wait
	done    chan struct{}
}

// NewRemoteScorer declares the scale-out topics and starts reading
// TopicEdges from its end.
func NewRemoteScorer(ctx context.Context, brokers []string, log *slog.Logger) (*RemoteScorer, error) {
	if log == nil {
		log = slog.Default()
	}
	if err := kafkax.EnsureTopics(ctx, brokers, kafkax.ScaleOutTopics()); err != nil {
		return nil, fmt.Errorf("remote scorer: %w", err)
	}
	parts, err := kafkax.Partitions(ctx, brokers, kafkax.TopicBlocking)
	if err != nil {
		return nil, fmt.Errorf("remote scorer: %w", err)
	}
	end, err := lastOffset(ctx, brokers, kafkax.TopicEdges, 0)
	if err != nil {
		return nil, fmt.Errorf("remote scorer: %w", err)
	}
	w, err := kafkax.NewPartitionWriter(brokers, kafkax.TopicBlocking)
	if err != nil {
		return nil, err
	}
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Topic: kafkax.TopicEdges, Partition: 0, MinBytes: 1, MaxBytes: 16 << 20, MaxWait: 20 * time.Millisecond})
	if err := r.SetOffset(end); err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("remote scorer: %w", err)
	}
	rctx, cancel := context.WithCancel(context.Background())
	s := &RemoteScorer{w: w, r: r, parts: len(parts), Resend: 30 * time.Second, log: log,
		waiting: map[string]*pendingBatch{}, cancel: cancel, done: make(chan struct{})}
	go s.read(rctx)
	return s, nil
}

func lastOffset(ctx context.Context, brokers []string, topic string, partition int) (int64, error) {
	client, closeClient := kafkax.NewClient(brokers, 10*time.Second)
	defer closeClient()
	lo, err := client.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{
		topic: {kafka.LastOffsetOf(partition)}}})
	if err != nil {
		return 0, err
	}
	for _, p := range lo.Topics[topic] {
		if p.Error != nil {
			return 0, p.Error
		}
		return p.LastOffset, nil
	}
	return 0, fmt.Errorf("no offsets for %s/%d", topic, partition)
}

func (s *RemoteScorer) read(ctx context.Context) {
	defer close(s.done)
	for {
		m, err := s.r.FetchMessage(ctx)
		if err != nil {
			s.mu.Lock()
			s.readErr = err
			for _, p := range s.waiting {
				select {
				case <-p.done:
				default:
					close(p.done)
				}
			}
			s.mu.Unlock()
			return
		}
		id, part, piece := header(m, headerBatch), header(m, headerPartition), header(m, headerPiece)
		p, err := strconv.Atoi(part)
		i, perr := 0, error(nil)
		if piece != "" {
			i, perr = strconv.Atoi(piece)
		}
		k := pieceKey(p, i)
		s.mu.Lock()
		pb := s.waiting[id]
		if pb == nil || err != nil || perr != nil || !pb.need[k] {
			// Another batch's (an earlier run's, or a partition that
			// answered twice): nothing waits for it.
			s.mu.Unlock()
			continue
		}
		if why := header(m, headerRefused); why != "" {
			if pb.refused == nil {
				pb.refused = fmt.Errorf("score partition %d refused the batch: %s: run the match stage and every score instance with the same --settings", p, why)
				close(pb.done)
			}
			s.mu.Unlock()
			continue
		}
		edges, derr := decodeEdges(m.Value)
		if derr != nil {
			s.log.Error("undecodable edges message: the batch waits for the partition again", "partition", p, "offset", m.Offset, "err", derr)
			s.mu.Unlock()
			continue
		}
		pb.edges = append(pb.edges, edges...)
		delete(pb.need, k)
		if len(pb.need) == 0 {
			close(pb.done)
		}
		s.mu.Unlock()
	}
}

// Withdraw implements registry.WithdrawFunc: the ids go to every
// partition of TopicBlocking (a record's keys are spread over several),
// where each score instance takes the records out of its blocks before it
// scores the items that come after them (registry.Scorer.Withdraw). The
// registry calls it before it commits the withdrawal; nothing is awaited,
// as the partitions keep the order.
func (s *RemoteScorer) Withdraw(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	v := encodeIDs(ids)
	msgs := make([]kafka.Message, 0, s.parts)
	for p := range s.parts {
		msgs = append(msgs, kafka.Message{Partition: p, Value: v, Headers: []kafka.Header{{Key: HeaderKind, Value: []byte(KindWithdrawal)}}})
	}
	if err := s.w.WriteMessages(ctx, msgs...); err != nil {
		return fmt.Errorf("withdraw %d records from the score role: %w", len(ids), err)
	}
	return nil
}

// Score implements registry.ScoreFunc.
func (s *RemoteScorer) Score(ctx context.Context, items []registry.Item) ([]registry.Edge, error) {
	var nonce [12]byte
	rand.Read(nonce[:])
	id := hex.EncodeToString(nonce[:])
	byPart := map[int][]registry.Item{}
	for _, it := range items {
		p := registry.Partition(it.Key, s.parts)
		byPart[p] = append(byPart[p], it)
	}
	limit := s.MaxMessageBytes
	if limit <= 0 {
		limit = kafkax.MaxMessageBytes - blockingOverhead
	}
	pb := &pendingBatch{need: map[string]bool{}, done: make(chan struct{})}
	// The messages in partition order, each partition's pieces in item
	// order: one WriteMessages keeps the order within a partition, and
	// the score instance scores a piece after the ones before it.
	var msgs []kafka.Message
	for p := range s.parts {
		its := byPart[p]
		if len(its) == 0 {
			continue
		}
		vs, err := encodeItemsWithin(its, limit)
		if err != nil {
			return nil, fmt.Errorf("blocking message for partition %d: %w", p, err)
		}
		for i, v := range vs {
			pb.need[pieceKey(p, i)] = true
			h := []kafka.Header{{Key: headerBatch, Value: []byte(id)}, {Key: headerPiece, Value: []byte(strconv.Itoa(i))}}
			if s.Model != "" {
				h = append(h, kafka.Header{Key: headerModel, Value: []byte(s.Model)})
			}
			msgs = append(msgs, kafka.Message{Partition: p, Key: []byte(id), Value: v, Headers: h})
		}
	}
	if len(msgs) == 0 {
		return nil, nil
	}
	s.mu.Lock()
	if s.readErr != nil {
		s.mu.Unlock()
		return nil, fmt.Errorf("read %s: %w", kafkax.TopicEdges, s.readErr)
	}
	s.waiting[id] = pb
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.waiting, id)
		s.mu.Unlock()
	}()
	send := func() error {
		s.mu.Lock()
		var out []kafka.Message
		for _, m := range msgs {
			if pb.need[pieceKey(m.Partition, pieceOf(m))] {
				out = append(out, m)
			}
		}
		s.mu.Unlock()
		if err := s.w.WriteMessages(ctx, out...); err != nil {
			return fmt.Errorf("write %s: %w", kafkax.TopicBlocking, err)
		}
		return nil
	}
	if err := send(); err != nil {
		return nil, err
	}
	for {
		t := time.NewTimer(s.Resend)
		select {
		case <-pb.done:
			t.Stop()
			s.mu.Lock()
			defer s.mu.Unlock()
			if pb.refused != nil {
				return nil, pb.refused
			}
			if len(pb.need) > 0 {
				return nil, fmt.Errorf("read %s: %w", kafkax.TopicEdges, s.readErr)
			}
			return pb.edges, nil
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
			s.mu.Lock()
			missing := len(pb.need)
			s.mu.Unlock()
			s.log.Warn("score partitions did not answer: sending their records again", "partitions", missing, "after", s.Resend)
			if err := send(); err != nil {
				return nil, err
			}
		}
	}
}

// Close stops reading the edges and closes the writer.
func (s *RemoteScorer) Close() error {
	s.cancel()
	err := s.r.Close()
	<-s.done
	return errors.Join(err, s.w.Close())
}

// ScoreConfig configures one score instance.
type ScoreConfig struct {
	Brokers []string
	// Dir holds one Pebble store per partition the instance scores.
	Dir      string
	Settings *settings.Settings // Default: the embedded trained Vietnamese model
	// Instance (0-based) of Instances: the instance scores the partitions
	// p of TopicBlocking with p mod Instances = Instance. Default: 0 of 1.
	Instance, Instances int
	Logger              *slog.Logger
}

// ScoreStats count what a score instance did, and where it reads.
type ScoreStats struct {
	Batches, Items, Edges atomic.Int64
	// Withdrawals counts the withdrawal messages applied (one per
	// partition and withdrawal).
	Withdrawals atomic.Int64
	// Refused counts the blocking messages not scored because they came
	// from a match stage with another model (ScoreConfig.Settings).
	Refused atomic.Int64

	mu    sync.Mutex
	parts int           // the instance's partitions
	next  map[int]int64 // partition → offset of the next message to read; -1: the start
}

// expect records how many partitions the instance reads.
func (s *ScoreStats) expect(parts int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.parts = parts
}

// setNext records that the instance reads partition p next at offset
// off (-1: from the start of the partition).
func (s *ScoreStats) setNext(p int, off int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.next == nil {
		s.next = map[int]int64{}
	}
	s.next[p] = off
}

// Positions returns a snapshot of the instance's position in each of its
// partitions of TopicBlocking: the offset of the next message it will
// read (the offset its store holds, plus one), -1 for the start of a
// partition its new store has not read yet. Nil until the instance has
// opened the stores of all its partitions. ScoreLag turns it into a lag.
func (s *ScoreStats) Positions() map[int]int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.parts == 0 || len(s.next) < s.parts {
		return nil
	}
	out := make(map[int]int64, len(s.next))
	for p, off := range s.next {
		out[p] = off
	}
	return out
}

// RunScore runs a score instance until ctx is cancelled: for each of its
// partitions, it reads TopicBlocking from the offset its store holds
// (the start for a new store: the partition's history rebuilds it; a
// store restored from an older copy catches up; one ahead of the
// partition is refused, checkScoreStore), scores
// each message's items (registry.Scorer.Score, which stores the offset
// with the state) and writes their edges to TopicEdges. A message that
// does not decode stops the instance with an error naming it. A message
// from a match stage with another model (header dancu-model, the
// fingerprint of its settings) is not scored: the instance answers it
// with a refusal, which stops that match stage with an error naming both
// models, and logs a warning.
func RunScore(ctx context.Context, cfg ScoreConfig, st *ScoreStats) error {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if st == nil {
		st = new(ScoreStats)
	}
	if cfg.Instances <= 0 {
		cfg.Instances = 1
	}
	if cfg.Instance < 0 || cfg.Instance >= cfg.Instances {
		return fmt.Errorf("score: instance %d of %d: want 0 to %d", cfg.Instance, cfg.Instances, cfg.Instances-1)
	}
	s := cfg.Settings
	if s == nil {
		var err error
		if s, err = vietnamese.Trained(); err != nil {
			return fmt.Errorf("score: %w", err)
		}
	}
	if err := kafkax.EnsureTopics(ctx, cfg.Brokers, kafkax.ScaleOutTopics()); err != nil {
		return fmt.Errorf("score: %w", err)
	}
	parts, err := kafkax.Partitions(ctx, cfg.Brokers, kafkax.TopicBlocking)
	if err != nil {
		return fmt.Errorf("score: %w", err)
	}
	w, err := kafkax.NewWriter(cfg.Brokers, kafkax.TopicEdges)
	if err != nil {
		return err
	}
	defer w.Close()
	g, ctx := errgroup.WithContext(ctx)
	var mine []int
	for _, p := range parts {
		if p%cfg.Instances == cfg.Instance {
			mine = append(mine, p)
		}
	}
	st.expect(len(mine))
	cfg.Logger.Info("score instance running", "instance", cfg.Instance, "of", cfg.Instances, "partitions", mine)
	for _, p := range mine {
		g.Go(func() error {
			if err := scorePartition(ctx, cfg, s, p, w, st); err != nil && ctx.Err() == nil {
				return fmt.Errorf("score partition %d: %w", p, err)
			}
			return nil
		})
	}
	return g.Wait()
}

func scorePartition(ctx context.Context, cfg ScoreConfig, s *settings.Settings, p int, w *kafka.Writer, st *ScoreStats) error {
	dir := filepath.Join(cfg.Dir, fmt.Sprintf("p%03d", p))
	sc, err := registry.OpenScorer(registry.ScorerConfig{Dir: dir, Settings: s})
	if err != nil {
		return err
	}
	model := registry.Fingerprint(s)
	warned := false
	g := &storeGuard{what: "score store"}
	defer func() {
		if g.err() == nil { // a failed store cannot be closed (storefail.go)
			sc.Close()
		}
	}()
	off, err := sc.Offset()
	if err != nil {
		return err
	}
	if err := checkScoreStore(ctx, cfg.Brokers, p, off, dir, cfg.Logger); err != nil {
		return err
	}
	if err := checkScoreCluster(ctx, cfg.Brokers, sc, g, p, dir); err != nil {
		return err
	}
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: cfg.Brokers, Topic: kafkax.TopicBlocking, Partition: p, MinBytes: 1, MaxBytes: 16 << 20, MaxWait: 20 * time.Millisecond})
	defer r.Close()
	start := kafka.FirstOffset
	if off >= 0 {
		start = off + 1
	}
	if err := r.SetOffset(start); err != nil {
		return err
	}
	next := int64(-1) // the start of the partition
	if off >= 0 {
		next = off + 1
	}
	st.setNext(p, next)
	for {
		m, err := r.FetchMessage(ctx)
		if err != nil {
			return err
		}
		if kindOf(m) == KindWithdrawal {
			// Records withdrawn (RemoteScorer.Withdraw): out of this
			// partition's blocks before the items after them are scored.
			// Nothing answers; after a restart from an earlier offset it
			// is applied again, which changes nothing.
			ids, err := decodeIDs(m.Value)
			if err == nil {
				_, err = guarded(g, func() (struct{}, error) { return struct{}{}, sc.Withdraw(ctx, ids) })
			}
			if err != nil {
				return fmt.Errorf("withdrawal %s/%d@%d: %w", m.Topic, m.Partition, m.Offset, err)
			}
			st.Withdrawals.Add(1)
			st.setNext(p, m.Offset+1)
			continue
		}
		if theirs := header(m, headerModel); theirs != "" && theirs != model {
			// Not scored, so not in the store either (a store rebuilt from
			// the partition's history passes over an older model's items).
			if !warned {
				cfg.Logger.Warn("blocking messages from a match stage with another model: refused, not scored", "partition", p, "offset", m.Offset, "theirs", theirs, "mine", model)
				warned = true
			}
			if err := w.WriteMessages(ctx, kafka.Message{Key: m.Key, Headers: []kafka.Header{
				{Key: headerBatch, Value: []byte(header(m, headerBatch))},
				{Key: headerPartition, Value: []byte(strconv.Itoa(p))},
				{Key: headerPiece, Value: []byte(strconv.Itoa(pieceOf(m)))},
				{Key: headerRefused, Value: []byte(fmt.Sprintf("its score instance scores with model %s, this match stage with %s", model, theirs))}}}); err != nil {
				return fmt.Errorf("write %s: %w", kafkax.TopicEdges, err)
			}
			st.Refused.Add(1)
			st.setNext(p, m.Offset+1)
			continue
		}
		items, err := decodeItems(m.Value)
		if err != nil {
			return fmt.Errorf("decode %s/%d@%d: %w", m.Topic, m.Partition, m.Offset, err)
		}
		edges, err := guarded(g, func() ([]registry.Edge, error) { return sc.Score(ctx, items, m.Offset) })
		if err != nil {
			return fmt.Errorf("%s/%d@%d: %w", m.Topic, m.Partition, m.Offset, err)
		}
		v := encodeEdges(edges)
		if err := w.WriteMessages(ctx, kafka.Message{Key: m.Key, Value: v, Headers: []kafka.Header{
			{Key: headerBatch, Value: []byte(header(m, headerBatch))},
			{Key: headerPartition, Value: []byte(strconv.Itoa(p))},
			{Key: headerPiece, Value: []byte(strconv.Itoa(pieceOf(m)))}}}); err != nil {
			return fmt.Errorf("write %s: %w", kafkax.TopicEdges, err)
		}
		st.Batches.Add(1)
		st.Items.Add(int64(len(items)))
		st.Edges.Add(int64(len(edges)))
		st.setNext(p, m.Offset+1)
	}
}

// Item and edge encodings: uvarint-prefixed strings, fixed-width numbers.

func appendStr(b []byte, s []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// pieceKey names message i of a batch to partition p.
func pieceKey(p, i int) string { return strconv.Itoa(p) + "/" + strconv.Itoa(i) }

// pieceOf is the piece number of a blocking or edges message (0 when it
// has none: a batch of one message per partition).
func pieceOf(m kafka.Message) int {
	i, _ := strconv.Atoi(header(m, headerPiece))
	return i
}

// encodeItemsWithin encodes items as one message, or, when that would
// exceed limit bytes, as several of consecutive items, halving until each
// fits. One item larger than limit is an error.
func encodeItemsWithin(items []registry.Item, limit int) ([][]byte, error) {
	v, err := encodeItems(items)
	if err != nil {
		return nil, err
	}
	if len(v) <= limit {
		return [][]byte{v}, nil
	}
	if len(items) == 1 {
		return nil, fmt.Errorf("item %s of %d bytes: more than %d", items[0].ID, len(v), limit)
	}
	h := len(items) / 2
	a, err := encodeItemsWithin(items[:h], limit)
	if err != nil {
		return nil, err
	}
	b, err := encodeItemsWithin(items[h:], limit)
	if err != nil {
		return nil, err
	}
	return append(a, b...), nil
}

func encodeItems(items []registry.Item) ([]byte, error) {
	b := binary.AppendUvarint(nil, uint64(len(items)))
	for _, it := range items {
		if it.Key.Rule < 0 || it.Key.Rule > 255 {
			return nil, fmt.Errorf("item %s: blocking rule %d out of range", it.ID, it.Key.Rule)
		}
		b = appendStr(b, []byte(it.ID))
		b = appendStr(b, it.Blob)
		b = append(b, byte(it.Key.Rule))
		b = binary.BigEndian.AppendUint64(b, it.Key.Hash)
		b = appendStr(b, []byte(it.Key.Sort))
	}
	return b, nil
}

type decoder struct {
	b   []byte
	err error
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, k := binary.Uvarint(d.b)
	if k <= 0 {
		d.err = errors.New("truncated")
		return 0
	}
	d.b = d.b[k:]
	return v
}

func (d *decoder) bytes(n uint64) []byte {
	if d.err != nil {
		return nil
	}
	if uint64(len(d.b)) < n {
		d.err = errors.New("truncated")
		return nil
	}
	v := d.b[:n:n]
	d.b = d.b[n:]
	return v
}

func (d *decoder) str() []byte { return d.bytes(d.uvarint()) }

// encodeIDs and decodeIDs are a withdrawal's record ids on
// TopicBlocking.
func encodeIDs(ids []string) []byte {
	var b []byte
	for _, id := range ids {
		b = appendStr(b, []byte(id))
	}
	return b
}

func decodeIDs(v []byte) ([]string, error) {
	d := &decoder{b: v}
	var ids []string
	for len(d.b) > 0 && d.err == nil {
		ids = append(ids, string(d.str()))
	}
	return ids, d.err
}

func decodeItems(v []byte) ([]registry.Item, error) {
	d := &decoder{b: v}
	n := d.uvarint()
	if n > uint64(len(v)) {
		return nil, fmt.Errorf("items: count %d in %d bytes", n, len(v))
	}
	out := make([]registry.Item, 0, n)
	for i := uint64(0); i < n && d.err == nil; i++ {
		it := registry.Item{ID: string(d.str())}
		it.Blob = append([]byte(nil), d.str()...)
		if r := d.bytes(1); r != nil {
			it.Key.Rule = int(r[0])
		}
		if h := d.bytes(8); h != nil {
			it.Key.Hash = binary.BigEndian.Uint64(h)
		}
		it.Key.Sort = string(d.str())
		out = append(out, it)
	}
	if d.err != nil {
		return nil, fmt.Errorf("items: item %d: %w", len(out), d.err)
	}
	return out, nil
}

func encodeEdges(edges []registry.Edge) []byte {
	b := binary.AppendUvarint(nil, uint64(len(edges)))
	for _, e := range edges {
		b = appendStr(b, []byte(e.A))
		b = appendStr(b, []byte(e.B))
		b = binary.BigEndian.AppendUint32(b, math.Float32bits(e.Weight))
	}
	return b
}

func decodeEdges(v []byte) ([]registry.Edge, error) {
	d := &decoder{b: v}
	n := d.uvarint()
	if n > uint64(len(v)) {
		return nil, fmt.Errorf("edges: count %d in %d bytes", n, len(v))
	}
	out := make([]registry.Edge, 0, n)
	for i := uint64(0); i < n && d.err == nil; i++ {
		e := registry.Edge{A: string(d.str()), B: string(d.str())}
		if w := d.bytes(4); w != nil {
			e.Weight = math.Float32frombits(binary.BigEndian.Uint32(w))
		}
		out = append(out, e)
	}
	if d.err != nil {
		return nil, fmt.Errorf("edges: edge %d: %w", len(out), d.err)
	}
	return out, nil
}

// checkScoreCluster refuses a score store of partition p (in dir) that
// follows the partition of another Kafka cluster than brokers', and marks
// one that names none (new, or written before the cluster was kept) as
// following theirs. An embedded broker whose data directory was lost and
// made again is another cluster (a random id per directory): its
// dancu.blocking starts again from offset 0, and once it has gone past
// the store's offset (checkScoreStore refuses a store ahead of it), an
// instance reading on from that offset passed over the partition's first
// messages and scored the later ones against the other cluster's records.
func checkScoreCluster(ctx context.Context, brokers []string, sc *registry.Scorer, g *storeGuard, p int, dir string) error {
	cluster, err := clusterID(ctx, brokers)
	if err != nil {
		return err
	}
	had, err := sc.Cluster()
	switch {
	case err != nil:
		return err
	case had == "":
		_, err := guarded(g, func() (struct{}, error) { return struct{}{}, sc.SetCluster(cluster) })
		return err
	case cluster != "" && had != cluster:
		return fmt.Errorf("%w: %s has scored %s partition %d of Kafka cluster %q; these brokers are cluster %q (a broker whose data "+
			"was lost and made again is another cluster). Start the instance with the brokers it was written with, or remove %s and "+
			"start it again: its store is rebuilt from the partition", ErrScoreStoreMismatch, dir, kafkax.TopicBlocking, p, had, cluster, dir)
	}
	return nil
}

// clusterID returns the id of the Kafka cluster of brokers.
func clusterID(ctx context.Context, brokers []string) (string, error) {
	client, closeClient := kafkax.NewClient(brokers, 10*time.Second)
	defer closeClient()
	md, err := client.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{kafkax.TopicBlocking}})
	if err != nil {
		return "", err
	}
	return md.ClusterID, nil
}

// ErrScoreStoreMismatch is wrapped by the error of a score instance's
// start refused because its store does not follow the partition of
// TopicBlocking it would read on (checkScoreStore).
var ErrScoreStoreMismatch = errors.New("the score store does not follow its partition")

// checkScoreStore checks a score instance's store of partition p of
// TopicBlocking (in dir), which has scored the partition up to offset off
// (-1: nothing) and reads on from there — a copy restored from a backup
// catches up as a store that was stopped does. A store ahead of the
// partition (the topic truncated, deleted or recreated since, or another
// cluster's) would wait past the partition's end and pass over the
// messages before it: it is refused, with the way out.
func checkScoreStore(ctx context.Context, brokers []string, p int, off int64, dir string, log *slog.Logger) error {
	if off < 0 {
		return nil
	}
	topic := kafkax.TopicBlocking
	end, err := lastOffset(ctx, brokers, topic, p)
	if err != nil {
		return err
	}
	if off >= end {
		return fmt.Errorf("%w: %s has scored %s partition %d up to offset %d, but the partition ends at offset %d: "+
			"the topic was truncated, deleted or recreated after the store was written, or the store is another cluster's. "+
			"Remove %s and start the instance again: its store is rebuilt from the partition", ErrScoreStoreMismatch, dir, topic, p, off, end, dir)
	}
	if end-1 > off {
		// Debug: offsets, not messages (the embedded broker's compressed
		// batches leave gaps), and the ScoreStats' lag says it too.
		log.Debug("score store reads on from the message after the one it scored last", "dir", dir, "topic", topic,
			"partition", p, "scored_offset", off, "partition_end", end)
	}
	return nil
}
