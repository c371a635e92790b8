package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/progress"
	"github.com/k2geospatial/apikeys/internal/prompt"
	"github.com/k2geospatial/apikeys/internal/prompt/ptytest"
)

// heldServer holds the requests it is told to hold until the test releases them: a slow
// server whose slowness is decided by the test, not by a clock.
type heldServer struct {
	arrived chan string   // a held request reached the server (its method and path)
	release chan struct{} // closed by the test: held requests are answered
	once    sync.Once
}

func (h *heldServer) Release() { h.once.Do(func() { close(h.release) }) }

// newHeldSandbox is a test sandbox whose requests matching hold wait for Release. hold is
// called with the request's number among those of its method and path pattern, so a test
// holds, say, only the second DELETE; a bounded number are held.
func newHeldSandbox(t *testing.T, hold func(r *http.Request, nth int) bool) (*testSandbox, *heldServer) {
	t.Helper()
	h := &heldServer{arrived: make(chan string, 4), release: make(chan struct{})}
	var mu sync.Mutex
	seen := map[string]int{}
	ts := newTestSandboxServing(t, func(inner http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			seen[r.Method]++
			held := hold(r, seen[r.Method]) && len(h.arrived) < cap(h.arrived)
			mu.Unlock()
			if held {
				h.arrived <- r.Method + " " + r.URL.Path
				select {
				case <-h.release:
				case <-r.Context().Done():
					return
				}
			}
			inner.ServeHTTP(w, r)
		})
	})
	t.Cleanup(h.Release) // before the server closes (cleanups run last first): it waits for held requests
	return ts, h
}

// isKeyList is GET …/api-keys, the list of keys.
func isKeyList(r *http.Request, _ int) bool {
	return r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/api-keys")
}

// ptyStreams are streams on a real pseudo-terminal, the spinner drawn without its delay: the
// test, which holds the server, decides how long the call lasts.
func ptyStreams(t *testing.T) (*ptytest.Console, *iostreams.IOStreams) {
	c := ptytest.New(t, ptytest.WithSize(150, 40))
	tty := c.Tty()
	streams := &iostreams.IOStreams{In: tty, Out: tty, ErrOut: tty}
	streams.SetTTY(true, true, true)
	streams.DisableColor()
	streams.SetProgressOptions(progress.Options{Delay: -1})
	return c, streams
}

// checkSpinnerCleared checks that the last time the terminal showed label, the line was then
// erased before the text that follows, and that the screen no longer shows it.
func checkSpinnerCleared(t *testing.T, c *ptytest.Console, label, next string) {
	t.Helper()
	out := c.Output()
	last := strings.LastIndex(out, label)
	if last < 0 {
		t.Fatalf("the terminal never showed %q:\n%q", label, out)
	}
	rest := out[last:]
	clearAt, nextAt := strings.Index(rest, "\r\x1b[K"), strings.Index(rest, next)
	if clearAt < 0 || nextAt < 0 || clearAt > nextAt {
		t.Fatalf("the spinner's line was not erased before %q:\n%q", next, rest)
	}
	if screen := c.Screen(); strings.Contains(screen, label) {
		t.Fatalf("the screen still shows %q:\n%s", label, screen)
	}
}

func TestSlowListShowsASpinnerOnTheTerminal(t *testing.T) {
	ts, held := newHeldSandbox(t, isKeyList)
	c, streams := ptyStreams(t)
	f := ts.factory(streams, nil)
	var code int
	wait := c.Go(func() { code = run(context.Background(), f, []string{"list", "--columns", "title,status"}) })
	<-held.arrived
	c.ExpectString("Fetching API keys…")
	held.Release()
	wait()
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, c.Output())
	}
	c.ExpectString("CI pipeline")
	checkSpinnerCleared(t, c, "Fetching API keys…", "TITLE")
}

func TestSlowMultiKeyDeleteSaysWhichKeyIsBeingDeleted(t *testing.T) {
	ts, held := newHeldSandbox(t, func(r *http.Request, nth int) bool {
		return r.Method == http.MethodDelete && nth == 2
	})
	_, ids, _ := ts.run("list", "-o", "csv", "--columns", "id", "--no-headers", "--sort", "title")
	three := strings.Fields(ids)[:3]
	c, streams := ptyStreams(t)
	f := ts.factory(streams, nil)
	var code int
	args := append([]string{"delete", "--no-transfer", "--yes"}, three...)
	wait := c.Go(func() { code = run(context.Background(), f, args) })
	<-held.arrived
	c.ExpectString("Deleting 2 of 3 API keys…")
	held.Release()
	wait()
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, c.Output())
	}
	c.ExpectString("Deleted 3 API keys")
	checkSpinnerCleared(t, c, "Deleting 2 of 3 API keys…", "│ ID")
}

func TestSlowListInAPipeShowsNoSpinner(t *testing.T) {
	ts, held := newHeldSandbox(t, isKeyList)
	streams, _, out, errOut := iostreams.Test()
	streams.SetProgressOptions(progress.Options{Delay: -1})
	f := ts.factory(streams, nil)
	done := make(chan int)
	go func() { done <- run(context.Background(), f, []string{"list", "--columns", "title"}) }()
	<-held.arrived
	held.Release()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if errOut.Len() != 0 {
		t.Fatalf("stderr in a pipe: %q, want nothing", errOut.String())
	}
	if !strings.Contains(out.String(), "CI pipeline") {
		t.Fatalf("stdout lacks the keys:\n%s", out)
	}
}

// lockedBuffer is a stderr the spinner's goroutine writes while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// drawnOnce is a spinner clock that draws one frame at once, then closes drawn and waits.
func drawnOnce(drawn chan struct{}) func(time.Duration) <-chan time.Time {
	calls := 0
	return func(time.Duration) <-chan time.Time {
		calls++
		if calls == 1 {
			now := make(chan time.Time, 1)
			now <- time.Time{}
			return now
		}
		if calls == 2 {
			close(drawn)
		}
		return nil // never: the spinner waits for Stop
	}
}

// A prompt, and a warning met during a request, erase the spinner before they are written.
func TestPromptsAndWarningsStopTheSpinner(t *testing.T) {
	for _, tc := range []struct {
		name  string
		write func(*iostreams.IOStreams)
		want  string
	}{
		{"prompt", func(s *iostreams.IOStreams) {
			p := progressStopper{Prompter: &recordingPrompter{errOut: s.ErrOut}, io: s}
			if _, err := p.Confirm("Delete?", false); err != nil {
				t.Fatal(err)
			}
		}, "? Delete?"},
		{"warning", func(s *iostreams.IOStreams) {
			f := newFactory(s, "test", func(string) string { return "" })
			f.sessions().Warn(l10n.M("the session file was narrowed to 0600"))
		}, "Warning: the session file was narrowed to 0600\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var errOut lockedBuffer
			streams := &iostreams.IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: &errOut}
			streams.SetTTY(false, false, true)
			drawn := make(chan struct{})
			streams.SetProgressOptions(progress.Options{Delay: -1, After: drawnOnce(drawn)})
			streams.StartProgress("Fetching API keys…")
			<-drawn
			tc.write(streams)
			want := "\r⠋ Fetching API keys…\x1b[K\r\x1b[K" + tc.want
			if got := errOut.String(); got != want {
				t.Fatalf("stderr %q, want %q", got, want)
			}
			streams.StopProgress()
		})
	}
}

// recordingPrompter draws its question on stderr, as survey does, and answers no.
type recordingPrompter struct {
	prompt.Prompter
	errOut io.Writer
}

func (p *recordingPrompter) Confirm(msg string, _ bool) (bool, error) {
	fmt.Fprint(p.errOut, "? "+msg)
	return false, nil
}

// create, the one request a person waits on after answering its prompts, shows the spinner
// too, erased before the secret is shown.
func TestSlowCreateShowsASpinnerOnTheTerminal(t *testing.T) {
	ts, held := newHeldSandbox(t, func(r *http.Request, _ int) bool {
		return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/api-keys")
	})
	c, streams := ptyStreams(t)
	f := ts.factory(streams, nil)
	var code int
	wait := c.Go(func() {
		code = run(context.Background(), f, []string{"create", "--title", "Slow", "--role", "viewer", "--expires", "7d", "--no-copy"})
	})
	<-held.arrived
	c.ExpectString("Creating the API key…")
	held.Release()
	wait()
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, c.Output())
	}
	c.ExpectString("Secret")
	checkSpinnerCleared(t, c, "Creating the API key…", "Secret")
}

// doctor's requests, one after the other, show the spinner until the checklist.
func TestSlowDoctorShowsASpinnerOnTheTerminal(t *testing.T) {
	ts, held := newHeldSandbox(t, func(r *http.Request, _ int) bool {
		return r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/members")
	})
	c, streams := ptyStreams(t)
	f := ts.factory(streams, nil)
	var code int
	wait := c.Go(func() { code = run(context.Background(), f, []string{"doctor"}) })
	<-held.arrived
	c.ExpectString("Checking the server…")
	held.Release()
	wait()
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, c.Output())
	}
	c.ExpectString("Configuration")
	checkSpinnerCleared(t, c, "Checking the server…", "Configuration")
}
