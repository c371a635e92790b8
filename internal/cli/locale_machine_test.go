package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/output"
)

// machineLocales are the environments a script may run in: a C locale, a French one, and
// French chosen by apikeys' own setting.
var machineLocales = []map[string]string{
	{"LANG": "C"},
	{"LANG": "fr_CA.UTF-8"},
	{"LC_ALL": "fr_FR.UTF-8", "LANG": "C"},
	{"APIKEYS_LANG": "fr"},
}

// runFormatIn is runFormat in the environment env (the locale variables a command sees).
func runFormatIn(ts *testSandbox, env map[string]string, args ...string) formatRun {
	ts.t.Helper()
	streams, _, out, errOut := iostreams.Test()
	f := ts.factory(streams, nil)
	f.Getenv = func(name string) string { return env[name] }
	f.Now = func() time.Time { return formatsNow }
	code := run(context.Background(), f, args)
	return formatRun{code, out.String(), errOut.String()}
}

// goldenStreams reads a txtar golden of golden_formats_test.go: its comment (the exit code)
// and its two streams.
func goldenStreams(t *testing.T, name string) (comment, stdout, stderr string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "golden", name))
	if err != nil {
		t.Fatal(err)
	}
	a := txtar.Parse(b)
	for _, f := range a.Files {
		switch f.Name {
		case "stdout":
			stdout = string(f.Data)
		case "stderr":
			stderr = string(f.Data)
		}
	}
	return string(a.Comment), stdout, stderr
}

// Machine output is the same in every locale, byte for byte: the JSON, YAML, CSV and TSV of
// list, show, members and a dry run of delete, and the plain table of list, show and members
// on a pipe (scripts read it with awk and cut), run under LANG=C, LANG=fr_CA.UTF-8, LC_ALL
// French and APIKEYS_LANG=fr, are each the golden file of TestGoldenFormatsOfKeysAndMembers,
// exit code included. What goes to stderr is for a person: it is the golden's in the C locale.
func TestMachineOutputIsTheSameInEveryLocale(t *testing.T) {
	ts := formatsSandbox(t)
	// Each French environment reaches the command: its error is not the C locale's.
	english := runFormatIn(ts, machineLocales[0], "list", "--columns", "nope").errOut
	for _, env := range machineLocales[1:] {
		if r := runFormatIn(ts, env, "list", "--columns", "nope"); r.errOut == english || r.code != exitUsage {
			t.Fatalf("%v: exit %d, %q: not French", env, r.code, r.errOut)
		}
	}
	var cases []formatCase
	for _, c := range [][]string{
		{"list", "list"},
		{"show", "show", "QGIS plugin"},
		{"members", "members"},
		{"delete-dry-run", "delete", "Drone imagery upload", "Legacy ETL", "--dry-run", "--transfer-to", "erin@acme.example"},
	} {
		for _, fc := range formatCases(c[0], c[1:]...) {
			if fc.tty || fc.name == "delete-dry-run.table" { // a person's views, in the reader's language
				continue
			}
			cases = append(cases, fc)
		}
	}
	cases = append(cases, formatCase{name: "members.csv-no-headers", args: []string{"members", "--role", "editor", "-o", "csv", "--no-headers"}})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			comment, stdout, stderr := goldenStreams(t, c.name+".txtar")
			for _, env := range machineLocales {
				r := runFormatIn(ts, env, c.args...)
				if got := "exit " + strconv.Itoa(r.code) + "\n"; got != comment {
					t.Errorf("%v: %sgolden %s", env, got, comment)
				}
				if r.out != stdout {
					t.Errorf("%v: stdout differs from the golden's:\n%s\nwant:\n%s", env, r.out, stdout)
				}
				if env["LANG"] == "C" && env["LC_ALL"] == "" && r.errOut != stderr {
					t.Errorf("%v: stderr %q, golden %q", env, r.errOut, stderr)
				}
			}
		})
	}
}

// create's JSON and YAML, the record and its secret or secret file, are the same in every
// locale and are create's goldens once the sandbox's random ID, email and secret are put in
// the golden's (TestGoldenCreateFormats makes them with a fixed creator).
func TestCreateMachineOutputIsTheSameInEveryLocale(t *testing.T) {
	ts := formatsSandbox(t)
	for _, c := range []struct {
		name       string
		format     output.Format
		secretFile bool
	}{
		{"create.json", output.JSON, false},
		{"create.yaml", output.YAML, false},
		{"create.json-secret-file", output.JSON, true},
		{"create.yaml-secret-file", output.YAML, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			comment, stdout, stderr := goldenStreams(t, c.name+".txtar")
			for _, env := range machineLocales {
				dir := t.TempDir()
				args := []string{"create", "CI deploy", "--role", "viewer", "--expires", "30d", "--no-copy", "-o", string(c.format)}
				if c.secretFile {
					args = append(args, "--secret-file", filepath.Join(dir, "new.key"))
				}
				r := runFormatIn(ts, env, args...)
				if got := "exit " + strconv.Itoa(r.code) + "\n"; got != comment {
					t.Fatalf("%v: %sgolden %s%s", env, got, comment, r.errOut)
				}
				got := strings.ReplaceAll(r.out, dir, "$DIR")
				got = asGoldenKey(t, got, c.format)
				if got != stdout {
					t.Errorf("%v: stdout differs from the golden's:\n%s\nwant:\n%s", env, got, stdout)
				}
				if env["LANG"] == "C" && env["LC_ALL"] == "" && strings.ReplaceAll(r.errOut, dir, "$DIR") != stderr {
					t.Errorf("%v: stderr %q, golden %q", env, r.errOut, stderr)
				}
			}
		})
	}
}

// asGoldenKey puts, in create's output, the golden's ID, email and secret in place of the
// sandbox's, which it draws at random.
func asGoldenKey(t *testing.T, out string, format output.Format) string {
	t.Helper()
	var rec struct{ ID, Email, Secret string }
	if format == output.JSON {
		if err := json.Unmarshal([]byte(out), &rec); err != nil {
			t.Fatalf("create -o json: %v\n%s", err, out)
		}
	} else {
		for _, line := range strings.Split(out, "\n") {
			k, v, _ := strings.Cut(line, ": ")
			switch k {
			case "id":
				rec.ID = v
			case "email":
				rec.Email = v
			case "secret":
				rec.Secret = v
			}
		}
	}
	if rec.ID == "" || rec.Email == "" {
		t.Fatalf("create printed no ID or email:\n%s", out)
	}
	r := []string{rec.ID, "0b9f6c1e-3a5d-4e2f-9c7b-1d2e3f4a5b6c", rec.Email, "apikey-0b9f6c1e@acme.example"}
	if rec.Secret != "" {
		r = append(r, rec.Secret, "jmk_golden-secret-0123456789")
	}
	return strings.NewReplacer(r...).Replace(out)
}

// What --jq and --template print is the script's: the same in every locale (timeago too,
// which a template's author chose to print), and a French role word given on input selects
// what the English one does, printed as the English role value.
func TestScriptOutputIsTheSameInEveryLocale(t *testing.T) {
	ts := formatsSandbox(t)
	for _, args := range [][]string{
		{"list", "--jq", ".[] | [.title, .role, .status] | @tsv"},
		{"show", "QGIS plugin", "--template", "{{.title}} {{.role}} {{.status}} {{timeago .expires}}\n"},
		{"members", "--role", "lecteur", "--jq", ".[].name"},
	} {
		want := runFormatIn(ts, machineLocales[0], args...)
		if want.code != 0 || want.out == "" {
			t.Fatalf("%q: exit %d, stdout %q, stderr %q", args, want.code, want.out, want.errOut)
		}
		for _, env := range machineLocales[1:] {
			if r := runFormatIn(ts, env, args...); r.code != want.code || r.out != want.out {
				t.Errorf("%v %q: exit %d\n%s\nwant exit %d\n%s", env, args, r.code, r.out, want.code, want.out)
			}
		}
	}
	editors := runFormatIn(ts, machineLocales[0], "list", "--filter", "role=editor", "--columns", "title,role", "-o", "csv")
	for _, word := range []string{"éditeur", "e\u0301diteur", "editeur", "ÉDITEUR"} {
		for _, env := range machineLocales {
			if r := runFormatIn(ts, env, "list", "--filter", "role="+word, "--columns", "title,role", "-o", "csv"); r.code != 0 || r.out != editors.out {
				t.Errorf("%v role=%s: exit %d\n%s\nwant\n%s", env, word, r.code, r.out, editors.out)
			}
		}
	}
	if !strings.Contains(editors.out, "\nCI pipeline,editor\n") {
		t.Fatalf("the editors' CSV has no editor:\n%s", editors.out)
	}
}
