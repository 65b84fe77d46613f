package store

import (
	"context"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// Audit actions.
const (
	ActionLogin        = "login"
	ActionLoginFailed  = "login_failed"
	ActionLogout       = "logout"
	ActionOpenConflict = "open_conflict"
	ActionDecide       = "decide"
	ActionCorrect      = "correct" // a supervisor's new ruling on a decided conflict
	ActionAssign       = "assign"
	ActionDenied       = "denied"
	ActionReadAudit    = "read_audit"
	// A decision stored and not yet acknowledged by the brokers (marked
	// before the first attempt), and one acknowledged (the desk's outbox:
	// MarkUnsent, MarkSent), by OutboxUser.
	ActionUnsent    = "unsent"
	ActionPublished = "published"
)

// OutboxUser is the audit log's user of the outbox's marks.
const OutboxUser = "dancu serve"

// AuditEntry is one line of the append-only audit log. Detail never holds
// a full name or identification number.
type AuditEntry struct {
	At         time.Time `ch:"at" json:"at"`
	Username   string    `ch:"username" json:"username"`
	Role       string    `ch:"role" json:"role"`
	Action     string    `ch:"action" json:"action"`
	ObjectID   string    `ch:"object_id" json:"object_id"`
	Detail     string    `ch:"detail" json:"detail"`
	RemoteAddr string    `ch:"remote_addr" json:"remote_addr"`
	Provinces  []string  `ch:"provinces" json:"province_codes"` // the conflict's, else the user's
}

// Audit appends e (At is set here when zero).
func (s *Store) Audit(ctx context.Context, e AuditEntry) error {
	if e.Provinces == nil {
		e.Provinces = []string{}
	}
	if e.At.IsZero() {
		e.At = s.now()
	}
	return s.insert(ctx, "audit_log", &e)
}

// Actions lists the audit actions, for filters.
var Actions = []string{ActionLogin, ActionLoginFailed, ActionLogout, ActionOpenConflict, ActionDecide, ActionCorrect, ActionAssign, ActionDenied, ActionReadAudit, ActionUnsent, ActionPublished}

// AuditFilter narrows the audit log. Empty fields do not filter.
type AuditFilter struct {
	Username string // who
	ObjectID string // which conflict; or which record or person an opening showed
	Action   string // one of Actions
	Limit    int    // Default: 100, at most 10000
}

// AuditLog returns the latest entries within sc that pass f, newest first.
func (s *Store) AuditLog(ctx context.Context, sc Scope, f AuditFilter) ([]AuditEntry, error) {
	if f.Limit <= 0 || f.Limit > 10000 {
		f.Limit = 100
	}
	var out []AuditEntry
	if err := s.conn.Select(ctx, &out, `SELECT * FROM audit_log
WHERE ({national:UInt8} = 1 OR hasAny(provinces, {scope:Array(String)}))
  AND ({user:String} = '' OR username = {user:String})
  AND ({object:String} = '' OR object_id = {object:String}
       OR (action = 'open_conflict' AND has(splitByChar(' ', detail), {object:String})))
  AND ({action:String} = '' OR action = {action:String})
ORDER BY at DESC LIMIT {n:UInt32}`, scopeArgs(sc, map[string]any{"n": uint32(f.Limit), "user": f.Username, "object": f.ObjectID, "action": f.Action})...); err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	return out, nil
}

// LoginFailures counts the failed logins in the audit log since since,
// that is, of every server on this ClickHouse: of account username from
// client address addr after the account's latest login from there
// (pair), of the account from any address after its latest login
// (account), and of the address, any accounts (address). Only failures
// audited with detail count (not the refusals of the limit).
func (s *Store) LoginFailures(ctx context.Context, username, addr, detail string, since time.Time) (pair, account, address uint64, err error) {
	if err := s.conn.QueryRow(ctx, `SELECT
    countIf(username = {u:String} AND remote_addr = {a:String} AND at > (SELECT max(at) FROM audit_log WHERE action = 'login' AND username = {u:String} AND remote_addr = {a:String} AND at > {since:DateTime64(3)})),
    countIf(username = {u:String} AND at > (SELECT max(at) FROM audit_log WHERE action = 'login' AND username = {u:String} AND at > {since:DateTime64(3)})),
    countIf(remote_addr = {a:String})
FROM audit_log
WHERE at > {since:DateTime64(3)} AND action = 'login_failed' AND detail = {d:String}`,
		clickhouse.Named("u", username), clickhouse.Named("a", addr), clickhouse.Named("d", detail),
		clickhouse.Named("since", since)).Scan(&pair, &account, &address); err != nil {
		return 0, 0, 0, fmt.Errorf("count failed logins: %w", err)
	}
	return pair, account, address, nil
}
