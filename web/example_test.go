package web_test

import (
	"fmt"

	"github.com/dancu-vn/dancu/web"
)

// A Config needs a Store (package web/store over a ClickHouse
// connection); webtest.Start builds one for tests.
func ExampleConfig_Validate() {
	fmt.Println(web.Config{SessionTTL: -1}.Validate())
	// Output:
	// Store: required
	// SessionTTL: must not be negative
}
