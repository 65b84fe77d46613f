package pipelines_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/dancu-vn/dancu/internal/broker"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// The match stage scaled out: a score instance (RunScore, dancu run
// --stages score) holds the blocking index; the match stage's registry
// sends it each batch's new records through a RemoteScorer (dancu run
// --scale-out) and clusters the edges that come back.
func ExampleRunScore() {
	dir, _ := os.MkdirTemp("", "scale-out")
	defer os.RemoveAll(dir)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	b, err := broker.Start(ctx, broker.Config{Addr: "127.0.0.1:0"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer b.Close()
	brokers := []string{b.Addr()}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	done := make(chan error, 1)
	go func() {
		done <- pipelines.RunScore(ctx, pipelines.ScoreConfig{Brokers: brokers, Dir: filepath.Join(dir, "score"), Logger: quiet}, nil)
	}()
	rs, err := pipelines.NewRemoteScorer(ctx, brokers, quiet)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer rs.Close()
	l, _, err := pipelines.OpenRegistry(ctx, pipelines.RegistryConfig{Dir: filepath.Join(dir, "registry"), Score: rs.Score})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer l.Close()
	a := schemas.Record{RecordID: "f1/2", FullName: "Nguyễn Thị Thu Hà", BirthDate: "1990-03-15", BirthYear: 1990, Sex: "F",
		IDNumber: "001190012345", PermProvinceCode: "01", PermCommuneCode: "00004"}
	c := a
	c.RecordID, c.FullName = "f2/7", "NGUYEN THI THU HA"
	for _, batch := range [][]schemas.Record{{a}, {c}} {
		res, err := l.Link(ctx, batch)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(res.Links[0].RecordID, res.Links[0].PersonID == registry.PersonID("f1/2"))
	}
	stop()
	<-done
	// Output:
	// f1/2 true
	// f2/7 true
}
