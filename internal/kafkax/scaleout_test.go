package kafkax_test

import (
	"testing"

	"github.com/segmentio/kafka-go"

	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/internal/kafkax"
)

// The scale-out topics: dancu.blocking with its fixed partition count and
// no deletion by age (it is the score role's changelog), dancu.edges
// with one partition.
func TestScaleOutTopics(t *testing.T) {
	ctx := testCtx(t)
	brokers := []string{brokertest.Start(t)}
	if err := kafkax.EnsureTopics(ctx, brokers, kafkax.ScaleOutTopics()); err != nil {
		t.Fatal(err)
	}
	for topic, want := range map[string]int{kafkax.TopicBlocking: kafkax.BlockingPartitions, kafkax.TopicEdges: 1} {
		parts, err := kafkax.Partitions(ctx, brokers, topic)
		if err != nil {
			t.Fatal(err)
		}
		if len(parts) != want {
			t.Errorf("%s: %d partitions, want %d", topic, len(parts), want)
		}
	}
	client := &kafka.Client{Addr: kafka.TCP(brokers...)}
	resp, err := client.DescribeConfigs(ctx, &kafka.DescribeConfigsRequest{Resources: []kafka.DescribeConfigRequestResource{
		{ResourceType: kafka.ResourceTypeTopic, ResourceName: kafkax.TopicBlocking, ConfigNames: []string{"retention.ms"}}}})
	if err != nil {
		t.Fatal(err)
	}
	got := ""
	for _, r := range resp.Resources {
		for _, e := range r.ConfigEntries {
			if e.ConfigName == "retention.ms" {
				got = e.ConfigValue
			}
		}
	}
	if got != "-1" {
		t.Errorf("%s: retention.ms %q, want -1", kafkax.TopicBlocking, got)
	}
}
