package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

// reviewClient speaks the desk's JSON API (the same scope checks, audit
// and decision rules as the browser).
type reviewClient struct {
	base string
	http *http.Client
	csrf string
}

func (c *reviewClient) do(method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w (is `dancu serve` running there? --server)", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error string `json:"error"`
		}
		json.Unmarshal(b, &e)
		if e.Error == "" {
			e.Error = strings.TrimSpace(string(b))
		}
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, e.Error)
	}
	if out == nil {
		return nil
	}
	if raw, ok := out.(*json.RawMessage); ok {
		*raw = b
		return nil
	}
	return json.Unmarshal(b, out)
}

// logout ends the command's session: a script deciding a batch one
// command at a time would otherwise leave a live session per command for
// the session's lifetime. A failure is not the command's.
func (c *reviewClient) logout() { c.do("POST", "/api/logout", nil, nil) }

const personUsage = "same_person on an ambiguous_tie: the person the tied record is (one of the persons it matches equally)"

const groupUsage = "different_persons: the record ids of one person, comma-separated (one --group per person)"

// parseGroups reads --group values (one per person, the record ids
// comma-separated) as a ruling's groups; none: nil.
func parseGroups(vals []string) ([][]string, error) {
	var out [][]string
	for _, v := range vals {
		var ids []string
		for id := range strings.SplitSeq(v, ",") {
			if id = strings.TrimSpace(id); id != "" {
				ids = append(ids, id)
			}
		}
		if len(ids) == 0 {
			return nil, fmt.Errorf("review: --group %q: want the record ids of one person, comma-separated", v)
		}
		out = append(out, ids)
	}
	return out, nil
}

func newReviewCmd(g *globals) *cobra.Command {
	var server, user string
	cmd := &cobra.Command{
		Use:   "review",
		Short: "list, show, decide and correct conflicts through a running `dancu serve` (for scripts)",
		Long: `The conflict desk from the command line. It signs in to a running 'dancu serve'
(--server) as --user, with the password from $DANCU_PASSWORD or else the
first line of standard input, and uses its JSON API: the same province
scope, audit log and decision rules as the browser. Each command signs out
when it is done.`,
	}
	pf := cmd.PersistentFlags()
	pf.StringVar(&server, "server", envOr("DANCU_SERVER", "http://127.0.0.1:8080"), "URL of dancu serve ($DANCU_SERVER)")
	pf.StringVar(&user, "user", os.Getenv("DANCU_USER"), "account name ($DANCU_USER)")
	login := func() (*reviewClient, error) {
		if user == "" {
			return nil, errors.New("review: --user is required (or $DANCU_USER)")
		}
		u, err := url.Parse(server)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("review: --server %q: want http(s)://host:port", server)
		}
		pw := os.Getenv("DANCU_PASSWORD")
		if pw == "" {
			if pw, err = readPassword(g); err != nil {
				return nil, fmt.Errorf("review: %w, or set $DANCU_PASSWORD", err)
			}
		}
		jar, _ := cookiejar.New(nil)
		c := &reviewClient{base: strings.TrimRight(server, "/"), http: &http.Client{Jar: jar, Timeout: time.Minute}}
		var out struct {
			CSRF string `json:"csrf_token"`
		}
		if err := c.do("POST", "/api/login", map[string]string{"username": user, "password": pw}, &out); err != nil {
			return nil, err
		}
		c.csrf = out.CSRF
		return c, nil
	}

	var status, kind, district string
	var limit, offset int
	var asJSON bool
	list := &cobra.Command{
		Use:   "list",
		Short: "list the conflicts of my provinces (numbers masked)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := login()
			if err != nil {
				return err
			}
			defer c.logout()
			q := url.Values{"status": {status}, "kind": {kind}, "district": {district}, "limit": {fmt.Sprint(limit)}, "offset": {fmt.Sprint(offset)}}
			var raw json.RawMessage
			if err := c.do("GET", "/api/conflicts?"+q.Encode(), nil, &raw); err != nil {
				return err
			}
			if asJSON {
				_, err := fmt.Fprintln(g.stdout, string(bytes.TrimSpace(raw)))
				return err
			}
			var out struct {
				Conflicts []struct {
					ID        string   `json:"conflict_id"`
					Kind      string   `json:"kind"`
					Number    string   `json:"id_number_masked"`
					Provinces []string `json:"province_codes"`
					Status    string   `json:"status"`
					Score     float64  `json:"score"`
					Records   int      `json:"records"`
				} `json:"conflicts"`
				Total int `json:"total"`
			}
			if err := json.Unmarshal(raw, &out); err != nil {
				return err
			}
			tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "CONFLICT\tKIND\tPROBABILITY\tNUMBER\tPROVINCES\tRECORDS\tSTATUS")
			for _, x := range out.Conflicts {
				// No probability (a shared_id, an id_contradicts of one
				// record): "—" as on the desk's queue, not 0.000, which
				// read as "surely two people" (user31).
				p := "—"
				if x.Score != 0 {
					p = fmt.Sprintf("%.3f", x.Score)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", x.ID, x.Kind, p, x.Number, strings.Join(x.Provinces, ","), x.Records, x.Status)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			if n := len(out.Conflicts); offset > 0 || n < out.Total {
				next := ""
				if offset+n < out.Total {
					next = fmt.Sprintf("; --offset %d for the next", offset+n)
				}
				fmt.Fprintf(g.stdout, "%d–%d of %d%s\n", min(offset+1, out.Total), offset+n, out.Total, next)
			}
			return nil
		},
	}
	list.Flags().StringVar(&status, "status", "open", "open, awaiting_second, needs_verification, decided, resolved_by_registry or all")
	list.Flags().StringVar(&kind, "kind", "", "shared_id, two_ids, id_contradicts, grey_zone or ambiguous_tie (the queue: all five when empty), or possible_match (listed only when asked for)")
	list.Flags().StringVar(&district, "district", "", "old-era district code")
	list.Flags().IntVar(&limit, "limit", 200, "at most this many (1 to 5000)")
	list.Flags().IntVar(&offset, "offset", 0, "skip this many of the ordered listing (the next page)")
	list.Flags().BoolVar(&asJSON, "json", false, "print the API's JSON")

	show := &cobra.Command{
		Use:   "show CONFLICT",
		Short: "print one conflict with its records, checks, persons and decisions (JSON; audited)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := login()
			if err != nil {
				return err
			}
			defer c.logout()
			var raw json.RawMessage
			if err := c.do("GET", "/api/conflicts/"+url.PathEscape(args[0]), nil, &raw); err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := json.Indent(&buf, raw, "", "  "); err != nil {
				return err
			}
			_, err = fmt.Fprintln(g.stdout, buf.String())
			return err
		},
	}

	var person string
	// rule posts a ruling (what, "decision" or "correction") on a
	// conflict, with the groups of a different_persons ruling and the
	// person of a placement (an ambiguous_tie's record), and prints what
	// was recorded.
	rule := func(conflict, what string, body map[string]any, groups []string) error {
		gs, err := parseGroups(groups)
		if err != nil {
			return err
		}
		if gs != nil {
			body["groups"] = gs
		}
		if person != "" {
			body["person"] = person
		}
		c, err := login()
		if err != nil {
			return err
		}
		defer c.logout()
		var out struct {
			ID      string     `json:"decision_id"`
			After   string     `json:"status_after"`
			Before  string     `json:"status_before"`
			Groups  [][]string `json:"groups"`
			Records []string   `json:"record_ids"`
			Sent    *bool      `json:"sent"`
		}
		if err := c.do("POST", "/api/conflicts/"+url.PathEscape(conflict)+"/"+what, body, &out); err != nil {
			return err
		}
		fmt.Fprintf(g.stdout, "%s %s recorded: %s → %s", what, out.ID, out.Before, out.After)
		for i, gr := range out.Groups {
			fmt.Fprintf(g.stdout, "; person %d: %s", i+1, strings.Join(gr, ","))
		}
		if person != "" {
			fmt.Fprintf(g.stdout, "; one person: %s", strings.Join(out.Records, ","))
		}
		if out.Sent != nil && !*out.Sent {
			fmt.Fprint(g.stdout, "; stored, not yet sent to the register — it will be sent when the brokers are reachable")
		}
		fmt.Fprintln(g.stdout)
		return nil
	}

	var decision, note string
	var groups []string
	decide := &cobra.Command{
		Use:   "decide CONFLICT --decision same_person|different_persons|needs_verification|verified [--note TEXT] [--group R1,R3 --group R2 …] [--person P]",
		Short: "record a decision on a conflict",
		Long: `Records a decision on a conflict, as the conflict page does. A different_persons
ruling may say which records go together: one --group per person, each the
comma-separated ids of that person's records (every record of the conflict
in exactly one group, two groups or more); without --group the persons the
records are in now are kept apart.

On an ambiguous_tie (a record that matches two persons or more equally, whom
the guards keep apart), --decision same_person --person P places the record
with person P (one of the persons it matches; the others stay apart);
different_persons makes it a person of its own; same_person without --person
rules the persons it matches one person after all, which overrides the guard
and takes a supervisor's second decision.

A conflict of one record (an ID number contradicting its own record's fields)
has no two records to join or separate: needs_verification sends it to the
field, and verified, with a --note saying what the check found, closes it.`,
		Example: `  dancu review decide c3db47c3f06a9a902b1ca014b --decision different_persons \
      --group r31036bc5f5a7d7c63444f21b,r373a561b2deef3b474e63cee --group r9699eef1cdbebc1d91f294e7 \
      --note "khác họ tên, cùng số định danh"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return rule(args[0], "decision", map[string]any{"decision": decision, "note": note}, groups)
		},
	}
	decide.Flags().StringVar(&decision, "decision", "", "same_person, different_persons, needs_verification or verified (a conflict of one record checked in the field; --note says what was found)")
	decide.Flags().StringVar(&note, "note", "", "a note for the record")
	decide.Flags().StringArrayVar(&groups, "group", nil, groupUsage)
	decide.Flags().StringVar(&person, "person", "", personUsage)
	decide.MarkFlagRequired("decision")

	var reason string
	correct := &cobra.Command{
		Use:   "correct CONFLICT --decision same_person|different_persons|verified --reason TEXT [--group R1,R3 --group R2 …] [--person P]",
		Short: "correct the ruling in force on a decided conflict (supervisors and admins)",
		Long: `A supervisor's correction of a wrong ruling, as the conflict page's
correction form: one more decision (decided → decided) that replaces the ruling
in force, which stays in the history. A reason is required; --group and
--person as for decide.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return rule(args[0], "correction", map[string]any{"decision": decision, "reason": reason}, groups)
		},
	}
	correct.Flags().StringVar(&decision, "decision", "", "same_person or different_persons; verified on a conflict of one record (another finding of the field check, which --reason says)")
	correct.Flags().StringVar(&reason, "reason", "", "why the ruling in force is wrong (required)")
	correct.Flags().StringArrayVar(&groups, "group", nil, groupUsage)
	correct.Flags().StringVar(&person, "person", "", personUsage)
	correct.MarkFlagRequired("decision")
	correct.MarkFlagRequired("reason")

	cmd.AddCommand(list, show, decide, correct, newReviewLabelsCmd(g))
	return cmd
}
