package jmapcloud

import "net/http"

// MaxBody is the cap on one answer, for the tests that check it holds.
const MaxBody = maxBody

// PolicyClient is the http.Client New would build around hc: no redirects, the
// https-or-loopback rule on every request.
func PolicyClient(hc *http.Client) *http.Client {
	c, _ := httpClient(Options{HTTPClient: hc}, nil)
	return c
}
