package pipelines

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/dancu-vn/dancu/internal/kafkax"
)

// StageLag is how far one stage's consumer group is behind on its input
// topic: the messages published that the group has not committed yet
// (a message is a batch of up to ImportConfig.BatchRows rows).
type StageLag struct {
	Stage string // "match", "decisions", "load", "load-rejects", "score"
	Group string // "" for a score instance, which keeps its own offsets
	Topic string
	Lag   int64 // messages, summed over the topic's partitions
}

// stageInputs lists the consumer group and input topic of each stage cfg
// selects (all of them when it selects none), in the order of the flow.
// Score instances read their partitions at the offsets their stores hold,
// in no consumer group: they have no entry (see ScoreLag).
func stageInputs(cfg StagesConfig) []StageLag {
	if cfg.MatchGroup == "" {
		cfg.MatchGroup = "dancu-match"
	}
	if cfg.LoadGroup == "" {
		cfg.LoadGroup = "dancu-load"
	}
	all := !cfg.Match && !cfg.Load && !cfg.Score
	var out []StageLag
	if cfg.Match || all {
		out = append(out,
			StageLag{Stage: "match", Group: cfg.MatchGroup, Topic: TopicRecords},
			StageLag{Stage: "decisions", Group: cfg.MatchGroup + "-decisions", Topic: TopicDecisions})
	}
	if cfg.Load || all {
		out = append(out,
			StageLag{Stage: "load", Group: cfg.LoadGroup, Topic: TopicMatched},
			StageLag{Stage: "load-rejects", Group: cfg.LoadGroup + "-rejects", Topic: TopicRejects})
	}
	return out
}

// StageLags reads, from the brokers, the lag of the consumer group of
// each stage cfg selects (cfg.Match, cfg.Load; every stage when none of
// Match, Load and Score is set), without joining the groups: what dancu
// run logs while it works.
func StageLags(ctx context.Context, cfg StagesConfig) ([]StageLag, error) {
	out := stageInputs(cfg)
	for i := range out {
		parts, err := kafkax.Lag(ctx, cfg.Brokers, out[i].Group, out[i].Topic)
		if err != nil {
			return nil, fmt.Errorf("stage %s: %w", out[i].Stage, err)
		}
		for _, p := range parts {
			out[i].Lag += p.Lag
		}
	}
	return out, nil
}

// ScoreLag is how far the score instance whose counters are st is behind
// on its partitions of TopicBlocking: the partitions' high watermarks
// minus the positions it keeps in its own stores (ScoreStats.Positions),
// not a consumer group's, so StageLags cannot see it. ok is false until
// the instance has opened the stores of all its partitions.
func ScoreLag(ctx context.Context, brokers []string, st *ScoreStats) (lag StageLag, ok bool, err error) {
	lag = StageLag{Stage: "score", Topic: kafkax.TopicBlocking}
	pos := st.Positions()
	if len(pos) == 0 {
		return lag, false, nil
	}
	parts, err := kafkax.LagFrom(ctx, brokers, kafkax.TopicBlocking, pos)
	if err != nil {
		return lag, false, fmt.Errorf("stage score: read lag on %s: %w", kafkax.TopicBlocking, err)
	}
	for _, p := range parts {
		lag.Lag += p.Lag
	}
	return lag, true, nil
}

// expiredLoss says, by stage, what messages of its input deleted before
// it read them take away, and the way back.
var expiredLoss = map[string]string{
	"match": "their records never reached the registry nor ClickHouse: import their files again (the records ClickHouse " +
		"has stay one copy: record ids are the file's)",
	"decisions":    "the police decisions among them never reached the registry: decide those conflicts again on the desk",
	"load":         "ClickHouse lacks the rows the match stage wrote in them: import the files of the period again",
	"load-rejects": "ClickHouse lacks the rejects in them: import the files of the period again",
}

// sayExpired logs, at error level, each stage's input messages deleted
// before its consumer group read them — the topic's retention passed
// while the stage was stopped or behind, or its data was removed.
// kafka-go's reader then starts from the oldest message left without a
// word, and the messages were lost unsaid (user16). A stage whose lag
// cannot be read is passed over (the stages say why soon enough).
func sayExpired(ctx context.Context, cfg StagesConfig, log *slog.Logger) {
	for _, in := range stageInputs(cfg) {
		ls, err := kafkax.Lag(ctx, cfg.Brokers, in.Group, in.Topic)
		if err != nil {
			continue
		}
		var n int64
		var parts []int
		for _, l := range ls {
			if l.Expired > 0 {
				n += l.Expired
				parts = append(parts, l.Partition)
			}
		}
		if n > 0 {
			log.Error("messages deleted before this stage read them (the topic's retention passed while the stage was stopped or behind, or its data was removed): "+expiredLoss[in.Stage]+
				"; keep the topic's retention.ms longer than a stage may be stopped",
				"stage", in.Stage, "topic", in.Topic, "group", in.Group, "messages", n, "partitions", parts)
		}
	}
}
