package chdbtest_test

import (
	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/dancu-vn/dancu/internal/chdb"
)

var queryTSV = chdb.QueryOptions{Format: "TSV"}

func namedK(k int) any { return clickhouse.Named("k", uint64(k)) }
