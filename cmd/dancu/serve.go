package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/dancu-vn/dancu/internal/chstore"
	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
)

func newServeCmd(g *globals) *cobra.Command {
	var (
		listen, certFile, keyFile string
		sessionTTL, sessionIdle   time.Duration
		publish, insecureHTTP     bool
		trustedProxies            []string
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "serve the conflict desk and the coverage pages (the web application)",
		Long: `Serves the web application: the police conflict desk (queue, conflict pages,
decisions, audit log), its JSON API under /api/, and the analysts' coverage
pages. Accounts are added with 'dancu users add'. Behind a reverse proxy, name it
with --trusted-proxy, or every client has the proxy's address (one login
limit for all of them, and the proxy's address in the audit log). Decisions are stored in
ClickHouse and published to the topic dancu.decisions (--publish).
Migrations are applied on start. Ctrl-C stops gracefully.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if (certFile == "") != (keyFile == "") {
				return errors.New("serve: --tls-cert and --tls-key go together")
			}
			proxies, err := web.ParseTrustedProxies(trustedProxies)
			if err != nil {
				return fmt.Errorf("serve: --trusted-proxy: %w", err)
			}
			if why := plainHTTPRefusal(listen, certFile != "", len(proxies) > 0, insecureHTTP); why != "" {
				return errors.New("serve: " + why)
			}
			// Listen first: an address in use is said before ClickHouse is
			// opened and migrated.
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return fmt.Errorf("serve: %w", addrInUse(err, listen, "a dancu serve", "--listen"))
			}
			defer ln.Close()
			ctx := cmd.Context()
			conn, err := openClickHouse(ctx, g)
			if err != nil {
				return err
			}
			defer conn.Close()
			if _, err := chstore.Migrate(ctx, conn); err != nil {
				return err
			}
			log := slog.New(slog.NewTextHandler(g.stderr, nil))
			cfg := web.Config{Store: store.New(conn, nil), SessionTTL: sessionTTL, SessionIdle: sessionIdle, SecureCookies: secureCookies(certFile != "", len(proxies) > 0, insecureHTTP), Logger: log,
				Coverage: coverageHandler(conn, log), TrustedProxies: proxies}
			if publish {
				brokers, err := kafkax.SplitBrokers(g.kafka)
				if err != nil {
					return err
				}
				w, err := kafkax.NewWriter(brokers, kafkax.TopicDecisions)
				if err != nil {
					return err
				}
				w.MaxAttempts = 3
				defer w.Close()
				cfg.Publisher = &web.KafkaPublisher{W: w}
			}
			app, err := web.New(cfg)
			if err != nil {
				return err
			}
			// Decisions the brokers did not acknowledge (now or before a
			// restart) are sent again in the background, backing off
			// while the brokers are down; stopped before the writer closes.
			octx, stopOutbox := context.WithCancel(ctx)
			outboxDone := make(chan struct{})
			go func() {
				defer close(outboxDone)
				app.RunOutbox(octx, time.Second, time.Minute)
			}()
			defer func() { stopOutbox(); <-outboxDone }()
			srv := &http.Server{Handler: app, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
				WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute}
			scheme := "http"
			if certFile != "" {
				scheme = "https"
			}
			fmt.Fprintf(g.stderr, "dancu serve: %s://%s/ (Ctrl-C stops)\n", scheme, ln.Addr())
			errc := make(chan error, 1)
			go func() {
				if certFile != "" {
					errc <- srv.ServeTLS(ln, certFile, keyFile)
				} else {
					errc <- srv.Serve(ln)
				}
			}()
			select {
			case err := <-errc:
				return fmt.Errorf("serve: %w", err)
			case <-ctx.Done():
			}
			// Graceful shutdown: finish requests in flight for up to 10 s.
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			return srv.Shutdown(sctx)
		},
	}
	f := cmd.Flags()
	f.StringVar(&listen, "listen", "127.0.0.1:8080", "address to listen on")
	f.StringVar(&certFile, "tls-cert", "", "TLS certificate file (PEM); serves HTTPS with Secure cookies")
	f.StringVar(&keyFile, "tls-key", "", "TLS private key file (PEM)")
	f.DurationVar(&sessionTTL, "session-ttl", 8*time.Hour, "how long a session lasts at most, however busy")
	f.DurationVar(&sessionIdle, "session-idle", 30*time.Minute, "a session ends after this long without a request (the login page then says it expired; the API answers 401); audited as a logout")
	f.StringSliceVar(&trustedProxies, "trusted-proxy", nil, "address or network (10.0.0.0/8) of a reverse proxy in front of the desk that terminates TLS, repeatable or comma-separated: cookies are Secure (with --insecure-http: only when the proxy sends X-Forwarded-Proto: https), and only from these is X-Forwarded-For read (its right-most address that is no trusted proxy is the client, for the login limit and the audit log)")
	f.BoolVar(&publish, "publish", true, "publish decisions to the topic dancu.decisions on --kafka")
	f.BoolVar(&insecureHTTP, "insecure-http", false, "serve plain HTTP on an address other machines reach, without --tls-cert or --trusted-proxy (passwords, session cookies and unmasked records cross the network readable): for a closed test network only")
	return cmd
}

// secureCookies says whether every cookie is Secure (and HSTS sent): when
// serve serves TLS, and behind a trusted proxy, which terminates TLS (the
// browser reaches the proxy over HTTPS; plainHTTPRefusal lets serve speak
// plain HTTP to it for that reason) unless --insecure-http says the proxy
// serves plain HTTP on a closed test network. There a request the proxy
// marks X-Forwarded-Proto: https still gets a Secure cookie (web.Config).
func secureCookies(tls, proxied, insecure bool) bool {
	return tls || (proxied && !insecure)
}

// plainHTTPRefusal says why serve refuses to start, or "": plain HTTP on
// an address other machines reach carries passwords, session cookies and
// the unmasked conflict pages readable on the network. It is served on a
// loopback address, with TLS (--tls-cert), behind a reverse proxy named
// with --trusted-proxy (which terminates TLS), or when asked outright.
func plainHTTPRefusal(listen string, tls, proxied, insecure bool) string {
	if tls || proxied || insecure {
		return ""
	}
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return "" // net.Listen says what is wrong with it
	}
	if host == "localhost" {
		return ""
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return ""
	}
	where := host
	if where == "" {
		where = "every interface"
	}
	return fmt.Sprintf("--listen %s is reached from other machines (%s), and plain HTTP would carry passwords, session cookies and unmasked records readable on the network: give --tls-cert and --tls-key, serve behind a TLS reverse proxy named with --trusted-proxy, listen on 127.0.0.1, or say --insecure-http on a closed test network", listen, where)
}
