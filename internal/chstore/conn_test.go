package chstore_test

import "github.com/ClickHouse/clickhouse-go/v2/lib/driver"

type clickhouseConn = driver.Conn
