package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/prompt"
	"github.com/k2geospatial/apikeys/internal/sandbox"
	"github.com/k2geospatial/apikeys/internal/session"
)

// testSandbox is a real sandbox served on loopback for in-process command runs.
type testSandbox struct {
	t   *testing.T
	sb  *sandbox.Sandbox
	url string
	// clipboard is every command's clipboard: what they copied, never the X one.
	clipboard *fakeClipboard
}

func newTestSandbox(t *testing.T) *testSandbox { return newTestSandboxServing(t, nil) }

// newTestSandboxServing is newTestSandbox whose server runs wrap around the sandbox's
// handler (nil: the handler alone), for tests that count or hold requests.
func newTestSandboxServing(t *testing.T, wrap func(http.Handler) http.Handler) *testSandbox {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "cache"))
	sb, err := sandbox.Open(sandbox.Options{Path: filepath.Join(dir, "sandbox.db")})
	if err != nil {
		t.Fatal(err)
	}
	handler := sb.Handler()
	if wrap != nil {
		handler = wrap(handler)
	}
	srv := httptest.NewServer(handler)
	t.Cleanup(func() { srv.Close(); sb.Close() })
	return &testSandbox{t: t, sb: sb, url: srv.URL, clipboard: &fakeClipboard{}}
}

// factory builds a Factory whose session is the sandbox's administrator over HTTP.
func (ts *testSandbox) factory(streams *iostreams.IOStreams, p prompt.Prompter) *Factory {
	f := newFactory(streams, "test", func(string) string { return "" })
	f.Session = func(ctx context.Context) (*Session, error) {
		client, err := jmapcloud.New(jmapcloud.Options{BaseURL: ts.url, Retry: jmapcloud.RetryPolicy{MaxAttempts: 4, BaseDelay: 1e6, MaxDelay: 1e9}})
		if err != nil {
			return nil, err
		}
		return session.LoginWithPassword(ctx, client, sandbox.AdminEmail, sandbox.Password, "")
	}
	f.Clipboard = ts.clipboard
	if p != nil {
		f.Prompter = func() prompt.Prompter { return p }
	}
	// Completions against this sandbox log in and list keys under -race on a shared machine:
	// a roomier deadline than the shipped 2 s keeps them from giving up. Tests of the deadline
	// itself set it back.
	f.completionTimeout = 15 * time.Second
	return f
}

// run executes one command line without a terminal and returns exit code, stdout, stderr.
func (ts *testSandbox) run(args ...string) (int, string, string) {
	ts.t.Helper()
	streams, _, out, errOut := iostreams.Test()
	code := run(context.Background(), ts.factory(streams, nil), args)
	return code, out.String(), errOut.String()
}

// state is a comparable snapshot: every key ID and every resource with its owner.
func (ts *testSandbox) state() string {
	ts.t.Helper()
	res, err := ts.sb.Resources()
	if err != nil {
		ts.t.Fatal(err)
	}
	var lines []string
	for _, r := range res {
		lines = append(lines, r.ID+" "+r.OwnerKind+" "+r.OwnerID)
	}
	code, out, errOut := ts.run("list", "-o", "csv", "--columns", "id", "--no-headers")
	if code != 0 {
		ts.t.Fatalf("list for a snapshot: exit %d: %s", code, errOut)
	}
	lines = append(lines, strings.Fields(out)...)
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// resourcesOf returns the resources an owner holds, by name.
func (ts *testSandbox) resourcesOf(ownerID string) []string {
	ts.t.Helper()
	res, err := ts.sb.Resources()
	if err != nil {
		ts.t.Fatal(err)
	}
	var names []string
	for _, r := range res {
		if r.OwnerID == ownerID {
			names = append(names, r.Name)
		}
	}
	sort.Strings(names)
	return names
}

// memberID finds a seeded member's ID by email.
func (ts *testSandbox) memberID(email string) string {
	ts.t.Helper()
	code, out, errOut := ts.run("members", "-o", "csv", "--no-headers")
	if code != 0 {
		ts.t.Fatalf("members: %s", errOut)
	}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Split(line, ",")
		if len(f) > 2 && f[2] == email {
			return f[0]
		}
	}
	ts.t.Fatalf("no member %s", email)
	return ""
}

// keyID finds a key's ID by exact title.
func (ts *testSandbox) keyID(title string) string {
	ts.t.Helper()
	code, out, errOut := ts.run("list", "-o", "tsv", "--columns", "id,title", "--no-headers")
	if code != 0 {
		ts.t.Fatalf("list: %s", errOut)
	}
	for _, line := range strings.Split(out, "\n") {
		if id, t, ok := strings.Cut(line, "\t"); ok && t == title {
			return id
		}
	}
	ts.t.Fatalf("no key %q", title)
	return ""
}
