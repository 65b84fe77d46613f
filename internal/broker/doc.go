// Package broker runs dancu's embedded Kafka-protocol broker for
// development, tests and single-machine demos.
//
// In the flow it sits between ingest, match and load: `dancu import`
// produces canonical record batches to it, the match stage consumes and
// produces to it, and the load stage consumes from it — all through
// github.com/segmentio/kafka-go (see internal/kafkax), exactly as they
// would against an Apache Kafka or Redpanda cluster in production. Nothing
// but the broker address changes between the two.
//
// The broker is franz-go's kfake, a single node speaking the real Kafka
// wire protocol. With a data directory, topics, messages and committed
// consumer-group offsets survive a restart; with SyncWrites they also
// survive the process being killed. A lock file keeps two brokers off
// one data directory. At Start the topics created with
// cleanup.policy=compact (the registry's changelog, the load stage's
// share) are compacted as a Kafka cluster would (package compact), and
// kfake's own cleaner is kept from running (it is not safe against a
// kill); the running broker does not compact (Compact, for a stopped
// one's directory).
//
// Package brokertest starts one in-process for integration tests.
package broker
