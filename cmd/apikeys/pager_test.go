//go:build unix

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/k2geospatial/apikeys/internal/prompt/ptytest"
)

// pagerEnv is a sandbox's environment for a run on a terminal, without the pager settings of
// the machine running the tests, plus extra.
func pagerEnv(t *testing.T, extra ...string) []string {
	t.Helper()
	var env []string
	for _, kv := range sandboxEnv(t) {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "PAGER", "APIKEYS_PAGER", "LESS", "LV", "TERM", "NO_COLOR", "APIKEYS_PROMPT_DISABLED":
			continue
		}
		env = append(env, kv)
	}
	return append(append(env, "NO_COLOR=1", "TERM=xterm", "LESSHISTFILE=-"), extra...)
}

// fakePager is a pager that records its stdin and environment in dir (a directory with a
// space in its name, so the pager command needs shell quoting), then says it ran.
type fakePager struct{ dir, command string }

func newFakePager(t *testing.T) fakePager {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "pager dir")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "pager.sh")
	body := "#!/bin/sh\ncat > \"$1/stdin\"\nenv > \"$1/env\"\necho 'fake pager ran'\n"
	if err := os.WriteFile(script, []byte(body), 0o700); err != nil {
		t.Fatal(err)
	}
	return fakePager{dir: dir, command: "'" + script + "' '" + dir + "'"}
}

// recorded is what the fake pager recorded ("" and false when it never ran).
func (p fakePager) recorded(t *testing.T, name string) (string, bool) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(p.dir, name))
	if os.IsNotExist(err) {
		return "", false
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(b), true
}

// endMark is written on the terminal once apikeys has ended: all it wrote is before it.
const endMark = "<apikeys ended>"

// onTerminal runs apikeys on a fresh pseudo-terminal (its controlling terminal) and returns
// everything it wrote there, with \n for line ends; the run must exit 0.
func onTerminal(t *testing.T, env []string, args ...string) string {
	t.Helper()
	c := ptytest.New(t, ptytest.WithSize(150, 40))
	script := `apikeys "$@"; code=$?; printf '` + endMark + `'; exit $code`
	_, wait := startInTerminal(t, c, env, "sh", append([]string{"-c", script, "sh"}, args...)...)
	c.ExpectString(endMark)
	if err := wait(); err != nil {
		t.Fatalf("apikeys %v: %v\n%s", args, err, c.Output())
	}
	out, _, _ := strings.Cut(c.Output(), endMark)
	return strings.ReplaceAll(out, "\r\n", "\n")
}

// The pager gets exactly what the terminal would have shown, through a command split as a
// shell would, in an environment without the credentials (APIKEYS_*), with LESS and LV set.
func TestPagerGetsTheOutputWithoutTheCredentials(t *testing.T) {
	direct := onTerminal(t, pagerEnv(t, "APIKEYS_PAGER=cat"), "--sandbox", "list")
	if !strings.Contains(direct, "CI pipeline") {
		t.Fatalf("list printed no keys:\n%s", direct)
	}
	pager := newFakePager(t)
	shown := onTerminal(t, pagerEnv(t, "APIKEYS_PAGER="+pager.command, "APIKEYS_TOKEN=secret-token-for-the-pager-test"), "--sandbox", "list")
	// The count of keys is list's footer on stderr, written once the pager has ended: below
	// what the pager leaves on the screen, never inside it nor under its prompt.
	const count = "11 keys\n"
	if shown != "fake pager ran\n"+count {
		t.Errorf("terminal showed %q, want the pager's line, then the count", shown)
	}
	stdin, ran := pager.recorded(t, "stdin")
	if !ran {
		t.Fatal("the pager did not run")
	}
	if table, ok := strings.CutSuffix(direct, count); !ok || stdin != table {
		t.Errorf("the pager got:\n%s\nthe terminal would have shown, before the count:\n%s", stdin, direct)
	}
	env, _ := pager.recorded(t, "env")
	for _, line := range strings.Split(env, "\n") {
		if strings.HasPrefix(line, "APIKEYS_") || strings.Contains(line, "secret-token") {
			t.Errorf("the pager's environment has %q", line)
		}
	}
	for _, want := range []string{"LESS=FRX", "LV=-c"} {
		if !strings.Contains("\n"+env, "\n"+want+"\n") {
			t.Errorf("the pager's environment lacks %s", want)
		}
	}
}

// PAGER is used when APIKEYS_PAGER is unset; a LESS of the user's own is kept.
func TestPagerFallsBackToPAGER(t *testing.T) {
	pager := newFakePager(t)
	onTerminal(t, pagerEnv(t, "PAGER="+pager.command, "LESS=-S"), "--sandbox", "members")
	stdin, ran := pager.recorded(t, "stdin")
	if !ran || !strings.Contains(stdin, "Erin Editor") {
		t.Fatalf("PAGER did not get the members (ran %v):\n%s", ran, stdin)
	}
	env, _ := pager.recorded(t, "env")
	if !strings.Contains("\n"+env, "\nLESS=-S\n") || strings.Contains(env, "LESS=FRX") {
		t.Errorf("the user's LESS was not kept:\n%s", env)
	}
}

// APIKEYS_PAGER set but empty, or cat, turns paging off whatever PAGER says; so does a pipe.
func TestPagingTurnedOff(t *testing.T) {
	for _, tc := range []struct {
		name, setting string
	}{
		{"empty", "APIKEYS_PAGER="},
		{"cat", "APIKEYS_PAGER=cat"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pager := newFakePager(t)
			shown := onTerminal(t, pagerEnv(t, "PAGER="+pager.command, tc.setting), "--sandbox", "show", "CI pipeline")
			if _, ran := pager.recorded(t, "stdin"); ran {
				t.Fatal("the pager ran")
			}
			if !strings.Contains(shown, "CI pipeline") {
				t.Fatalf("show printed:\n%s", shown)
			}
		})
	}
	t.Run("pipe", func(t *testing.T) {
		pager := newFakePager(t)
		out, errOut, code := runEnv(t, pagerEnv(t, "APIKEYS_PAGER="+pager.command), "--sandbox", "list")
		if code != 0 || errOut != "" {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if _, ran := pager.recorded(t, "stdin"); ran {
			t.Fatal("the pager ran for a pipe")
		}
		if !strings.Contains(out, "CI pipeline") {
			t.Fatalf("list printed:\n%s", out)
		}
	})
}

// A pager that does not exist is said once, and the output is printed directly (exit 0).
func TestMissingPagerIsSaidOnce(t *testing.T) {
	shown := onTerminal(t, pagerEnv(t, "APIKEYS_PAGER=no-such-pager-for-apikeys -R"), "--sandbox", "list")
	if n := strings.Count(shown, "Warning: cannot run the pager"); n != 1 {
		t.Errorf("the missing pager was said %d times:\n%s", n, shown)
	}
	if !strings.Contains(shown, `"no-such-pager-for-apikeys -R"`) || !strings.Contains(shown, "CI pipeline") {
		t.Errorf("terminal showed:\n%s", shown)
	}
}

// The default pager is less -FRX: short output is printed and less quits by itself; long
// output waits at the first screen, and quitting it there (q) is no error and no "broken
// pipe", though apikeys had megabytes more to write (JSON is written as it is encoded, so
// its writes meet the closed pipe).
func TestLessPagesLongOutputAndQuitsCleanly(t *testing.T) {
	if _, err := exec.LookPath("less"); err != nil {
		if os.Getenv("APIKEYS_REQUIRE_REAL_TOOLS") == "1" {
			t.Fatal("less is not installed")
		}
		t.Skip("less is not installed")
	}
	env := pagerEnv(t)
	short := onTerminal(t, env, "--sandbox", "members")
	if !strings.Contains(short, "Erin Editor") {
		t.Fatalf("members through less -F showed:\n%s", short)
	}
	if _, errOut, code := runEnv(t, env, "--sandbox", "sandbox", "reset", "--keys", "10000"); code != 0 {
		t.Fatalf("sandbox reset: exit %d: %s", code, errOut)
	}
	for _, tc := range []struct {
		format, first, perKey string
	}{
		{"table", "TITLE", " #"},
		{"json", `"title"`, `"title"`},
	} {
		t.Run(tc.format, func(t *testing.T) {
			c := ptytest.New(t, ptytest.WithSize(120, 24))
			_, wait := startInTerminal(t, c, env, "apikeys", "--sandbox", "list", "--columns", "title,status", "-o", tc.format)
			c.ExpectString(tc.first)
			c.Send("q") // read by less once it has drawn its first screen
			if err := wait(); err != nil {
				t.Fatalf("after q: %v, want exit 0\n%s", err, c.Output())
			}
			out := c.Output()
			for _, bad := range []string{"broken pipe", "Error", "Warning"} {
				if strings.Contains(out, bad) {
					t.Errorf("the terminal shows %q:\n%s", bad, out)
				}
			}
			if keys := strings.Count(out, tc.perKey); keys == 0 || keys > 100 {
				t.Errorf("%d of the 10000 keys reached the terminal, want a screenful", keys)
			}
		})
	}
}
