package web_test

import (
	"testing"

	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
)

func TestMain(m *testing.M) { chdbtest.Main(m) }
