package cli

import (
	"bufio"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/sandbox"
	"github.com/k2geospatial/apikeys/internal/testenv"
)

// The seeded organization as completion must offer it.
var (
	seedEditorEmails = []string{"admin@acme.example", "eddie@acme.example", "erin@acme.example", "ops@acme.example"}
	seedViewerEmail  = "vera@acme.example"
)

// TestCandidatesReachCobra: the adapters write a candidate as "value" or "value\tdescription"
// and give the directive of what was completed: a list item or an open filter expression
// keeps the cursor on the word, a whole value does not; none falls back to file names.
func TestCandidatesReachCobra(t *testing.T) {
	const more = cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	const done = cobra.ShellCompDirectiveNoFileComp
	for _, tt := range []struct {
		name      string
		fn        cobra.CompletionFunc
		typed     string
		want      []string
		directive cobra.ShellCompDirective
	}{
		{"columns", completeColumns, "a", []string{"all\tevery column"}, more},
		{"hide", completeHide, "title,st", []string{"title,status"}, more},
		{"sort", completeSort, "-ti", []string{"-title\tdescending"}, more},
		{"filter operator", completeFilter, "created!", []string{"created!=\tdiffers from"}, more},
		{"filter value", completeFilter, "role=v", []string{"role=viewer"}, done},
		{"filter, unknown field", completeFilter, "nosuch=", nil, done},
		{"format", completeFormat, "y", []string{"yaml"}, done},
		{"key role", completeKeyRole, "", []string{"editor", "viewer"}, done},
		{"member role", completeMemberRole, "A", []string{"admin"}, done},
	} {
		got, directive := tt.fn(nil, nil, tt.typed)
		if !slices.Equal(got, tt.want) || directive != tt.directive {
			t.Errorf("%s %q: got %q (directive %d), want %q (directive %d)", tt.name, tt.typed, got, directive, tt.want, tt.directive)
		}
	}
}

// complete runs `apikeys __complete args...` in process and returns the candidates (with
// descriptions), the directive and the whole stdout.
func complete(t *testing.T, f *Factory, args ...string) ([]string, cobra.ShellCompDirective, string) {
	t.Helper()
	_, _, out, _ := iostreams.Test()
	f.IO.Out = out
	if code := run(context.Background(), f, append([]string{cobra.ShellCompRequestCmd}, args...)); code != 0 {
		t.Fatalf("__complete %q: exit %d", args, code)
	}
	return parseCompletion(t, out.String())
}

func parseCompletion(t *testing.T, stdout string) ([]string, cobra.ShellCompDirective, string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	last := lines[len(lines)-1]
	d, err := strconv.Atoi(strings.TrimPrefix(last, ":"))
	if !strings.HasPrefix(last, ":") || err != nil {
		t.Fatalf("stdout does not end with a directive line:\n%s", stdout)
	}
	return lines[:len(lines)-1], cobra.ShellCompDirective(d), stdout
}

func values(cands []string) []string {
	out := make([]string, len(cands))
	for i, c := range cands {
		out[i], _, _ = strings.Cut(c, "\t")
	}
	return out
}

func TestCompleteAgainstTheSandbox(t *testing.T) {
	ts := newTestSandbox(t)
	newF := func() *Factory {
		streams, _, _, _ := iostreams.Test()
		return ts.factory(streams, nil)
	}

	t.Run("show offers IDs and unambiguous titles", func(t *testing.T) {
		cands, directive, _ := complete(t, newF(), "show", "")
		if directive != cobra.ShellCompDirectiveNoFileComp {
			t.Errorf("directive %d, want NoFileComp", directive)
		}
		v := values(cands)
		for _, want := range []string{"GeoServer sync", "Public web map (Montréal)", "e826ce94-f943-40de-8b1c-129df0d17111", "bbbe313b-41dd-463c-95f4-e437d004de68", "d8158cb8-613f-40cc-b0c4-e56a007ef53d"} {
			if !slices.Contains(v, want) {
				t.Errorf("missing %q in %q", want, v)
			}
		}
		if slices.Contains(v, "Power BI connector") {
			t.Errorf("the ambiguous title is offered: %q", v)
		}
		if !slices.ContainsFunc(cands, func(c string) bool {
			return strings.HasPrefix(c, "e826ce94-f943-40de-8b1c-129df0d17111\tGeoServer sync · editor · expires ")
		}) {
			t.Errorf("the ID's description is not title · role · expiry: %q", cands)
		}
	})
	t.Run("show takes one key", func(t *testing.T) {
		cands, _, _ := complete(t, newF(), "show", "GeoServer sync", "")
		if len(cands) != 0 {
			t.Errorf("got %q", cands)
		}
	})
	t.Run("delete leaves out the keys already named", func(t *testing.T) {
		cands, _, _ := complete(t, newF(), "delete", "GeoServer sync", "e826")
		if len(cands) != 0 {
			t.Errorf("got %q", cands)
		}
		cands, _, _ = complete(t, newF(), "rm", "QGIS plugin", "Q")
		if len(cands) != 0 {
			t.Errorf("alias rm: got %q", cands)
		}
	})
	t.Run("transfer-to offers the Editors only", func(t *testing.T) {
		cands, _, _ := complete(t, newF(), "delete", "Legacy ETL", "--transfer-to", "")
		want := []string{"admin@acme.example\tAda Admin", "eddie@acme.example\tEddie Editor", "erin@acme.example\tErin Editor", "ops@acme.example\tOscar Ops"}
		if !slices.Equal(cands, want) {
			t.Errorf("got %q, want %q", cands, want)
		}
	})
	t.Run("static values", func(t *testing.T) {
		for _, tt := range []struct {
			args []string
			want []string
		}{
			{[]string{"create", "--role", ""}, []string{"editor", "viewer"}},
			{[]string{"members", "--role", ""}, []string{"admin", "editor", "viewer"}},
			{[]string{"list", "-o", ""}, []string{"table", "json", "yaml", "csv", "tsv"}},
			{[]string{"list", "--output=y"}, []string{"yaml"}}, // the shell scripts put "--output=" back
			// cobra reads a word starting with '-' as a flag, so "--sort -e" completes nothing;
			// "--sort=-e" and "--sort title,-e" work.
			{[]string{"list", "--sort=-expires,ti"}, []string{"-expires,title"}},
			{[]string{"list", "--sort", "title,-ex"}, []string{"title,-expires"}},
			{[]string{"list", "--hide", "id,"}, []string{"id,title", "id,role", "id,creator", "id,email", "id,created", "id,expires", "id,status"}},
			{[]string{"delete", "--filter", "stat"}, []string{"status"}},
			{[]string{"list", ""}, nil},
			{[]string{"create", "--expires", ""}, nil},
		} {
			cands, directive, _ := complete(t, newF(), tt.args...)
			if !slices.Equal(values(cands), tt.want) {
				t.Errorf("%q: got %q, want %q", tt.args, values(cands), tt.want)
			}
			if directive&cobra.ShellCompDirectiveNoFileComp == 0 {
				t.Errorf("%q: directive %d lets the shell offer files", tt.args, directive)
			}
		}
	})
	t.Run("file flags keep file completion", func(t *testing.T) {
		for _, args := range [][]string{{"create", "--secret-file", ""}, {"sandbox", "info", "--data", ""}, {"list", "--sandbox-data", ""}} {
			if _, directive, _ := complete(t, newF(), args...); directive != cobra.ShellCompDirectiveDefault {
				t.Errorf("%q: directive %d, want Default (files)", args, directive)
			}
		}
		cands, directive, _ := complete(t, newF(), "list", "--config", "")
		if directive != cobra.ShellCompDirectiveFilterFileExt || !slices.Equal(cands, []string{"yaml", "yml"}) {
			t.Errorf("--config: %q directive %d", cands, directive)
		}
	})
}

func TestCompleteProfiles(t *testing.T) {
	ts := newTestSandbox(t) // sets XDG_CONFIG_HOME to a temporary directory
	dir, err := configDirForTest()
	if err != nil {
		t.Fatal(err)
	}
	file := "profiles:\n  prod:\n    api-url: https://api.jmapcloud.io\n    org: 0000\n  staging:\n    api-url: https://api.staging.example\n  QA: {}\n"
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	streams, _, _, _ := iostreams.Test()
	cands, _, _ := complete(t, ts.factory(streams, nil), "list", "--profile", "")
	want := []string{"prod\thttps://api.jmapcloud.io", "qa", "staging\thttps://api.staging.example"}
	if !slices.Equal(cands, want) {
		t.Errorf("default file: got %q, want %q", cands, want)
	}
	other := filepath.Join(t.TempDir(), "other.yaml")
	if err := os.WriteFile(other, []byte("profiles:\n  ci: {}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	streams, _, _, _ = iostreams.Test()
	cands, _, _ = complete(t, ts.factory(streams, nil), "--config", other, "list", "--profile", "")
	if !slices.Equal(cands, []string{"ci"}) {
		t.Errorf("--config: got %q", cands)
	}
	streams, _, _, _ = iostreams.Test()
	cands, directive, _ := complete(t, ts.factory(streams, nil), "--config", filepath.Join(t.TempDir(), "missing.yaml"), "list", "--profile", "")
	if len(cands) != 0 || directive != cobra.ShellCompDirectiveNoFileComp {
		t.Errorf("missing file: got %q directive %d", cands, directive)
	}
}

func configDirForTest() (string, error) {
	return filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "apikeys"), nil
}

func TestCompletionCache(t *testing.T) {
	ts := newTestSandbox(t)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	factory := func() *Factory {
		streams, _, _, _ := iostreams.Test()
		f := ts.factory(streams, nil)
		f.Now = func() time.Time { return now }
		return f
	}
	requests := func() int64 { return ts.sb.Stats().Requests }

	first, _, _ := complete(t, factory(), "show", "")
	afterFirst := requests()
	if afterFirst == 0 || len(first) == 0 {
		t.Fatalf("the first completion made %d requests and offered %d candidates", afterFirst, len(first))
	}
	now = now.Add(20 * time.Second)
	second, _, _ := complete(t, factory(), "show", "")
	if requests() != afterFirst {
		t.Errorf("a completion 20s later made %d requests, want the cached answer", requests()-afterFirst)
	}
	if !slices.Equal(first, second) {
		t.Errorf("the cached answer differs:\n%q\n%q", first, second)
	}
	now = now.Add(completionCacheTTL)
	complete(t, factory(), "show", "")
	if requests() == afterFirst {
		t.Error("a completion after the cache expired made no request")
	}
	// The Editors have their own entry.
	before := requests()
	complete(t, factory(), "delete", "x", "--transfer-to", "")
	if requests() == before {
		t.Error("--transfer-to was answered from the keys' cache entry")
	}

	cacheDir := filepath.Join(os.Getenv("XDG_CACHE_HOME"), "apikeys", "completion")
	entries, err := os.ReadDir(cacheDir)
	if err != nil || len(entries) != 2 {
		t.Fatalf("cache directory: %v, %d entries", err, len(entries))
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", e.Name(), info.Mode().Perm())
		}
	}
	if info, err := os.Stat(cacheDir); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("cache directory mode: %v %v", info.Mode().Perm(), err)
	}
	testenv.SecretScan{
		Secrets: map[string]string{"sandbox password": sandbox.Password, "secret field": `"secret"`, "token field": "oken"},
		Dirs:    []string{filepath.Join(os.Getenv("XDG_CACHE_HOME"), "apikeys")},
	}.Check(t)

	// Another profile has its own entry.
	before = requests()
	complete(t, factory(), "--profile", "other", "show", "")
	if requests() == before {
		t.Error("another profile was answered from the default profile's cache")
	}
}

func TestCompletionGivesUpQuietly(t *testing.T) {
	ts := newTestSandbox(t)
	t.Run("session error", func(t *testing.T) {
		streams, _, _, errOut := iostreams.Test()
		f := ts.factory(streams, nil)
		f.Session = func(context.Context) (*Session, error) {
			return nil, errkind.Authf("not logged in")
		}
		cands, directive, stdout := complete(t, f, "show", "")
		if len(cands) != 0 || directive != cobra.ShellCompDirectiveNoFileComp || stdout != ":4\n" {
			t.Errorf("stdout %q", stdout)
		}
		if strings.Contains(errOut.String(), "not logged in") {
			t.Errorf("the error reached stderr: %s", errOut)
		}
	})
	t.Run("hung session, no prompt", func(t *testing.T) {
		streams, _, _, _ := iostreams.Test()
		streams.SetTTY(true, true, true)
		f := ts.factory(streams, nil)
		f.completionTimeout = completionTimeout // the shipped deadline is what is tested here
		release := make(chan struct{})
		t.Cleanup(func() { close(release) })
		canPrompt := make(chan bool, 1)
		f.Session = func(ctx context.Context) (*Session, error) {
			canPrompt <- f.IO.CanPrompt()
			<-release // ignores ctx, like a blocked file lock
			return nil, errors.New("released")
		}
		start := time.Now()
		cands, directive, stdout := complete(t, f, "delete", "--transfer-to", "")
		took := time.Since(start)
		t.Logf("a hung session was given up after %v", took.Round(time.Millisecond))
		if len(cands) != 0 || directive != cobra.ShellCompDirectiveNoFileComp || stdout != ":4\n" {
			t.Errorf("stdout %q", stdout)
		}
		if took < completionTimeout || took > completionTimeout+3*time.Second {
			t.Errorf("gave up after %v, want about %v", took, completionTimeout)
		}
		if <-canPrompt {
			t.Error("the session was opened with prompts allowed")
		}
	})
}

// TestCompletionWithBinary builds apikeys and drives it as shells do: through the committed
// completion scripts in bash, fish and zsh, against the sandbox (APIKEYS_SANDBOX=1), and
// directly for the timing cases.
func TestCompletionWithBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	goTool, err := exec.LookPath("go")
	testenv.Require(t, "the go command (to build apikeys)", err == nil)
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	build := exec.Command(goTool, "build", "-o", filepath.Join(bin, "apikeys"), "github.com/k2geospatial/apikeys/cmd/apikeys")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	scripts, err := filepath.Abs(filepath.Join("..", "..", "completions"))
	if err != nil {
		t.Fatal(err)
	}
	// env is a clean environment for one case: its own home, cache and sandbox file.
	env := func(t *testing.T, extra ...string) []string {
		home := t.TempDir()
		var e []string
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "APIKEYS_") && !strings.HasPrefix(kv, "XDG_") && !strings.HasPrefix(kv, "HOME=") && !strings.HasPrefix(kv, "PATH=") && !strings.HasPrefix(kv, "BASH_COMP_DEBUG_FILE=") {
				e = append(e, kv)
			}
		}
		e = append(e, "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, "config"), "XDG_CACHE_HOME="+filepath.Join(home, "cache"),
			"XDG_STATE_HOME="+filepath.Join(home, "state"), "XDG_DATA_HOME="+filepath.Join(home, "data"),
			"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "LANG=C.UTF-8", "NO_COLOR=1")
		return append(e, extra...)
	}
	sandboxEnv := func(t *testing.T) []string {
		return env(t, "APIKEYS_SANDBOX=1", "APIKEYS_SANDBOX_DATA="+filepath.Join(t.TempDir(), "sandbox.db"))
	}
	runBin := func(t *testing.T, e []string, args ...string) (string, time.Duration) {
		t.Helper()
		cmd := exec.Command(filepath.Join(bin, "apikeys"), args...)
		cmd.Env = e
		start := time.Now()
		out, err := cmd.Output()
		took := time.Since(start)
		if err != nil {
			t.Fatalf("apikeys %q: %v", args, err)
		}
		return string(out), took
	}

	t.Run("bash", func(t *testing.T) {
		bash, err := exec.LookPath("bash")
		testenv.Require(t, "bash", err == nil)
		const bashCompletion = "/usr/share/bash-completion/bash_completion"
		_, err = os.Stat(bashCompletion)
		testenv.Require(t, "the bash-completion package ("+bashCompletion+")", err == nil)
		driver := filepath.Join(t.TempDir(), "driver.bash")
		// comp LINE WORD... sets up what readline gives a completion function and prints COMPREPLY.
		script := `source ` + bashCompletion + `
source "$1"; shift
COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}; shift
COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_TYPE=${COMP_TYPE:-9}; COMPREPLY=()
__start_apikeys apikeys 2>/dev/null
printf '%s\n' "${COMPREPLY[@]}"
`
		if err := os.WriteFile(driver, []byte(script), 0o600); err != nil {
			t.Fatal(err)
		}
		e := sandboxEnv(t)
		// compLine completes line, which readline split into words (at COMP_WORDBREAKS: a
		// space, or an '=' that makes a word of its own).
		compLine := func(t *testing.T, extraEnv []string, line string, words ...string) []string {
			t.Helper()
			cmd := exec.Command(bash, append([]string{"--norc", "--noprofile", driver, filepath.Join(scripts, "apikeys.bash"), line}, words...)...)
			cmd.Env = append(append([]string(nil), e...), extraEnv...)
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("bash %q: %v", line, err)
			}
			return strings.Split(strings.TrimSpace(string(out)), "\n")
		}
		comp := func(t *testing.T, extraEnv []string, words ...string) []string {
			t.Helper()
			return compLine(t, extraEnv, strings.Join(words, " "), words...)
		}
		got := comp(t, nil, "apikeys", "delete", "")
		for _, want := range []string{`GeoServer\ sync`, `CI\ pipeline`, `Public\ web\ map\ \(Montréal\)`, "e826ce94-f943-40de-8b1c-129df0d17111"} {
			if !slices.Contains(got, want) && !slices.Contains(got, strings.ReplaceAll(want, `\`, "")) {
				t.Errorf("delete <TAB>: %q missing from %q", want, got)
			}
		}
		if got := comp(t, nil, "apikeys", "delete", "Geo"); !slices.Equal(got, []string{`GeoServer\ sync`}) {
			t.Errorf("delete Geo<TAB>: got %q, want the escaped title", got)
		}
		if got := comp(t, nil, "apikeys", "show", `GeoServer\ s`); !slices.Equal(got, []string{`GeoServer\ sync`}) {
			t.Errorf(`show GeoServer\ s<TAB>: got %q`, got)
		}
		if got := comp(t, nil, "apikeys", "delete", "Legacy ETL", "--transfer-to", ""); !slices.Equal(got, seedEditorEmails) {
			t.Errorf("--transfer-to <TAB>: got %q, want %q", got, seedEditorEmails)
		}
		// Listing (TAB TAB) shows descriptions.
		listed := comp(t, []string{"COMP_TYPE=63", "COLUMNS=200"}, "apikeys", "show", "")
		if !slices.ContainsFunc(listed, func(c string) bool {
			return strings.HasPrefix(c, "e826ce94-f943-40de-8b1c-129df0d17111") && strings.Contains(c, "(GeoServer sync · editor · expires ")
		}) {
			t.Errorf("show <TAB><TAB> does not describe the ID as title · role · expiry: %q", listed)
		}
		listed = comp(t, []string{"COMP_TYPE=63", "COLUMNS=200"}, "apikeys", "show", "e8")
		if len(listed) != 1 || listed[0] != "e826ce94-f943-40de-8b1c-129df0d17111" {
			t.Errorf("show e8<TAB>: %q", listed)
		}
		listed = comp(t, []string{"COMP_TYPE=63", "COLUMNS=200"}, "apikeys", "delete", "--transfer-to", "e")
		if strings.Join(listed, "\n") == "" || !strings.Contains(strings.Join(listed, "\n"), "(Eddie Editor)") {
			t.Errorf("--transfer-to e<TAB><TAB> shows no names: %q", listed)
		}
		got = comp(t, nil, "apikeys", "list", "--sort", "")
		for _, key := range []string{"id", "title", "role", "creator", "email", "created", "expires", "status", "-expires"} {
			if !slices.Contains(got, key) {
				t.Errorf("--sort <TAB>: %q missing from %q", key, got)
			}
		}
		// Comma lists complete their last item, the list kept, with the commas as typed: cobra's
		// script quoted them ("title\,id"), so a typed "title," matched nothing.
		sortAfterTitle := []string{"title,id", "title,role", "title,creator", "title,email", "title,created", "title,expires", "title,status",
			"title,-id", "title,-role", "title,-creator", "title,-email", "title,-created", "title,-expires", "title,-status"}
		for _, tc := range []struct {
			line  string
			words []string
			want  []string
		}{
			{"apikeys list --sort title,", []string{"apikeys", "list", "--sort", "title,"}, sortAfterTitle},
			{"apikeys list --sort title,-ex", []string{"apikeys", "list", "--sort", "title,-ex"}, []string{"title,-expires"}},
			{"apikeys list --sort=-expires,t", []string{"apikeys", "list", "--sort", "=", "-expires,t"}, []string{"-expires,title"}},
			{"apikeys list --columns title,i", []string{"apikeys", "list", "--columns", "title,i"}, []string{"title,id"}},
			{"apikeys list --columns title,id,e", []string{"apikeys", "list", "--columns", "title,id,e"}, []string{"title,id,email", "title,id,expires"}},
			{"apikeys list --hide=creator,e", []string{"apikeys", "list", "--hide", "=", "creator,e"}, []string{"creator,email", "creator,expires"}},
		} {
			if got := compLine(t, nil, tc.line, tc.words...); !slices.Equal(got, tc.want) {
				t.Errorf("%s<TAB>: got %q, want %q", tc.line, got, tc.want)
			}
			// TAB TAB lists them with descriptions, and a lone one still completes unquoted.
			listed := compLine(t, []string{"COMP_TYPE=63", "COLUMNS=200"}, tc.line, tc.words...)
			if len(tc.want) == 1 && !slices.Equal(listed, tc.want) || len(listed) != len(tc.want) {
				t.Errorf("%s<TAB><TAB>: got %q, want %d candidates", tc.line, listed, len(tc.want))
			}
			// Menu completion (TAB cycling) inserts each candidate as is.
			if got := compLine(t, []string{"COMP_TYPE=37"}, tc.line, tc.words...); !slices.Equal(got, tc.want) {
				t.Errorf("%s<TAB> (menu-complete): got %q, want %q", tc.line, got, tc.want)
			}
		}
		// A date offers the operators the parser takes for dates: no ~ or !~.
		dateOps := []string{"expires=", "expires!=", "expires<", "expires<=", "expires>", "expires>="}
		if got := comp(t, nil, "apikeys", "list", "--filter", "expires"); !slices.Equal(got, dateOps) {
			t.Errorf("--filter expires<TAB>: got %q, want %q", got, dateOps)
		}
	})

	t.Run("fish", func(t *testing.T) {
		fish, err := exec.LookPath("fish")
		testenv.Require(t, "fish", err == nil)
		e := sandboxEnv(t)
		comp := func(t *testing.T, line string) []string {
			t.Helper()
			cmd := exec.Command(fish, "--no-config", "-c", `source $argv[1]; complete -C $argv[2]`, filepath.Join(scripts, "apikeys.fish"), line)
			cmd.Env = e
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("fish %q: %v", line, err)
			}
			return strings.Split(strings.TrimSpace(string(out)), "\n")
		}
		got := comp(t, "apikeys delete ")
		for _, want := range []string{"GeoServer sync\teditor · expires ", "e826ce94-f943-40de-8b1c-129df0d17111\tGeoServer sync · editor · expires "} {
			if !slices.ContainsFunc(got, func(c string) bool { return strings.HasPrefix(c, want) }) {
				t.Errorf("delete <TAB>: no %q in %q", want, got)
			}
		}
		for _, line := range []string{`apikeys show GeoServer\ s`, `apikeys show 'GeoServer s`} {
			if got := values(comp(t, line)); !slices.Equal(got, []string{"GeoServer sync"}) {
				t.Errorf("%s<TAB>: got %q", line, got)
			}
		}
		if got := values(comp(t, "apikeys delete --transfer-to ")); !slices.Equal(got, seedEditorEmails) {
			t.Errorf("--transfer-to <TAB>: got %q, want %q", got, seedEditorEmails)
		}
		// fish sorts the candidates.
		if got := comp(t, "apikeys delete --filter expires"); !slices.Equal(got, []string{"expires!=\tdiffers from", "expires<\tless than, before", "expires<=\tat most", "expires=\tequals", "expires>\tgreater than, after", "expires>=\tat least"}) {
			t.Errorf("--filter expires<TAB>: got %q", got)
		}
		if got := comp(t, "apikeys sandbox --data "+filepath.Join(scripts, "apikeys.f")); !slices.Equal(got, []string{filepath.Join(scripts, "apikeys.fish")}) {
			t.Errorf("sandbox --data <TAB> does not complete file names: %q", got)
		}
		if got := values(comp(t, "apikeys list --sort=-e")); !slices.Equal(got, []string{"--sort=-email", "--sort=-expires"}) {
			t.Errorf("--sort=-e<TAB>: got %q", got)
		}
		// One candidate and no space wanted: cobra's fish script adds a decoy "title,-expires."
		// so that fish does not append a space.
		if got := values(comp(t, "apikeys list --sort title,-ex")); len(got) == 0 || got[0] != "title,-expires" {
			t.Errorf("--sort title,-ex<TAB>: got %q", got)
		}
	})

	t.Run("zsh", func(t *testing.T) {
		zsh, err := exec.LookPath("zsh")
		testenv.Require(t, "zsh", err == nil)
		tmux, err := exec.LookPath("tmux")
		testenv.Require(t, "tmux (to type into an interactive zsh)", err == nil)
		home := t.TempDir()
		rc := "fpath=(" + scripts + " $fpath)\nautoload -U compinit && compinit -u\nPS1='> '\n"
		if err := os.WriteFile(filepath.Join(home, ".zshrc"), []byte(rc), 0o600); err != nil {
			t.Fatal(err)
		}
		sock := filepath.Join(home, "tmux.sock")
		e := append(sandboxEnv(t), "ZDOTDIR="+home, "TERM=xterm")
		tm := func(args ...string) string {
			cmd := exec.Command(tmux, append([]string{"-S", sock}, args...)...)
			cmd.Env = e
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("tmux %q: %v\n%s", args, err, out)
			}
			return string(out)
		}
		tm("new-session", "-d", "-x", "160", "-y", "40", "-s", "t", zsh+" -i")
		t.Cleanup(func() { _ = exec.Command(tmux, "-S", sock, "kill-server").Run() }) // a server already gone is fine
		// typeAndWait types keys and waits until the screen shows want.
		typeAndWait := func(t *testing.T, want []string, keys ...string) string {
			t.Helper()
			tm(append([]string{"send-keys", "-t", "t", "C-u"}, keys...)...)
			deadline := time.Now().Add(15 * time.Second)
			for {
				screen := tm("capture-pane", "-p", "-t", "t")
				ok := true
				for _, w := range want {
					ok = ok && strings.Contains(screen, w)
				}
				if ok {
					return screen
				}
				if time.Now().After(deadline) {
					t.Fatalf("the screen never showed %q:\n%s", want, screen)
				}
				time.Sleep(100 * time.Millisecond)
			}
		}
		typeAndWait(t, []string{">"})
		typeAndWait(t, []string{`> apikeys show GeoServer\ sync`}, "apikeys show Geo", "Tab")
		screen := typeAndWait(t, []string{"eddie@acme.example", "Erin Editor"}, "apikeys delete --transfer-to ", "Tab")
		if strings.Contains(screen, seedViewerEmail) {
			t.Errorf("--transfer-to offers the viewer:\n%s", screen)
		}
		for _, email := range seedEditorEmails {
			if !strings.Contains(screen, email) {
				t.Errorf("--transfer-to does not offer %s:\n%s", email, screen)
			}
		}
		typeAndWait(t, []string{"-expires", "descending", "created", "ascending"}, "apikeys list --sort ", "Tab")
	})

	t.Run("1000 keys answer within the timeout", func(t *testing.T) {
		e := sandboxEnv(t)
		runBin(t, e, "sandbox", "reset", "--keys", "1000")
		out, cold := runBin(t, e, cobra.ShellCompRequestCmd, "show", "")
		cands, directive, _ := parseCompletion(t, out)
		_, warm := runBin(t, e, cobra.ShellCompRequestCmd, "show", "")
		t.Logf("__complete show \"\" with 1,011 keys: %d candidates, %v cold, %v from the cache", len(cands), cold.Round(time.Millisecond), warm.Round(time.Millisecond))
		if len(cands) < 1011 || directive != cobra.ShellCompDirectiveNoFileComp {
			t.Errorf("%d candidates, directive %d", len(cands), directive)
		}
		if cold >= completionTimeout {
			t.Errorf("took %v, beyond the %v timeout", cold, completionTimeout)
		}
	})

	t.Run("--sandbox flag", func(t *testing.T) {
		e := env(t, "APIKEYS_SANDBOX_DATA="+filepath.Join(t.TempDir(), "sandbox.db"))
		out, _ := runBin(t, e, cobra.ShellCompRequestCmd, "--sandbox", "delete", "QGIS plugin", "--transfer-to", "")
		if cands, _, _ := parseCompletion(t, out); !slices.Equal(values(cands), seedEditorEmails) {
			t.Errorf("got %q, want %q", cands, seedEditorEmails)
		}
	})

	t.Run("unreachable API", func(t *testing.T) {
		serveEnv := env(t, "APIKEYS_SANDBOX_DATA="+filepath.Join(t.TempDir(), "served.db"))
		serve := exec.Command(filepath.Join(bin, "apikeys"), "sandbox", "serve")
		serve.Env = serveEnv
		stdout, err := serve.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := serve.Start(); err != nil {
			t.Fatal(err)
		}
		url, err := bufio.NewReader(stdout).ReadString('\n')
		if err != nil {
			_ = serve.Process.Kill() // the test fails either way; Kill only spares the process
			t.Fatalf("sandbox serve printed no URL: %v", err)
		}
		url = strings.TrimSpace(url)
		client := env(t, "APIKEYS_API_URL="+url, "APIKEYS_USERNAME="+sandbox.AdminEmail, "APIKEYS_PASSWORD="+sandbox.Password)
		out, _ := runBin(t, client, cobra.ShellCompRequestCmd, "show", "Geo")
		if cands, _, _ := parseCompletion(t, out); !slices.Equal(values(cands), []string{"GeoServer sync"}) {
			t.Fatalf("while serving: %q", cands)
		}
		if err := serve.Process.Signal(os.Interrupt); err != nil {
			t.Fatal(err)
		}
		_ = serve.Wait() // interrupted: its exit status says nothing
		// A fresh cache, so the stopped server is asked.
		client = env(t, "APIKEYS_API_URL="+url, "APIKEYS_USERNAME="+sandbox.AdminEmail, "APIKEYS_PASSWORD="+sandbox.Password)
		out, took := runBin(t, client, cobra.ShellCompRequestCmd, "show", "")
		t.Logf("stopped server: answered %q in %v", out, took.Round(time.Millisecond))
		if out != ":4\n" {
			t.Errorf("stdout %q, want no candidates", out)
		}
		if took > time.Second {
			t.Errorf("took %v to give up on a refused connection", took)
		}
	})

	t.Run("silent API", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		go func() { // accepts and never answers
			var conns []net.Conn
			defer func() {
				for _, c := range conns {
					c.Close()
				}
			}()
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				conns = append(conns, c)
			}
		}()
		client := env(t, "APIKEYS_API_URL=http://"+ln.Addr().String(), "APIKEYS_USERNAME="+sandbox.AdminEmail, "APIKEYS_PASSWORD="+sandbox.Password)
		out, took := runBin(t, client, cobra.ShellCompRequestCmd, "delete", "--transfer-to", "")
		t.Logf("silent server: answered %q in %v", out, took.Round(time.Millisecond))
		if out != ":4\n" {
			t.Errorf("stdout %q, want no candidates", out)
		}
		if took < completionTimeout || took > completionTimeout+3*time.Second {
			t.Errorf("took %v, want about %v", took, completionTimeout)
		}
	})
}

// TestCompletionsAreRegisteredWhereCommandsAreBuilt: the tree as newRootCmd builds it, with
// no completion run, already knows every argument's and flag's completion; file completion
// is given to the flags that take a file, and to no other.
func TestCompletionsAreRegisteredWhereCommandsAreBuilt(t *testing.T) {
	streams, _, _, _ := iostreams.Test()
	root := newRootCmd(newFactory(streams, "test", func(string) string { return "" }))
	files := map[string][]string{}
	var walk func(cmd *cobra.Command)
	walk = func(cmd *cobra.Command) {
		if cmd.Runnable() && cmd.ValidArgsFunction == nil && len(cmd.ValidArgs) == 0 {
			t.Errorf("%s: no completion of its arguments", cmd.CommandPath())
		}
		visit := func(fl *pflag.Flag) {
			if fl.Value.Type() == "bool" {
				return // takes no value
			}
			name := cmd.CommandPath() + " --" + fl.Name
			exts, isFile := fl.Annotations[cobra.BashCompFilenameExt]
			_, hasFunc := cmd.GetFlagCompletionFunc(fl.Name)
			switch {
			case isFile && hasFunc:
				t.Errorf("%s: both a file flag and a completion function", name)
			case isFile:
				files[name] = exts
			case !hasFunc:
				t.Errorf("%s: no completion of its value", name)
			}
		}
		cmd.LocalNonPersistentFlags().VisitAll(visit)
		cmd.PersistentFlags().VisitAll(visit)
		for _, sub := range cmd.Commands() {
			walk(sub)
		}
	}
	walk(root)
	want := map[string][]string{
		"apikeys --config":             {"yaml", "yml"},
		"apikeys --sandbox-data":       nil,
		"apikeys create --secret-file": nil,
		"apikeys doctor --report":      {"json"},
		"apikeys sandbox --data":       nil,
	}
	if len(files) != len(want) {
		t.Errorf("file flags: got %q, want %q", files, want)
	}
	for name, exts := range want {
		if got, ok := files[name]; !ok || !slices.Equal(got, exts) {
			t.Errorf("%s: file extensions %q (file flag: %v), want %q", name, got, ok, exts)
		}
	}
}

// TestCreateAndDeleteForgetOnlyTheirProfilesKeys: after a create or delete, the next
// completion in that profile asks the API again and shows the change; another profile's
// cached list still answers.
func TestCreateAndDeleteForgetOnlyTheirProfilesKeys(t *testing.T) {
	ts := newTestSandbox(t)
	// Completions see a stopped clock, so the cache stays fresh however slow the machine;
	// create keeps the real one (the sandbox refuses an expiry that is not in its future).
	start := time.Now()
	factory := func() *Factory {
		streams, _, _, _ := iostreams.Test()
		f := ts.factory(streams, nil)
		f.Now = func() time.Time { return start }
		return f
	}
	requests := func() int64 { return ts.sb.Stats().Requests }
	show := func(profile string) []string {
		cands, _, _ := complete(t, factory(), "--profile", profile, "show", "Nightly")
		return values(cands)
	}
	cacheEntries := func() []string {
		entries, _ := os.ReadDir(filepath.Join(os.Getenv("XDG_CACHE_HOME"), "apikeys", "completion"))
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		return names
	}
	if got := show("prod"); len(got) != 0 {
		t.Fatalf("before the create, prod offers %q", got)
	}
	if got := show("staging"); len(got) != 0 {
		t.Fatalf("before the create, staging offers %q", got)
	}
	if got := cacheEntries(); len(got) != 2 {
		t.Fatalf("cache entries of the two profiles: %q", got)
	}

	streams, _, out, errOut := iostreams.Test()
	if code := run(context.Background(), ts.factory(streams, nil), []string{"--profile", "prod", "create", "Nightly export", "--role", "viewer", "--expires", "30d"}); code != exitOK {
		t.Fatalf("create: exit %d\n%s", code, errOut)
	}
	if out.Len() == 0 {
		t.Fatal("create printed no secret")
	}
	if got := cacheEntries(); len(got) != 1 {
		t.Errorf("after the create in prod, cache entries %q, want staging's only", got)
	}

	before := requests()
	if got := show("staging"); len(got) != 0 || requests() != before {
		t.Errorf("staging: offered %q with %d requests, want its cached list (no request, no new key)", got, requests()-before)
	}
	before = requests()
	got := show("prod")
	if requests() == before {
		t.Error("prod was answered from the cache its create should have dropped")
	}
	if !slices.Equal(got, []string{"Nightly export"}) {
		t.Errorf("prod after the create: got %q, want the new key", got)
	}

	// The same for a delete: prod's list (holding the key now) goes, staging's stays.
	streams, _, _, errOut = iostreams.Test()
	if code := run(context.Background(), ts.factory(streams, nil), []string{"--profile", "prod", "delete", "Nightly export", "--yes"}); code != exitOK {
		t.Fatalf("delete: exit %d\n%s", code, errOut)
	}
	if got := cacheEntries(); len(got) != 1 {
		t.Errorf("after the delete in prod, cache entries %q, want staging's only", got)
	}
	if got := show("prod"); len(got) != 0 {
		t.Errorf("prod after the delete: got %q, want nothing", got)
	}
}

// `apikeys completion bash` prints the committed script, with its comma fixes, and keeps them
// without descriptions.
func TestCompletionBashIsTheCommittedScript(t *testing.T) {
	committed, err := os.ReadFile(filepath.Join("..", "..", "completions", "apikeys.bash"))
	if err != nil {
		t.Fatal(err)
	}
	streams, _, out, errOut := iostreams.Test()
	f := newFactory(streams, "test", func(string) string { return "" })
	if code := run(context.Background(), f, []string{"completion", "bash"}); code != exitOK || out.String() != string(committed) {
		t.Fatalf("completion bash: exit %d, stderr %q; the script differs from completions/apikeys.bash (run make generate)", code, errOut.String())
	}
	for _, fix := range bashCommaFixes {
		if !strings.Contains(out.String(), fix.after+"\n"+fix.add+"\n") {
			t.Errorf("the script lacks %q after %q", fix.add, fix.after)
		}
	}
	streams, _, out, _ = iostreams.Test()
	f = newFactory(streams, "test", func(string) string { return "" })
	if code := run(context.Background(), f, []string{"completion", "bash", "--no-descriptions"}); code != exitOK || !strings.Contains(out.String(), bashCommaFixes[0].add) || strings.Contains(out.String(), "__complete ${args[*]}\"") {
		t.Fatalf("completion bash --no-descriptions: exit %d, or not the fixed script without descriptions:\n%.300s", code, out.String())
	}
}
