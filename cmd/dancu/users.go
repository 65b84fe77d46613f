package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/dancu-vn/dancu/internal/chstore"
	"github.com/dancu-vn/dancu/web/store"
)

func newUsersCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "users",
		Short: "manage the accounts of the web application (dancu serve)",
	}
	var (
		role      string
		provinces []string
	)
	add := &cobra.Command{
		Use:   "add NAME --role reviewer|supervisor|auditor|analyst|admin [--province CODE ...]",
		Short: "add an account (or replace it), reading its password from standard input",
		Long: `Adds an account, or replaces the one of that name. The password is the first
line of standard input (asked for without echo on a terminal), at least 8
characters; it is stored as an argon2id hash. --province takes one of today's
34 province codes and may be repeated; a reviewer needs at least one, any
other role given none is national. A running 'dancu serve' accepts the
account at once; replacing an account (a new password, say after a leak)
ends the sessions it had, as disabling it does.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			u := store.User{Username: strings.ToLower(args[0]), Role: role, Provinces: provinces}
			if err := u.Validate(); err != nil {
				return fmt.Errorf("users add: %w", err)
			}
			pw, err := readPassword(g)
			if err != nil {
				return err
			}
			if u.PasswordHash, err = store.HashPassword(pw); err != nil {
				return fmt.Errorf("users add: %w", err)
			}
			st, closeFn, err := openDeskStore(cmd, g)
			if err != nil {
				return err
			}
			defer closeFn()
			if err := st.PutUser(cmd.Context(), u); err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "user %s added: %s, %s\n", u.Username, u.Role, scopeText(u))
			return nil
		},
	}
	add.Flags().StringVar(&role, "role", "", "reviewer, supervisor, auditor, analyst or admin")
	add.Flags().StringSliceVar(&provinces, "province", nil, "a province code of today's 34 (repeatable)")
	add.MarkFlagRequired("role")

	list := &cobra.Command{
		Use:   "list",
		Short: "list the accounts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, closeFn, err := openDeskStore(cmd, g)
			if err != nil {
				return err
			}
			defer closeFn()
			us, err := st.Users(cmd.Context())
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "USER\tROLE\tPROVINCES\tSTATE\tUPDATED")
			for _, u := range us {
				state := "enabled"
				if u.Disabled {
					state = "disabled"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Username, u.Role, scopeText(u), state, u.UpdatedAt.Format("2006-01-02 15:04"))
			}
			return tw.Flush()
		},
	}
	disable := &cobra.Command{
		Use:   "disable NAME",
		Short: "disable an account (its sessions stop working at once)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, closeFn, err := openDeskStore(cmd, g)
			if err != nil {
				return err
			}
			defer closeFn()
			u, err := st.User(cmd.Context(), strings.ToLower(args[0]))
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("users disable: no user %q", args[0])
			}
			if err != nil {
				return err
			}
			u.Disabled = true
			if err := st.PutUser(cmd.Context(), u); err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "user %s disabled\n", u.Username)
			return nil
		},
	}
	cmd.AddCommand(add, list, disable)
	return cmd
}

func scopeText(u store.User) string {
	if u.National() {
		return "national"
	}
	return strings.Join(u.Provinces, ",")
}

// openDeskStore connects to ClickHouse, applies the migrations and returns
// the desk's store.
func openDeskStore(cmd *cobra.Command, g *globals) (*store.Store, func(), error) {
	conn, err := openClickHouse(cmd.Context(), g)
	if err != nil {
		return nil, nil, err
	}
	if _, err := chstore.Migrate(cmd.Context(), conn); err != nil {
		conn.Close()
		return nil, nil, err
	}
	return store.New(conn, nil), func() { conn.Close() }, nil
}

// readPassword reads the password: without echo from a terminal, else the
// first line of standard input.
func readPassword(g *globals) (string, error) {
	if f, ok := g.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(g.stderr, "password: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(g.stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		return string(b), nil
	}
	line, err := bufio.NewReader(g.stdin).ReadString('\n')
	if errors.Is(err, io.EOF) && line == "" {
		return "", errors.New("no password on standard input: type it at a terminal, or give it as the first line of standard input (echo 'PASSWORD' | dancu …)")
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from standard input: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}
