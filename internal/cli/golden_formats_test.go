package cli

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/output"
	"github.com/k2geospatial/apikeys/internal/sandbox"
)

// The goldens of every -o format of each command (golden_test.go holds checkGolden and the
// goldens of what a person reads).
//
// formatsNow is the clock of every golden run: the sandbox seeds its keys from it and the
// commands date them from it, so dates and statuses are the same on every run.
var formatsNow = time.Date(2026, time.November, 24, 12, 0, 0, 0, time.UTC)

// formatRun is what one command line did: its exit code and both streams.
type formatRun struct {
	code        int
	out, errOut string
}

// txtar is the run as a golden file: the exit code as its comment, then stdout and stderr.
func (r formatRun) txtar() []byte {
	return txtar.Format(&txtar.Archive{
		Comment: fmt.Appendf(nil, "exit %d\n", r.code),
		Files:   []txtar.File{{Name: "stdout", Data: []byte(r.out)}, {Name: "stderr", Data: []byte(r.errOut)}},
	})
}

// formatsSandbox is a sandbox seeded at formatsNow, served on loopback.
func formatsSandbox(t *testing.T) *testSandbox {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "cache"))
	sb, err := sandbox.Open(sandbox.Options{Path: filepath.Join(dir, "sandbox.db"), Now: func() time.Time { return formatsNow }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(func() { srv.Close(); sb.Close() })
	return &testSandbox{t: t, sb: sb, url: srv.URL, clipboard: &fakeClipboard{}}
}

// runFormat runs one command line against ts at formatsNow, stdout a terminal when tty.
func runFormat(ts *testSandbox, tty bool, args ...string) formatRun {
	ts.t.Helper()
	streams, _, out, errOut := iostreams.Test()
	streams.SetTTY(false, tty, false)
	f := ts.factory(streams, nil)
	f.Now = func() time.Time { return formatsNow }
	code := run(context.Background(), f, args)
	return formatRun{code, out.String(), errOut.String()}
}

// formatCase is one command line whose whole output is pinned in a golden file.
type formatCase struct {
	name string
	tty  bool
	args []string
}

// formatCases are args under each -o, in plain text, and the table on a terminal too.
func formatCases(name string, args ...string) []formatCase {
	cases := []formatCase{{name: name + ".table-tty", tty: true, args: args}}
	for _, f := range output.FormatNames() {
		cases = append(cases, formatCase{name: name + "." + f, args: append(append([]string(nil), args...), "-o", f)})
	}
	return cases
}

// Every format of list, show, members and a dry run of delete, byte for byte: the JSON and
// YAML key order (YAML in the JSON's order, no longer alphabetical for show, members and
// delete), the CSV and TSV headers, the plain and terminal tables, show's detail view and
// delete's plan.
func TestGoldenFormatsOfKeysAndMembers(t *testing.T) {
	ts := formatsSandbox(t)
	var cases []formatCase
	cases = append(cases, formatCases("list", "list")...)
	cases = append(cases, formatCases("show", "show", "QGIS plugin")...)
	cases = append(cases, formatCases("members", "members")...)
	cases = append(cases, formatCases("delete-dry-run", "delete", "Drone imagery upload", "Legacy ETL", "--dry-run", "--transfer-to", "erin@acme.example")...)
	cases = append(cases, formatCase{name: "members.csv-no-headers", args: []string{"members", "--role", "editor", "-o", "csv", "--no-headers"}})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runFormat(ts, c.tty, c.args...)
			checkGolden(t, c.name+".txtar", string(r.txtar()))
		})
	}
}

// The sandbox's info and resources in every format they print, and the refusal of the ones
// info cannot (a list of logins is no CSV line). The data path, a temporary directory, reads
// $DATA.
func TestGoldenFormatsOfSandbox(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	data := filepath.Join(dir, "sandbox.db")
	ts := &testSandbox{t: t, clipboard: &fakeClipboard{}}
	var cases []formatCase
	cases = append(cases, formatCases("sandbox-info", "sandbox", "info", "--data", data)...)
	cases = append(cases, formatCases("sandbox-resources", "sandbox", "resources", "--data", data)...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runFormat(ts, c.tty, c.args...)
			r.out = strings.ReplaceAll(r.out, data, "$DATA")
			checkGolden(t, c.name+".txtar", string(r.txtar()))
		})
	}
}

// version prints its text, or {"version": ...} in JSON and YAML, and refuses CSV and TSV;
// `version` alone is answered before the command tree is built, APIKEYS_OUTPUT=json is not.
func TestGoldenVersion(t *testing.T) {
	cases := formatCases("version", "version")
	cases = append(cases, formatCase{name: "version.flag", args: []string{"--version"}})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			streams, _, out, errOut := iostreams.Test()
			streams.SetTTY(false, c.tty, false)
			code := run(context.Background(), newFactory(streams, "1.2.3", func(string) string { return "" }), c.args)
			checkGolden(t, c.name+".txtar", string(formatRun{code, out.String(), errOut.String()}.txtar()))
		})
	}
	streams, _, out, errOut := iostreams.Test()
	env := map[string]string{"APIKEYS_OUTPUT": "yaml"}
	code := run(context.Background(), newFactory(streams, "1.2.3", func(k string) string { return env[k] }), []string{"version"})
	if code != 0 || out.String() != "version: 1.2.3\n" || errOut.Len() != 0 {
		t.Fatalf("APIKEYS_OUTPUT=yaml version: exit %d, stdout %q, stderr %q", code, out.String(), errOut.String())
	}
}

// fixedCreator creates every key with the same ID, dates and secret, so create's output is
// the same on every run.
type fixedCreator struct{}

func (fixedCreator) CreateKey(_ context.Context, req jmapcloud.CreateAPIKeyRequest) (jmapcloud.APIKey, error) {
	return jmapcloud.APIKey{
		ID: "0b9f6c1e-3a5d-4e2f-9c7b-1d2e3f4a5b6c", Title: req.Title, Role: req.Role,
		Email: "apikey-0b9f6c1e@acme.example", CreatedBy: "Ada Admin",
		CreationDate: formatsNow, ExpirationDate: req.ExpirationDate, Secret: "jmk_golden-secret-0123456789",
	}, nil
}

// create's every output, the secret included where it is shown: the JSON and YAML record
// (row, then secret or secretFile, in that order in both), the bare secret on a pipe, the
// terminal panel.
func TestGoldenCreateFormats(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	cases := []struct {
		name       string
		format     output.Format
		tty        bool
		secretFile bool
	}{
		{name: "create.table", format: output.Table},
		{name: "create.table-tty", format: output.Table, tty: true},
		{name: "create.json", format: output.JSON},
		{name: "create.yaml", format: output.YAML},
		{name: "create.json-secret-file", format: output.JSON, secretFile: true},
		{name: "create.yaml-secret-file", format: output.YAML, secretFile: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			streams, _, out, errOut := iostreams.Test()
			streams.SetTTY(false, c.tty, false)
			opts := &createOptions{
				IO:        streams,
				Keys:      func(context.Context) (keyCreator, error) { return fixedCreator{}, nil },
				Clipboard: &fakeClipboard{},
				Now:       func() time.Time { return formatsNow },
				Format:    func() (output.Format, error) { return c.format, nil },
				Title:     "CI deploy", Role: "viewer", Expires: "30d", NoCopy: true,
			}
			dir := t.TempDir()
			if c.secretFile {
				opts.SecretFile = filepath.Join(dir, "new.key")
			}
			err := runCreate(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			got := strings.ReplaceAll(out.String(), dir, "$DIR")
			checkGolden(t, c.name+".txtar", string(formatRun{0, got, strings.ReplaceAll(errOut.String(), dir, "$DIR")}.txtar()))
		})
	}
}
