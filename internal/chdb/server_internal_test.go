package chdb

import (
	"strings"
	"testing"

	chproto "github.com/ClickHouse/ch-go/proto"
	"github.com/ClickHouse/clickhouse-go/v2/lib/proto"
)

func TestInfileQuery(t *testing.T) {
	tests := []struct {
		name, query, want string
	}{
		{"clickhouse-go batch", "INSERT INTO `records` (`a`,`b`) FORMAT Native",
			"INSERT INTO `records` (`a`,`b`) FROM INFILE '/tmp/f.bin' FORMAT Native"},
		{"no columns", "INSERT INTO records FORMAT Native", "INSERT INTO records FROM INFILE '/tmp/f.bin' FORMAT Native"},
		{"lower case, CSV, semicolon", "insert into db.t format CSV;", "insert into db.t FROM INFILE '/tmp/f.bin' FORMAT CSV"},
		{"settings clause", "INSERT INTO t (a) SETTINGS async_insert=0 FORMAT Native",
			"INSERT INTO t (a) FROM INFILE '/tmp/f.bin' SETTINGS async_insert=0 FORMAT Native"},
		{"multi-line", "INSERT INTO t\n(a,\n b)\nFORMAT RowBinary\n", "INSERT INTO t\n(a,\n b) FROM INFILE '/tmp/f.bin' FORMAT RowBinary"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := insertFormatRe.FindStringSubmatchIndex(tt.query)
			if m == nil {
				t.Fatalf("%q not recognised as INSERT … FORMAT", tt.query)
			}
			got := infileQuery(tt.query[:m[3]], tt.query[m[4]:m[5]], "/tmp/f.bin")
			if got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
	for _, q := range []string{"SELECT 1 FORMAT Native", "INSERT INTO t VALUES (1)", "INSERT INTO t FORMAT CSV 1,2", "INSERT INTO t SELECT * FROM u"} {
		if insertFormatRe.MatchString(q) {
			t.Errorf("%q taken for an INSERT whose data is the body", q)
		}
	}
}

func FuzzInfileQuery(f *testing.F) {
	f.Add("INSERT INTO `records` (`a`,`b`) FORMAT Native", "/tmp/x.bin")
	f.Add("insert into t settings a=1 format CSV", "/tmp/it's.bin")
	f.Fuzz(func(t *testing.T, query, file string) {
		m := insertFormatRe.FindStringSubmatchIndex(query)
		if m == nil {
			return
		}
		got := infileQuery(query[:m[3]], query[m[4]:m[5]], file)
		if !strings.Contains(got, " FROM INFILE "+QuoteString(file)) {
			t.Fatalf("%q lost the file clause: %q", query, got)
		}
		if !strings.HasSuffix(got, " FORMAT "+query[m[4]:m[5]]) {
			t.Fatalf("%q lost its format: %q", query, got)
		}
	})
}

func TestHelloBlockDecodes(t *testing.T) {
	info := serverInfo{displayName: "vm", version: "26.5.1.1", timezone: "Asia/Ho_Chi_Minh"}
	for _, rev := range []uint64{0, 54453, proto.DBMS_TCP_PROTOCOL_VERSION} {
		data := encodeHelloBlock(info, rev)
		var b proto.Block
		if err := b.Decode(chproto.NewReader(strings.NewReader(string(data))), rev); err != nil {
			t.Fatalf("revision %d: decode: %v", rev, err)
		}
		if b.Rows() != 1 || len(b.Columns) != 4 {
			t.Fatalf("revision %d: %d rows × %d columns, want 1 × 4", rev, b.Rows(), len(b.Columns))
		}
		got := []any{b.Columns[0].Row(0, false), b.Columns[1].Row(0, false), b.Columns[2].Row(0, false), b.Columns[3].Row(0, false)}
		want := []any{"vm", "26.5.1.1", uint32(0), "Asia/Ho_Chi_Minh"}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("revision %d column %d = %#v, want %#v", rev, i, got[i], want[i])
			}
		}
	}
}

func TestIsHelloQuery(t *testing.T) {
	for q, want := range map[string]bool{
		"SELECT displayName(), version(), revision(), timezone()":    true,
		"select displayName(),version(),revision(),timezone();":      true,
		"SELECT displayName(), version(), revision(), timezone(), 1": false,
		"SELECT version()": false,
		"SELECT displayName(), version(), revision(), timezone() FROM t": false,
	} {
		if got := isHelloQuery(q); got != want {
			t.Errorf("isHelloQuery(%q) = %v, want %v", q, got, want)
		}
	}
}

func TestBodyInsertRe(t *testing.T) {
	tests := []struct {
		body            string
		head, fmt, rest string
		wantMatch       bool
	}{
		{"INSERT INTO t FORMAT CSV\n1,2\n", "INSERT INTO t", "CSV", "1,2\n", true},
		{"insert into db.t (a, b) format TabSeparated\r\nx\ty\n", "insert into db.t (a, b)", "TabSeparated", "x\ty\n", true},
		{"INSERT INTO t\n(a)\nFORMAT Native\n\x01\x02", "INSERT INTO t\n(a)", "Native", "\x01\x02", true},
		{"INSERT INTO t VALUES (1)", "", "", "", false},
		{"INSERT INTO t FORMAT Values (1), (2)", "", "", "", false},
		{"SELECT 1; INSERT INTO t FORMAT CSV\n1\n", "", "", "", false},
	}
	for _, tt := range tests {
		m := bodyInsertRe.FindStringSubmatchIndex(tt.body)
		if (m != nil) != tt.wantMatch {
			t.Errorf("%q: match %v, want %v", tt.body, m != nil, tt.wantMatch)
			continue
		}
		if m == nil {
			continue
		}
		if head, f, rest := tt.body[:m[3]], tt.body[m[4]:m[5]], tt.body[m[1]:]; head != tt.head || f != tt.fmt || rest != tt.rest {
			t.Errorf("%q: head %q format %q data %q, want %q %q %q", tt.body, head, f, rest, tt.head, tt.fmt, tt.rest)
		}
	}
}
