package cli

import (
	"errors"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/k2geospatial/apikeys/internal/iostreams"
)

// requestCounts are what a counting sandbox answered: every request, and those about API
// keys (not the login's).
type requestCounts struct{ all, keys atomic.Int64 }

// newCountingSandbox is newTestSandbox whose server counts the requests it answers.
func newCountingSandbox(t *testing.T) (*testSandbox, *requestCounts) {
	t.Helper()
	counts := &requestCounts{}
	ts := newTestSandboxServing(t, func(handler http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			counts.all.Add(1)
			if strings.Contains(r.URL.Path, "/api-keys") {
				counts.keys.Add(1)
			}
			handler.ServeHTTP(w, r)
		})
	})
	return ts, counts
}

// --jq and --template print what the expression makes of the JSON output, whatever -o the
// environment asks for: strings raw, other values compact JSON, one a line.
func TestJQAndTemplateOutputs(t *testing.T) {
	ts, _ := newCountingSandbox(t)
	t.Setenv("APIKEYS_OUTPUT", "yaml") // a default: the filters read JSON all the same
	ci := ts.keyID("CI pipeline")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"list", "--jq", `[.[] | select(.role == "viewer") | .title] | sort | .[0:3]`}, `["Field app — Android","Partner feed — CityData","Power BI connector"]` + "\n"},
		{[]string{"list", "--jq", `.[] | select(.title == "CI pipeline") | .creator`}, "Ada Admin\n"},
		{[]string{"list", "--filter", "role=viewer", "--jq", "length"}, "5\n"},
		{[]string{"list", "--filter", "title=nothing", "--jq", "length"}, "0\n"}, // no "No API keys match." and no table
		{[]string{"list", "--columns", "title,role", "--filter", "title=CI pipeline", "--jq", ".[0]"}, `{"role":"editor","title":"CI pipeline"}` + "\n"},
		{[]string{"list", "--filter", "title=CI pipeline", "--template", `{{range .}}{{.title}} ({{.role}}) by {{.creator}}{{"\n"}}{{end}}`}, "CI pipeline (editor) by Ada Admin\n"},
		{[]string{"list", "--filter", "title~Power BI", "--template", `{{range .}}{{tablerow .title .role .creator}}{{end}}`}, "Power BI connector  viewer  Ada Admin\nPower BI connector  editor  Oscar Ops\n"},
		{[]string{"show", ci, "--jq", ".title"}, "CI pipeline\n"},
		{[]string{"show", ci, "--template", "{{.id}} {{.status}}"}, ci + " active"},
		{[]string{"members", "--role", "admin", "--jq", ".[] | .email"}, "admin@acme.example\nops@acme.example\n"},
		{[]string{"members", "--template", `{{pluck "name" . | join ", "}}`}, "Ada Admin, Eddie Editor, Erin Editor, Oscar Ops, Vera Viewer"},
		{[]string{"version", "--jq", ".version"}, "test\n"},
	} {
		code, out, errOut := ts.run(tc.args...)
		if code != 0 || out != tc.want || errOut != "" {
			t.Errorf("apikeys %q: exit %d, stdout %q, stderr %q; want exit 0, %q, no stderr", tc.args, code, out, errOut, tc.want)
		}
	}
}

// A wrong expression, or a filter with a typed -o of another format, is exit 2 before any
// request: the server never hears of it.
func TestFilterErrorsCostNoRequest(t *testing.T) {
	ts, requests := newCountingSandbox(t)
	// The commands taking --jq are many and change: TestFlagOfOtherCommandsSaysWhere pins
	// how they are named.
	streams, _, _, _ := iostreams.Test()
	root := newRootCmd(newFactory(streams, "test", func(string) string { return "" }))
	jqElsewhere := flagOfOthersError(errors.New("unknown flag: --jq"), "jq", flagOwners(root, "jq"), "apikeys sandbox reset").Error()
	for _, tc := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"list", "--jq", ".["}, "Error: --jq: unexpected EOF in \".[\"\nRun 'apikeys list --help' for usage.\n"},
		{[]string{"list", "--jq", ".[] | titel"}, "Error: --jq: function not defined: titel/0 in \".[] | titel\"\nRun 'apikeys list --help' for usage.\n"},
		{[]string{"show", "CI pipeline", "--template", "{{.title"}, "Error: --template:1: unclosed action\nRun 'apikeys show --help' for usage.\n"},
		{[]string{"members", "--template", "{{nosuch .}}"}, "Error: --template:1: function \"nosuch\" not defined\nRun 'apikeys members --help' for usage.\n"},
		{[]string{"delete", "CI pipeline", "--yes", "--no-transfer", "--jq", "]"}, "Error: --jq: unexpected token \"]\" at character 1 of \"]\"\nRun 'apikeys delete --help' for usage.\n"},
		{[]string{"list", "-o", "yaml", "--jq", ".[].id"}, "Error: --jq and -o yaml contradict each other: --jq reads the JSON output; drop -o\nRun 'apikeys list --help' for usage.\n"},
		{[]string{"list", "--jq", ".", "--template", "{{.}}"}, "Error: --jq and --template contradict each other: give one\nRun 'apikeys list --help' for usage.\n"},
		{[]string{"sandbox", "reset", "--jq", "."}, "Error: " + jqElsewhere + "\nRun 'apikeys sandbox reset --help' for usage.\n"},
	} {
		code, out, errOut := ts.run(tc.args...)
		if code != exitUsage || out != "" || errOut != tc.stderr {
			t.Errorf("apikeys %q: exit %d, stdout %q, stderr\n%s\nwant exit 2, no stdout, stderr\n%s", tc.args, code, out, errOut, tc.stderr)
		}
	}
	if n := requests.all.Load(); n != 0 {
		t.Errorf("the refused command lines sent %d requests; want none", n)
	}
	// An error while the expression runs is exit 2 as well, and prints nothing.
	code, out, errOut := ts.run("list", "--jq", `.[] | .title, error("stop here")`)
	if code != exitUsage || out != "" || errOut != "Error: --jq: error: stop here\n" {
		t.Errorf("a failing expression: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// The secret exists only in create's output: an expression that would leave it out is
// refused before the key is created; one that keeps it prints it as asked.
func TestCreateFilterMustKeepTheSecret(t *testing.T) {
	ts, requests := newCountingSandbox(t)
	before := ts.state()
	requests.all.Store(0)
	for _, expr := range []string{".id", ".secret[0:8]", `{id, title}`} {
		code, out, errOut := ts.run("create", "lost", "--role", "viewer", "--expires", "7d", "--jq", expr)
		want := "Error: --jq would leave out the new key's secret, which is shown only once: print .secret (--jq .secret, or --template '{{.secret}}'), or give --secret-file\nRun 'apikeys create --help' for usage.\n"
		if code != exitUsage || out != "" || errOut != want {
			t.Errorf("create --jq %s: exit %d, stdout %q, stderr %q", expr, code, out, errOut)
		}
	}
	code, _, errOut := ts.run("create", "lost", "--role", "viewer", "--expires", "7d", "--template", "{{.id}}")
	if code != exitUsage || !strings.HasPrefix(errOut, "Error: --template would leave out the new key's secret") {
		t.Errorf("create --template {{.id}}: exit %d, stderr %q", code, errOut)
	}
	if n := requests.all.Load(); n != 0 || ts.state() != before {
		t.Errorf("refused creates sent %d requests or changed the sandbox; want none", n)
	}

	code, out, errOut := ts.run("create", "kept", "--role", "viewer", "--expires", "7d", "--jq", ".secret")
	if code != 0 || !regexp.MustCompile(`^jmc_[A-Za-z0-9]+\n$`).MatchString(out) || errOut != "" {
		t.Errorf("create --jq .secret: exit %d, stdout %q, stderr %q; want the raw secret alone", code, out, errOut)
	}
	code, out, _ = ts.run("create", "pair", "--role", "viewer", "--expires", "7d", "--template", "{{.title}}={{.secret}}")
	if code != 0 || !regexp.MustCompile(`^pair=jmc_[A-Za-z0-9]+$`).MatchString(out) {
		t.Errorf("create --template: exit %d, stdout %q", code, out)
	}
	// With --secret-file the output holds the file's path: any expression will do.
	file := filepath.Join(t.TempDir(), "key")
	code, out, errOut = ts.run("create", "filed", "--role", "viewer", "--expires", "7d", "--secret-file", file, "--jq", ".title")
	if code != 0 || out != "filed\n" || errOut != "" {
		t.Errorf("create --secret-file --jq .title: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}
