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
		for {
			lags, err := kafkax.Lag(ctx, cfg.Brokers, s.group, s.topic)
			if err != nil {
				return fmt.Errorf("wait drained: %w", err)
			}
			var behind int64
			for _, l := range lags {
				behind += l.Lag
			}
			if behind == 0 {
				break
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("wait drained: %s still %d messages behind on %s: %w", s.group, behind, s.topic, ctx.Err())
			case <-time.After(interval):
			}
		}
	}
	return nil
}
