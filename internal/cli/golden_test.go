package cli

import (
	"context"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
	"github.com/rogpeppe/go-internal/diff"

	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/prompt"
	"github.com/k2geospatial/apikeys/internal/prompt/ptytest"
	"github.com/k2geospatial/apikeys/internal/sandbox"
)

// The golden tests pin, byte for byte, what a person reads: tables, panels, plans, prompts.
// A change of wording or layout is then a visible diff in testdata/golden, accepted with
//
//	go test ./internal/cli -run Golden -update
var update = flag.Bool("update", false, "rewrite the golden files of the Golden tests with the current output")

// goldenNow is the one clock of the golden tests: the sandbox seeds its keys and stamps its
// tokens by it, and the commands compute relative dates and statuses from it.
var goldenNow = time.Date(2026, time.March, 1, 12, 0, 0, 0, time.UTC)

// goldenEnv is a seeded sandbox whose clock is goldenNow, served on loopback, with a
// configuration directory of its own in which the administrator is logged in.
type goldenEnv struct {
	t         *testing.T
	root      string // temporary directory of everything: shown as $TMP
	url       string // the sandbox's URL: shown as $API_URL
	cfg       string
	clipboard *fakeClipboard
	// replace are further placeholders (a new key's ID and secret), applied before the
	// golden comparison.
	replace []string
	// env is the environment the commands see through Factory.Getenv (the locale, say);
	// nil is an empty one.
	env map[string]string
}

// inFrench is e whose commands run in a French locale (LANG=fr_CA.UTF-8), against the same
// sandbox and session.
func (e *goldenEnv) inFrench() *goldenEnv {
	fr := *e
	fr.env = map[string]string{"LANG": "fr_CA.UTF-8"}
	return &fr
}

func newGoldenEnv(t *testing.T) *goldenEnv {
	t.Helper()
	hermeticEnv(t)
	// The file store: the same output on machines with and without a keyring.
	t.Setenv("APIKEYS_SESSION_STORE", "file")
	root := t.TempDir()
	// The directories in the output, not the platform's spelling of them (macOS's /private).
	if r, err := filepath.EvalSymlinks(root); err == nil {
		root = r
	}
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(root, "config"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(root, "state"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(root, "cache"))
	sb, err := sandbox.Open(sandbox.Options{Path: filepath.Join(root, "sandbox.db"), Now: func() time.Time { return goldenNow }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(func() { srv.Close(); sb.Close() })
	e := &goldenEnv{t: t, root: root, url: srv.URL, cfg: filepath.Join(root, "config", "apikeys", "config.yaml"), clipboard: &fakeClipboard{}}
	e.login()
	return e
}

// hermeticEnv unsets, for the test, every variable of the environment that could change
// what a command prints: the APIKEYS_ settings (a developer's own APIKEYS_TOKEN, say),
// NO_COLOR, the terminal's width, and the locale (a developer's LANG=fr_CA.UTF-8).
// Tablewriter decided at start-up, from the locale, whether ambiguous-width characters (the
// seeds' "—") are wide: a CJK locale would widen the table, so the golden tests measure them
// narrow, as every other locale does.
func hermeticEnv(t *testing.T) {
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "APIKEYS_") || name == "NO_COLOR" || name == "COLUMNS" || name == "LINES" ||
			name == "LANG" || name == "LC_ALL" || name == "LC_MESSAGES" {
			t.Setenv(name, "") // restores it when the test ends
			os.Unsetenv(name)
		}
	}
	if twwidth.IsEastAsian() {
		twwidth.SetEastAsian(false)
		t.Cleanup(func() { twwidth.SetEastAsian(true) })
	}
}

// terminal says which of a run's streams are terminals.
type terminal int

const (
	piped     terminal = iota // no terminal: what a script or a pipe gets
	tty                       // stdin, stdout and stderr are a terminal, without colour
	colourTTY                 // the same, with colour
)

func (k terminal) String() string {
	return [...]string{"no terminal", "a terminal, no colour", "a terminal, colour"}[k]
}

// goldenRun is one command line's outcome, as the golden file records it.
type goldenRun struct {
	args           []string
	env            string // the locale variables of the run ("LANG=fr_CA.UTF-8"), "" for none
	term           terminal
	code           int
	stdout, stderr string
	prompts        []prompt.Call // the questions asked, when a scripted prompter answered
}

// run executes one command line in process, against the sandbox's stored session, with the
// fixed clock and the fake clipboard. p answers prompts (nil: none expected).
func (e *goldenEnv) run(term terminal, p prompt.Prompter, stdin string, args ...string) goldenRun {
	e.t.Helper()
	streams, in, out, errOut := iostreams.Test()
	in.WriteString(stdin)
	if term != piped {
		streams.SetTTY(true, true, true)
	}
	if term == tty {
		streams.DisableColor()
	}
	code := run(context.Background(), e.factory(streams, p), append([]string{"--config", e.cfg}, args...))
	r := goldenRun{args: args, env: e.envLine(), term: term, code: code, stdout: out.String(), stderr: errOut.String()}
	if s, ok := p.(*prompt.Scripted); ok {
		r.prompts = s.Calls()
		if err := s.Done(); err != nil {
			e.t.Error(err)
		}
	}
	return r
}

// factory is a real Factory with the fixed clock and the fake clipboard; p answers prompts
// (nil: none expected, and one asked is answered by a Scripted with no answers, which fails).
func (e *goldenEnv) factory(streams *iostreams.IOStreams, p prompt.Prompter) *Factory {
	f := newFactory(streams, "test", func(name string) string { return e.env[name] })
	f.Now = func() time.Time { return goldenNow }
	f.Clipboard = e.clipboard
	f.retrySleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	if p == nil {
		p = prompt.NewScripted()
	}
	f.Prompter = func() prompt.Prompter { return p }
	return f
}

// goldenLanguage is a language the golden tests read a command in: its environment and the
// suffix of its golden files ("list.txt", "list.fr.txt").
type goldenLanguage struct {
	name string
	env  func(*goldenEnv) *goldenEnv
	// golden is the golden file of name in this language.
	golden func(name string) string
}

// goldenLanguages are English, the golden files as named, and French, "NAME.fr.txt".
var goldenLanguages = []goldenLanguage{
	{"en", func(e *goldenEnv) *goldenEnv { return e }, func(name string) string { return name }},
	{"fr", (*goldenEnv).inFrench, func(name string) string { return strings.TrimSuffix(name, ".txt") + ".fr.txt" }},
}

// envLine is e.env as a command line's prefix: "LANG=fr_CA.UTF-8 ", sorted; "" for none.
func (e *goldenEnv) envLine() string {
	names := make([]string, 0, len(e.env))
	for name := range e.env {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, name := range names {
		b.WriteString(name + "=" + e.env[name] + " ")
	}
	return b.String()
}

// login logs the sandbox's administrator in, as a script would.
func (e *goldenEnv) login() {
	e.t.Helper()
	r := e.run(piped, nil, sandbox.Password+"\n", "auth", "login", "--api-url", e.url, "--username", sandbox.AdminEmail, "--password-stdin")
	if r.code != exitOK || r.stdout != "" || r.stderr != "" {
		e.t.Fatalf("login: exit %d, want 0 and silence\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
}

// text renders runs as a golden file does: for each, the command line, its terminals, its
// exit code, the questions it asked and its two streams, with the placeholders put in.
func (e *goldenEnv) text(runs ...goldenRun) string {
	var b strings.Builder
	for i, r := range runs {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "$ %sapikeys %s\n# %s; exit %d\n", r.env, shellLine(r.args), r.term, r.code)
		for _, c := range r.prompts {
			fmt.Fprintf(&b, "-- prompt: %s %q (default %v) --\n", c.Kind, c.Message, c.Default)
			for j, o := range c.Options {
				fmt.Fprintf(&b, "%d. %s\n", j, o)
			}
			for _, msg := range c.Rejected {
				fmt.Fprintf(&b, "rejected: %s\n", msg)
			}
		}
		section(&b, "stdout", r.stdout)
		section(&b, "stderr", r.stderr)
	}
	return e.placeholders(b.String())
}

// section writes one stream; one that does not end its last line says so, since a prompt
// would then follow on that line.
func section(b *strings.Builder, name, s string) {
	fmt.Fprintf(b, "-- %s --\n", name)
	b.WriteString(s)
	if s != "" && !strings.HasSuffix(s, "\n") {
		b.WriteString("\n[no final newline]\n")
	}
}

// shellLine quotes the words that need it, for reading.
func shellLine(args []string) string {
	words := make([]string, len(args))
	for i, a := range args {
		words[i] = shellWord(a)
	}
	return strings.Join(words, " ")
}

// placeholders replaces what differs from one run or machine to the next.
func (e *goldenEnv) placeholders(s string) string {
	pairs := append([]string{e.root, "$TMP", e.url, "$API_URL"}, e.replace...)
	return strings.NewReplacer(pairs...).Replace(s)
}

// checkGolden compares got with testdata/golden/name, or rewrites the file under -update.
// A mismatch shows a line diff, terminal escapes written out so the log stays readable.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v\nrun `go test ./internal/cli -run Golden -update` to write it", err)
	}
	if string(want) == got {
		return
	}
	d := diff.Diff(path, want, "got", []byte(got))
	t.Errorf("output differs from %s (- golden, + got); if the change is meant, run `go test ./internal/cli -run Golden -update` and review the diff:\n%s",
		path, visibleEscapes(string(d)))
}

func visibleEscapes(s string) string {
	return strings.NewReplacer("\x1b", `\x1b`, "\r", `\r`).Replace(s)
}

// newKeyPlaceholders records a created key's ID and secret, which the sandbox draws at
// random, as $KEY_ID and $SECRET.
func (e *goldenEnv) newKeyPlaceholders(title string) {
	e.t.Helper()
	r := e.run(piped, nil, "", "list", "-o", "tsv", "--columns", "id,title", "--no-headers")
	for _, line := range strings.Split(r.stdout, "\n") {
		if id, t, ok := strings.Cut(line, "\t"); ok && t == title {
			e.replace = append(e.replace, id, "$KEY_ID")
		}
	}
	copies := e.clipboard.copies
	if len(copies) != 1 {
		e.t.Fatalf("the clipboard got %d copies, want the new secret once", len(copies))
	}
	e.replace = append(e.replace, copies[0], "$SECRET")
}

func TestGoldenList(t *testing.T) {
	e := newGoldenEnv(t)
	for _, tc := range []struct {
		golden string
		term   terminal
		args   []string
	}{
		{"list-terminal.txt", tty, []string{"list"}},
		{"list-terminal-colour.txt", colourTTY, []string{"list", "--columns", "title,role,status,expires"}},
		{"list-piped.txt", piped, []string{"list"}},
		{"list-all-columns-terminal.txt", tty, []string{"list", "--columns", "all", "--sort", "title"}},
		{"list-all-columns-piped.txt", piped, []string{"list", "--columns", "all", "--sort", "title"}},
	} {
		checkGolden(t, tc.golden, e.text(e.run(tc.term, nil, "", tc.args...)))
	}
}

func TestGoldenShow(t *testing.T) {
	e := newGoldenEnv(t)
	for _, tc := range []struct {
		golden string
		term   terminal
	}{
		{"show-terminal.txt", tty},
		{"show-piped.txt", piped},
	} {
		checkGolden(t, tc.golden, e.text(e.run(tc.term, nil, "", "show", "GeoServer sync"), e.run(tc.term, nil, "", "show", "Tableau dashboard")))
	}
}

func TestGoldenCreate(t *testing.T) {
	for _, tc := range []struct {
		golden string
		term   terminal
	}{
		{"create-terminal.txt", tty},
		{"create-piped.txt", piped},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			e := newGoldenEnv(t)
			args := []string{"create", "Golden key", "--role", "editor", "--expires", "90d"}
			if tc.term == piped {
				args = append(args, "--copy") // the secret is on stdout; the copy gives the placeholder
			}
			r := e.run(tc.term, nil, "", args...)
			e.newKeyPlaceholders("Golden key")
			checkGolden(t, tc.golden, e.text(r))
		})
	}
}

// The terminal prompts of create, as the prompter is asked them.
func TestGoldenCreatePrompts(t *testing.T) {
	e := newGoldenEnv(t)
	p := prompt.NewScripted("Prompted key", 0, "past", "2026-06-01")
	r := e.run(tty, p, "", "create")
	e.newKeyPlaceholders("Prompted key")
	checkGolden(t, "create-prompts.txt", e.text(r))
}

func TestGoldenDeletePlan(t *testing.T) {
	e := newGoldenEnv(t)
	for _, tc := range []struct {
		golden string
		term   terminal
		p      func() prompt.Prompter
		args   []string
	}{
		// The dry runs' plan: one heir for every key, and no heir chosen yet.
		{golden: "delete-dry-run-transfer.txt", term: piped, args: []string{"delete", "GeoServer sync", "Field app — Android", "--transfer-to", "eddie@acme.example", "--dry-run"}},
		{golden: "delete-dry-run-undecided.txt", term: piped, args: []string{"delete", "--filter", "role=editor", "--dry-run"}},
		{golden: "delete-dry-run-no-transfer.txt", term: tty, args: []string{"delete", "QGIS plugin", "--no-transfer", "--dry-run"}},
		// On a terminal: the plan, the picker's choices, the confirmation. Each answers no
		// at the end, so the keys are there for the next case.
		{golden: "delete-picker-declined.txt", term: tty, p: func() prompt.Prompter { return prompt.NewScripted(1, false) },
			args: []string{"delete", "GeoServer sync"}},
		{golden: "delete-picker-nobody.txt", term: tty, p: func() prompt.Prompter { return prompt.NewScripted(4, false, 0, false) },
			args: []string{"delete", "CI pipeline", "Drone imagery upload"}},
		{golden: "delete-confirm-owns-nothing.txt", term: tty, p: func() prompt.Prompter { return prompt.NewScripted(false) },
			args: []string{"delete", "Field app — Android"}},
	} {
		var p prompt.Prompter
		if tc.p != nil {
			p = tc.p()
		}
		checkGolden(t, tc.golden, e.text(e.run(tc.term, p, "", tc.args...)))
	}
}

// A delete carried out: the outcome table on a terminal and in a pipe, in each language.
func TestGoldenDeleteOutcome(t *testing.T) {
	for _, lang := range goldenLanguages {
		for _, tc := range []struct {
			golden string
			term   terminal
		}{
			{"delete-outcome-terminal.txt", tty},
			{"delete-outcome-piped.txt", piped},
		} {
			t.Run(lang.golden(tc.golden), func(t *testing.T) {
				e := lang.env(newGoldenEnv(t))
				var p prompt.Prompter
				if tc.term == tty {
					p = prompt.NewScripted(0, true)
				}
				args := []string{"delete", "GeoServer sync", "Field app — Android"}
				if tc.term == piped {
					args = append(args, "--transfer-to", "admin@acme.example", "--yes")
				}
				checkGolden(t, lang.golden(tc.golden), e.text(e.run(tc.term, p, "", args...)))
			})
		}
	}
}

func TestGoldenAuthStatus(t *testing.T) {
	e := newGoldenEnv(t)
	for _, tc := range []struct {
		golden string
		term   terminal
	}{
		{"auth-status-terminal.txt", tty},
		{"auth-status-piped.txt", piped},
	} {
		checkGolden(t, tc.golden, e.text(e.run(tc.term, nil, "", "auth", "status")))
	}
}

// The golden text itself: placeholders, sections, a missing final newline, escapes.
func TestGoldenRendering(t *testing.T) {
	e := &goldenEnv{root: "/tmp/x", url: "http://127.0.0.1:1", replace: []string{"k-1", "$KEY_ID"}}
	got := e.text(goldenRun{args: []string{"show", "a b"}, term: tty, code: 5, stdout: "k-1 at http://127.0.0.1:1 in /tmp/x/y\n", stderr: "no newline"})
	want := "$ apikeys show 'a b'\n# a terminal, no colour; exit 5\n-- stdout --\n$KEY_ID at $API_URL in $TMP/y\n-- stderr --\nno newline\n[no final newline]\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if got := visibleEscapes("\x1b[31mred\x1b[0m\r"); got != `\x1b[31mred\x1b[0m\r` {
		t.Errorf("visibleEscapes: %q", got)
	}
}

// The picker as a person sees it: the plan, then survey's list of Editors, drawn in a real
// pseudo-terminal of 80×24 and read from its emulated screen once the last choice is drawn.
func TestGoldenDeletePickerScreen(t *testing.T) {
	for _, lang := range goldenLanguages {
		t.Run(lang.name, func(t *testing.T) {
			e := lang.env(newGoldenEnv(t))
			c := ptytest.New(t, ptytest.WithSize(80, 24))
			tty := c.Tty()
			streams := &iostreams.IOStreams{In: tty, Out: tty, ErrOut: tty}
			streams.SetTTY(true, true, true)
			streams.DisableColor()
			f := e.factory(streams, nil)
			f.Prompter = func() prompt.Prompter { return prompt.NewSurvey(tty, tty, tty, prompt.WithPrinter(f.Printer)) }
			var code int
			wait := c.Go(func() { code = run(context.Background(), f, []string{"--config", e.cfg, "delete", "GeoServer sync"}) })
			c.ExpectString(map[string]string{"en": "nobody — delete the resources", "fr": "personne — supprimer les ressources"}[lang.name])
			screen := c.Screen()
			c.Send(ptytest.KeyCtrlC)
			wait()
			if code != exitCancelled {
				t.Errorf("Ctrl-C at the picker: exit %d, want %d", code, exitCancelled)
			}
			checkGolden(t, lang.golden("delete-picker-screen.txt"), e.placeholders(screen+"\n"))
		})
	}
}

// members and the sandbox's own views: the other tables and details a person reads.
func TestGoldenMembersAndSandbox(t *testing.T) {
	e := newGoldenEnv(t)
	for _, tc := range []struct {
		golden string
		term   terminal
		args   []string
	}{
		{"members-terminal.txt", tty, []string{"members"}},
		{"members-piped.txt", piped, []string{"members"}},
		{"sandbox-info-piped.txt", piped, []string{"sandbox", "info"}},
		{"sandbox-resources-terminal.txt", tty, []string{"sandbox", "resources"}},
	} {
		checkGolden(t, tc.golden, e.text(e.run(tc.term, nil, "", tc.args...)))
	}
}
