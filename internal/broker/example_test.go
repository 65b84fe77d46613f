package broker_test

import (
	"context"
	"fmt"
	"net"
	"os"

	"github.com/dancu-vn/dancu/internal/broker"
)

func ExampleStart() {
	dir, _ := os.MkdirTemp("", "dancu-broker-example")
	defer os.RemoveAll(dir)

	b, err := broker.Start(context.Background(), broker.Config{
		Addr:    "127.0.0.1:0", // any free port
		DataDir: dir,           // topics, messages and offsets survive a restart
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer b.Close()

	host, _, _ := net.SplitHostPort(b.Addr())
	fmt.Println("listening on", host)
	// Output: listening on 127.0.0.1
}
