package main

import "testing"

// dancu serve mounts the coverage pages with the caller's provinces, so an
// analyst added with --province reads only their districts and communes
// (coverage.TestAnalystOfOneProvince tests what the scope does).
func TestServeScopesCoverage(t *testing.T) {
	if coverageHandler(nil, nil).Scope == nil {
		t.Error("coverage handler mounted without the caller's scope")
	}
}
