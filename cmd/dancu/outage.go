package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/pipelines"
)

// outagePolicy says how long dancu run waits out Kafka or ClickHouse being
// away before it gives up.
type outagePolicy struct {
	// Max is how long the stages may keep failing on an outage (each
	// start lasting less than Steady) before the error is returned.
	Max time.Duration
	// Steady is how long a start of the stages must last for the outage
	// to be over (the clock of Max starts again at the next one).
	Steady time.Duration
	// Wait is the first pause before a restart; it doubles up to MaxWait.
	Wait, MaxWait time.Duration
}

var defaultOutage = outagePolicy{Max: 30 * time.Minute, Steady: time.Minute, Wait: 2 * time.Second, MaxWait: 30 * time.Second}

// restartOnOutage runs the stages (run) again when they stop on an
// outage of Kafka or ClickHouse — a broker restarted, the engine stopped
// for a minute — instead of leaving the night's imports unconsumed until
// someone starts dancu run again. It waits for a broker to accept
// connections before each restart. A restart is safe: offsets are
// committed only after the sink has the rows, as after a kill. Any other
// error, an outage longer than p.Max, or ctx cancelled (Ctrl-C) ends it.
func restartOnOutage(ctx context.Context, log *slog.Logger, brokers []string, p outagePolicy, run func(context.Context) error) error {
	var since time.Time // the first failure of this outage
	wait := p.Wait
	for {
		start := time.Now()
		err := run(ctx)
		if err == nil || ctx.Err() != nil {
			return err
		}
		down := kafkax.Reachable(ctx, brokers, 0) != nil
		if !down && !pipelines.IsOutage(err) {
			return err
		}
		if since.IsZero() || time.Since(start) >= p.Steady {
			since, wait = start, p.Wait
		}
		if time.Since(since) > p.Max {
			log.Error("the stages kept stopping on an outage: giving up", "for", time.Since(since).Round(time.Second).String())
			return err
		}
		log.Warn("the stages stopped on an outage of Kafka or ClickHouse: they start again when it answers (nothing is lost: offsets are committed only after ClickHouse has the rows)",
			"err", err, "retry_in", wait.String())
		for {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(wait):
			}
			wait = min(2*wait, p.MaxWait)
			if kafkax.Reachable(ctx, brokers, 0) == nil {
				break
			}
			if time.Since(since) > p.Max {
				log.Error("Kafka did not come back: giving up", "for", time.Since(since).Round(time.Second).String())
				return err
			}
		}
		log.Info("restarting the stages")
	}
}
