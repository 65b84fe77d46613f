package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestServeRefusesPlainHTTPToTheNetwork: dancu serve without TLS on an
// address other machines reach stops before it starts, saying how to
// serve instead (user15's audit: it served passwords and unmasked records
// over plain HTTP on 0.0.0.0 without a word); loopback, TLS, a trusted
// proxy and --insecure-http are served.
func TestServeRefusesPlainHTTPToTheNetwork(t *testing.T) {
	for _, listen := range []string{"0.0.0.0:0", ":0", "192.0.2.7:8080", "[::]:0"} {
		var out bytes.Buffer
		root := newRootCmd(strings.NewReader(""), &out, &out)
		root.SetArgs([]string{"serve", "--listen", listen, "--clickhouse", "http://127.0.0.1:1"})
		err := root.Execute()
		if err == nil || !strings.Contains(err.Error(), "plain HTTP") || !strings.Contains(err.Error(), "--tls-cert") {
			t.Errorf("serve --listen %s without TLS: %v, want a refusal naming --tls-cert", listen, err)
		}
	}
	for _, c := range []struct {
		listen                 string
		tls, proxied, insecure bool
	}{
		{"127.0.0.1:8080", false, false, false},
		{"localhost:8080", false, false, false},
		{"[::1]:8080", false, false, false},
		{"0.0.0.0:8443", true, false, false},
		{"10.0.0.9:8080", false, true, false},
		{":8080", false, false, true},
	} {
		if why := plainHTTPRefusal(c.listen, c.tls, c.proxied, c.insecure); why != "" {
			t.Errorf("%+v refused: %s", c, why)
		}
	}
}

// TestServeSecureCookies: serve marks every cookie Secure when it serves
// TLS and behind a trusted proxy (which terminates TLS), but not behind a
// proxy said to serve plain HTTP (--insecure-http: a closed test network,
// where a browser would drop a Secure cookie) nor on plain HTTP alone.
func TestServeSecureCookies(t *testing.T) {
	for _, c := range []struct {
		tls, proxied, insecure, want bool
	}{
		{tls: true, want: true},
		{tls: true, insecure: true, want: true},
		{proxied: true, want: true},
		{proxied: true, insecure: true, want: false},
		{insecure: true, want: false},
		{want: false},
	} {
		if got := secureCookies(c.tls, c.proxied, c.insecure); got != c.want {
			t.Errorf("tls %v, trusted proxy %v, --insecure-http %v: Secure cookies %v, want %v", c.tls, c.proxied, c.insecure, got, c.want)
		}
	}
}
