package pipelines

import (
	"context"
	"fmt"
	"time"

	"github.com/dancu-vn/dancu/internal/kafkax"
)

// WaitDrained returns once the match and load groups of cfg have committed
// everything published so far: first the match group on TopicRecords (the
// match stage commits only after writing its output, so by then every
// matched message exists), then the load groups on TopicMatched and
// TopicRejects. It polls every interval until ctx ends.
func WaitDrained(ctx context.Context, cfg StagesConfig, interval time.Duration) error {
	if cfg.MatchGroup == "" {
		cfg.MatchGroup = "dancu-match"
	}
	if cfg.LoadGroup == "" {
		cfg.LoadGroup = "dancu-load"
	}
	if interval <= 0 {
		interval = 200 * time.Millisecond
	}
	steps := []struct{ group, topic string }{
		{cfg.MatchGroup, TopicRecords},
		{cfg.LoadGroup, TopicMatched},
		{cfg.LoadGroup + "-rejects", TopicRejects},
	}
	for _, s := range steps {
		if behind, err := waitCommitted(ctx, cfg.Brokers, s.group, s.topic, interval, nil); err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("wait drained: %s still %d messages behind on %s: %w", s.group, behind, s.topic, err)
			}
			return fmt.Errorf("wait drained: %w", err)
		}
	}
	return nil
}

// waitCommitted polls every interval until group has committed every
// message of topic, calling waiting (when set) with the messages it is
// behind each time it is; it returns the lag last read.
func waitCommitted(ctx context.Context, brokers []string, group, topic string, interval time.Duration, waiting func(behind int64)) (int64, error) {
	for {
		lags, err := kafkax.Lag(ctx, brokers, group, topic)
		if err != nil {
			return 0, err
		}
		var behind int64
		for _, l := range lags {
			behind += l.Lag
		}
		if behind == 0 {
			return 0, nil
		}
		if waiting != nil {
			waiting(behind)
		}
		select {
		case <-ctx.Done():
			return behind, ctx.Err()
		case <-time.After(interval):
		}
	}
}
