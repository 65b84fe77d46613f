package brokertest_test

import (
	"net"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/broker/brokertest"
)

func TestStartListens(t *testing.T) {
	addr := brokertest.Start(t)
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	if host != "127.0.0.1" || port == "0" || port == "9092" {
		t.Fatalf("addr %s: want 127.0.0.1 on a random port", addr)
	}
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		t.Fatalf("dial broker: %v", err)
	}
	c.Close()
}

func TestStartTwiceGivesTwoBrokers(t *testing.T) {
	if a, b := brokertest.Start(t), brokertest.Start(t); a == b {
		t.Fatalf("two brokers share %s", a)
	}
}
