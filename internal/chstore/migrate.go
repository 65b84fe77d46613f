package chstore

import (
	"context"
	"fmt"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/dancu-vn/dancu/schemas"
)

// migrationsTable records the applied migrations. ReplacingMergeTree keyed
// by version: recording one twice (two migrators racing) leaves one row.
const migrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations
(
    version UInt32,
    name String,
    applied_at DateTime64(3)
)
ENGINE = ReplacingMergeTree
ORDER BY version`

// Migrate applies the embedded migrations (schemas.Migrations) that the
// connection's database has not seen yet, in version order, and returns
// the names of those it applied. Running it again applies nothing. A
// migration's statements must be idempotent themselves (CREATE … IF NOT
// EXISTS): one that fails half-way is not recorded and is re-run whole.
func Migrate(ctx context.Context, conn driver.Conn) ([]string, error) {
	migs, err := schemas.Migrations()
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	return apply(ctx, conn, migs)
}

// MigrateTo applies, as Migrate, the embedded migrations up to version
// only: the database as a release whose last migration was version left
// it (for tests of an upgrade, which Migrate then applies).
func MigrateTo(ctx context.Context, conn driver.Conn, version int) ([]string, error) {
	migs, err := schemas.Migrations()
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	for i, m := range migs {
		if m.Version > version {
			migs = migs[:i]
			break
		}
	}
	return apply(ctx, conn, migs)
}

func apply(ctx context.Context, conn driver.Conn, migs []schemas.Migration) ([]string, error) {
	if err := conn.Exec(ctx, migrationsTable); err != nil {
		return nil, fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	done, err := Applied(ctx, conn)
	if err != nil {
		return nil, err
	}
	seen := make(map[int]bool, len(done))
	for _, v := range done {
		seen[v] = true
	}
	var applied []string
	for _, m := range migs {
		if seen[m.Version] {
			continue
		}
		for i, stmt := range m.Statements {
			if err := conn.Exec(ctx, stmt); err != nil {
				return applied, fmt.Errorf("migrate: %s statement %d: %w", m.Name, i+1, err)
			}
		}
		if err := conn.Exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ({v:UInt32}, {n:String}, now64(3))",
			driver.NamedValue{Name: "v", Value: uint32(m.Version)},
			driver.NamedValue{Name: "n", Value: m.Name},
		); err != nil {
			return applied, fmt.Errorf("migrate: record %s: %w", m.Name, err)
		}
		applied = append(applied, m.Name)
	}
	return applied, nil
}

// Applied returns the versions recorded in schema_migrations, ascending.
func Applied(ctx context.Context, conn driver.Conn) ([]int, error) {
	rows, err := conn.Query(ctx, "SELECT DISTINCT version FROM schema_migrations ORDER BY version")
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var v uint32
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("read schema_migrations: %w", err)
		}
		out = append(out, int(v))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	return out, nil
}

// Behind compares the connection's database with the embedded
// migrations: missing are the names of those it lacks (dancu migrate
// applies them), newer the versions it holds that this binary does not
// know (a newer dancu migrated it). A database never migrated lacks all.
func Behind(ctx context.Context, conn driver.Conn) (missing []string, newer []int, err error) {
	migs, err := schemas.Migrations()
	if err != nil {
		return nil, nil, fmt.Errorf("migrations: %w", err)
	}
	var exists uint8
	if err := conn.QueryRow(ctx, "EXISTS TABLE schema_migrations").Scan(&exists); err != nil {
		return nil, nil, fmt.Errorf("migrations: %w", err)
	}
	var done []int
	if exists == 1 {
		if done, err = Applied(ctx, conn); err != nil {
			return nil, nil, err
		}
	}
	seen := make(map[int]bool, len(done))
	for _, v := range done {
		seen[v] = true
	}
	known := make(map[int]bool, len(migs))
	for _, m := range migs {
		known[m.Version] = true
		if !seen[m.Version] {
			missing = append(missing, m.Name)
		}
	}
	for _, v := range done {
		if !known[v] {
			newer = append(newer, v)
		}
	}
	return missing, newer, nil
}
