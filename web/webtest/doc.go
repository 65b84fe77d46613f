// Package webtest starts the web application (package web) for tests: the
// real embedded ClickHouse engine with a fresh migrated database, a
// store, an httptest server, and helpers to add users and sign in. The
// coverage pages' browser tests use it to mount their handler.
package webtest
