package schemas

import (
	"fmt"
	"regexp"
	"slices"
)

// The ClickHouse roles an operator gives dancu's users (RoleStatements):
// nothing in dancu creates a user, and a user with no role reads every
// table — records, persons, conflicts (whose explanations quote values)
// and users (password hashes).
const (
	// RoleAnalyst reads the coverage aggregates, the coverage view and
	// the reference tables: no person, record, account or audit entry.
	RoleAnalyst = "dancu_analyst"
	// RoleDesk is dancu serve's: it reads what the desk shows, writes
	// sessions, the audit log, decisions, assignments and conflict
	// places, and has the analyst's grants for the coverage pages.
	RoleDesk = "dancu_desk"
	// RolePipeline is dancu run's: it writes records, links, persons,
	// conflicts and the coverage state, and reads the decisions.
	RolePipeline = "dancu_pipeline"
)

// AnalystTables are what RoleAnalyst reads: the coverage aggregates (by
// unit, birth year and month: counts, no person; since migration 0027
// one table, coverage_sums, and coverage_records, coverage_persons and
// coverage_children views over it, which read it with the invoker's
// grants), the views over them (which read only these) and the reference
// tables. README's "Coverage
// for analysts" queries need no other (cmd/dancu
// TestRolesCoverReadmeQueries).
var AnalystTables = []string{"coverage_sums", "coverage_records", "coverage_persons", "coverage_children", "coverage_by_province", "coverage_by_commune", "provinces", "admin_units"}

// deskWrites are the tables dancu serve inserts into; the pipeline only
// reads decisions and writes none of them.
var deskWrites = []string{"sessions", "audit_log", "decisions", "assignments", "conflict_places"}

// deskOnly are the desk's tables the pipeline never reads.
var deskOnly = []string{"users", "sessions", "audit_log", "assignments", "conflict_places"}

// referenceTables come with the migrations; no service writes them.
var referenceTables = []string{"provinces", "admin_units"}

var reCreated = regexp.MustCompile(`(?m)^CREATE (?:OR REPLACE )?(TABLE|VIEW|MATERIALIZED VIEW)(?: IF NOT EXISTS)? (\w+)`)

// Tables lists the tables and views the migrations create (not the
// materialised views, which write as their definer), in order of
// creation, and which of them are views.
func Tables() (tables []string, views map[string]bool, err error) {
	migs, err := Migrations()
	if err != nil {
		return nil, nil, err
	}
	views = map[string]bool{}
	for _, m := range migs {
		for _, st := range m.Statements {
			for _, c := range reCreated.FindAllStringSubmatch(st, -1) {
				if c[1] == "MATERIALIZED VIEW" {
					continue
				}
				if slices.Contains(tables, c[2]) {
					// Created again: what it is now (0027 made three
					// tables views).
					views[c[2]] = c[1] == "VIEW"
					continue
				}
				tables = append(tables, c[2])
				views[c[2]] = c[1] == "VIEW"
			}
		}
	}
	return tables, views, nil
}

// RoleStatements returns the statements creating RoleAnalyst, RoleDesk
// and RolePipeline with their grants on database db; with cluster (not
// "") every statement is ON CLUSTER and the grants include the
// NAME_local tables behind the Distributed ones (ShardKeys). dancu serve
// and dancu run also get CREATE TABLE and SELECT on schema_migrations:
// both run the migrations on start, which, all applied, creates that
// table if missing and reads it; a pending migration then fails for want
// of grants, to be applied by `dancu migrate` as an administrator.
func RoleStatements(db, cluster string) ([]string, error) {
	word := regexp.MustCompile(`^\w+$`)
	if !word.MatchString(db) {
		return nil, fmt.Errorf("database %q: want a name of letters, digits and _", db)
	}
	on := ""
	if cluster != "" {
		if !word.MatchString(cluster) {
			return nil, fmt.Errorf("cluster %q: want a name of letters, digits and _", cluster)
		}
		on = " ON CLUSTER " + cluster
	}
	all, views, err := Tables()
	if err != nil {
		return nil, err
	}
	for _, t := range slices.Concat(AnalystTables, deskWrites, deskOnly, referenceTables) {
		if !slices.Contains(all, t) {
			return nil, fmt.Errorf("roles: no table %s in the migrations", t)
		}
	}
	// GRANT takes one table per statement; on a cluster a sharded
	// table's grant is also on the local table the Distributed one reads.
	var out []string
	grants := func(privs string, ts []string, role string) {
		for _, t := range ts {
			out = append(out, fmt.Sprintf("GRANT%s %s ON %s.%s TO %s", on, privs, db, t, role))
			if _, sharded := ShardKeys[t]; sharded && cluster != "" {
				out = append(out, fmt.Sprintf("GRANT%s %s ON %s.%s_local TO %s", on, privs, db, t, role))
			}
		}
	}
	for _, r := range []string{RoleAnalyst, RoleDesk, RolePipeline} {
		out = append(out, fmt.Sprintf("CREATE ROLE IF NOT EXISTS %s%s", r, on))
	}
	grants("SELECT", AnalystTables, RoleAnalyst)

	out = append(out, fmt.Sprintf("GRANT%s %s TO %s", on, RoleAnalyst, RoleDesk))
	var deskReads, pipeWrites, pipeReads []string
	for _, t := range all {
		switch {
		case slices.Contains(AnalystTables, t):
		case t == "rejects":
			// The rejected rows quote the input: the pipeline's only.
		default:
			deskReads = append(deskReads, t)
		}
		switch {
		case slices.Contains(deskOnly, t):
		case views[t], slices.Contains(referenceTables, t), t == "decisions":
			pipeReads = append(pipeReads, t)
		default:
			pipeWrites = append(pipeWrites, t)
		}
	}
	grants("SELECT", deskReads, RoleDesk)
	grants("INSERT", deskWrites, RoleDesk)
	grants("SELECT, INSERT", pipeWrites, RolePipeline)
	grants("SELECT", pipeReads, RolePipeline)
	for _, r := range []string{RoleDesk, RolePipeline} {
		out = append(out, fmt.Sprintf("GRANT%s CREATE TABLE, SELECT ON %s.schema_migrations TO %s", on, db, r))
	}
	return out, nil
}
