package jmapcloud

import (
	"context"
	"errors"
	"net"
	"testing"
)

// "localhost" is dialled only at a loopback address it resolves to: resolved elsewhere (no
// /etc/hosts entry, a DNS search domain), nothing is dialled at all.
func TestLocalhostIsDialledOnlyAtLoopback(t *testing.T) {
	var dialled []string
	dial := func(_ context.Context, _, addr string) (net.Conn, error) {
		dialled = append(dialled, addr)
		return nil, errors.New("test: not connecting")
	}
	resolvesTo := func(ips ...string) func(context.Context, string) ([]net.IPAddr, error) {
		return func(context.Context, string) ([]net.IPAddr, error) {
			var out []net.IPAddr
			for _, ip := range ips {
				out = append(out, net.IPAddr{IP: net.ParseIP(ip)})
			}
			return out, nil
		}
	}
	ctx := context.Background()

	_, err := loopbackNamesDialer(dial, resolvesTo("10.1.2.3"))(ctx, "tcp", "localhost:8080")
	var nameErr *LoopbackNameError
	if !errors.As(err, &nameErr) || len(dialled) != 0 {
		t.Fatalf("localhost → 10.1.2.3: err %v, dialled %q; want a LoopbackNameError and no dial", err, dialled)
	}
	if want := "refusing to connect to localhost: it resolves to 10.1.2.3, not to a loopback address; use http://127.0.0.1 or fix /etc/hosts"; err.Error() != want {
		t.Errorf("message:\n got %s\nwant %s", err, want)
	}

	// The dial records the address it was given; what it returns is the test's own.
	_, _ = loopbackNamesDialer(dial, resolvesTo("10.1.2.3", "::1"))(ctx, "tcp", "localhost:8080")
	_, _ = loopbackNamesDialer(dial, resolvesTo("10.1.2.3"))(ctx, "tcp", "127.0.0.1:8080")
	_, _ = loopbackNamesDialer(dial, resolvesTo("10.1.2.3"))(ctx, "tcp", "api.example.com:443")
	want := []string{"[::1]:8080", "127.0.0.1:8080", "api.example.com:443"}
	if len(dialled) != len(want) {
		t.Fatalf("dialled %q, want %q", dialled, want)
	}
	for i := range want {
		if dialled[i] != want[i] {
			t.Fatalf("dialled %q, want %q", dialled, want)
		}
	}
}
