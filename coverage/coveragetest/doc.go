// Package coveragetest checks coverage's aggregates against a
// brute-force count over the tables they summarise, for the end-to-end
// tests and the crash harness (internal/chaos).
package coveragetest
