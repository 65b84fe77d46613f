package kafkax

import (
	"net"
	"time"

	"github.com/segmentio/kafka-go"
)

// NewClient returns a kafka.Client for brokers whose connections are its
// own, and the function that closes them: call it when done.
//
// A kafka.Client without a Transport shares kafka-go's default one, which
// keeps connections by address for 30 s idle. After a broker restarted at
// its address (dancu broker after a kill) the next requests went out on
// the old broker's connections and failed with "unexpected EOF", several
// in a row: `dancu run` retried "open registry: ensure topics:
// CreateTopics: unexpected EOF" at 8, 16 and 30 s, and the chaos harness
// counted a stall (TestBrokerRestartedAtSameAddress). The admin calls are
// few (start-up, lag), so a connection each costs nothing that matters.
// Its answers are bounded (maxAnswerBytes): an HTTP server at the
// brokers' address fails the first call with an error saying so.
func NewClient(brokers []string, timeout time.Duration) (*kafka.Client, func()) {
	t := &kafka.Transport{Dial: bounded((&net.Dialer{Timeout: redialTimeout}).DialContext)}
	return &kafka.Client{Addr: kafka.TCP(brokers...), Timeout: timeout, Transport: t}, t.CloseIdleConnections
}
