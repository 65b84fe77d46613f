package web

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/segmentio/kafka-go"

	"github.com/dancu-vn/dancu/schemas"
)

// KafkaPublisher publishes decisions to the topic kafkax.TopicDecisions
// (dancu.decisions) as JSON keyed by decision id, the registry's contract.
type KafkaPublisher struct {
	W *kafka.Writer // e.g. kafkax.NewWriter(brokers, kafkax.TopicDecisions)
}

var _ DecisionPublisher = (*KafkaPublisher)(nil)

// PublishDecision writes d, waiting for the brokers' acknowledgement.
func (p *KafkaPublisher) PublishDecision(ctx context.Context, d schemas.Decision) error {
	b, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("publish decision: %w", err)
	}
	if err := p.W.WriteMessages(ctx, kafka.Message{Key: []byte(d.DecisionID), Value: b}); err != nil {
		return fmt.Errorf("publish decision %s: %w", d.DecisionID, err)
	}
	return nil
}
