package jmapcloud

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/k2geospatial/apikeys/internal/l10n"
)

// urlPolicy holds every request, not only the base URL, to the rule New applies: https, or
// plain http to a loopback address. It refuses before dialing, so a request that somehow
// points elsewhere (a future redirect policy, a URL built from server data) sends nothing.
type urlPolicy struct{ next http.RoundTripper }

func (p urlPolicy) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := checkURL(req.URL); err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	return p.next.RoundTrip(req)
}

// checkURL is the https-or-loopback rule.
func checkURL(u *url.URL) error {
	if u.Scheme == "https" || (u.Scheme == "http" && IsLoopbackHost(u.Hostname())) {
		return nil
	}
	shown := *u
	shown.User = nil
	shown.RawQuery = ""
	shown.Fragment = ""
	return &InsecureURLError{URL: shown.String()}
}

// IsLoopbackHost reports "localhost" or a loopback IP address (127.0.0.0/8, ::1).
func IsLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// LoopbackNameError is "localhost" resolving to an address that is not loopback: plain http
// to it would leave the machine, so nothing is sent.
type LoopbackNameError struct {
	Host  string
	Addrs []net.IPAddr
}

func (e *LoopbackNameError) Error() string { return e.Localize(nil) }

// Localize is Error in p's language.
func (e *LoopbackNameError) Localize(p *l10n.Printer) string {
	addrs := make([]string, len(e.Addrs))
	for i, a := range e.Addrs {
		addrs[i] = a.String()
	}
	return p.Sprintf("refusing to connect to %s: it resolves to %s, not to a loopback address; use http://127.0.0.1 or fix /etc/hosts",
		e.Host, strings.Join(addrs, ", "))
}

type dialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// loopbackNamesDialer dials a host that IsLoopbackHost accepts by name ("localhost") only at
// a loopback address it resolves to. Without an /etc/hosts entry Go's resolver may ask DNS,
// whose search domains can turn "localhost" into a remote host: the https-or-loopback rule
// would then let plain http, credentials included, leave the machine.
func loopbackNamesDialer(dial dialFunc, lookup func(context.Context, string) ([]net.IPAddr, error)) dialFunc {
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil || net.ParseIP(host) != nil || !IsLoopbackHost(host) {
			return dial(ctx, network, addr)
		}
		addrs, err := lookup(ctx, host)
		if err != nil {
			return nil, err
		}
		for _, a := range addrs {
			if a.IP.IsLoopback() {
				return dial(ctx, network, net.JoinHostPort(a.IP.String(), port))
			}
		}
		return nil, &LoopbackNameError{Host: host, Addrs: addrs}
	}
}
