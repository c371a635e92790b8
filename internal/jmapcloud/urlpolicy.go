package jmapcloud

import (
	"net"
	"net/http"
	"net/url"
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
