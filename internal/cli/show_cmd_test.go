package cli

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/output"
)

var showUnderTest = cmdUnderTest[showOptions]{
	build: newShowCmd,
	flagFields: func(o showOptions) showOptions {
		o.IO, o.Keys, o.Copy, o.Now, o.Format = nil, nil, nil, nil, nil
		o.Script.context = nil // the command's context, injected
		o.Printer = nil        // the language of the environment, f.Printer()'s
		return o
	},
	format: func(o *showOptions) func() (output.Format, error) { return o.Format },
}

func TestNewCmdShow(t *testing.T) {
	const id = "5f0c7a9e-2b1d-4c3e-9f8a-0123456789e1"
	testNewCmd(t, showUnderTest, []flagRow[showOptions]{
		{name: "an ID", argv: []string{"show", id}, want: showOptions{Ref: id}, format: "table"},
		{name: "alias get", argv: []string{"get", id}, want: showOptions{Ref: id}},
		{name: "a title with spaces, quoted", argv: []string{"show", "CI deploy"}, want: showOptions{Ref: "CI deploy"}},
		{name: "on a terminal", argv: []string{"show", "CI deploy"}, tty: true, want: showOptions{Ref: "CI deploy"}},
		{name: "copy-email", argv: []string{"show", "CI deploy", "--copy-email"}, want: showOptions{Ref: "CI deploy", CopyEmail: true}},
		{name: "copy-email=on", argv: []string{"show", "--copy-email=on", "CI deploy"}, want: showOptions{Ref: "CI deploy", CopyEmail: true}},
		{name: "copy-email=0", argv: []string{"show", "CI deploy", "--copy-email=0"}, want: showOptions{Ref: "CI deploy"}},
		{name: "output yaml", argv: []string{"show", id, "-o", "yaml"}, want: showOptions{Ref: id}, format: "yaml"},
		{name: "jq", argv: []string{"show", id, "--jq", ".title"}, want: showOptions{Ref: id, Script: scriptFlags{JQ: ".title"}}},
		{name: "a KEY is kept as given", argv: []string{"show", " CI deploy "}, want: showOptions{Ref: " CI deploy "}},
		{name: "a KEY starting with a dash, after --", argv: []string{"show", "--", "-old"}, want: showOptions{Ref: "-old"}},

		{name: "no KEY", argv: []string{"show"}, err: "missing KEY: an API key ID or exact title", kind: errkind.Usage, code: exitUsage},
		// An empty KEY is refused before the session is opened (a login, perhaps).
		{name: "empty KEY", argv: []string{"show", ""}, err: "an empty KEY: give an API key ID or exact title", kind: errkind.Usage, code: exitUsage},
		{name: "blank KEY on a terminal", argv: []string{"show", "  "}, tty: true, err: "an empty KEY: give an API key ID or exact title", kind: errkind.Usage, code: exitUsage},
		{name: "no KEY on a terminal", argv: []string{"show"}, tty: true, err: "missing KEY: an API key ID or exact title", kind: errkind.Usage, code: exitUsage},
		{name: "a title with spaces, unquoted", argv: []string{"show", "CI", "deploy"},
			err: "show takes one KEY (an API key ID or exact title), not 2 arguments: quote a title that has spaces", kind: errkind.Usage, code: exitUsage},
		{name: "copy-email=please", argv: []string{"show", "x", "--copy-email=please"}, err: invalidBoolMsg("copy-email", "please"), kind: errkind.Usage, code: exitUsage},
		{name: "a copy flag show does not have", argv: []string{"show", "x", "--copy"}, err: "unknown flag: --copy\n--copy is a flag of apikeys create, not of apikeys show", kind: errkind.Usage, code: exitUsage},
	})
}

// runShow against a fake keys API: an ID is fetched alone (no list), a title is looked up in
// the list, an unknown ID is exit 5 after the list found no title either, another failure of
// the fetch is the error as it is, and --copy-email copies the address.
func TestRunShowWithAFakeAPI(t *testing.T) {
	keys := fakeKeys()
	type result struct {
		out, errOut string
		err         error
		api         *fakeAPI
		copied      []string
	}
	run := func(ref string, fmtKind output.Format, copyEmail bool, getErr error) result {
		t.Helper()
		streams, _, out, errOut := iostreams.Test()
		api := &fakeAPI{keys: keys, getErr: getErr}
		var o opener
		var copied []string
		err := runShow(context.Background(), &showOptions{IO: streams, Now: func() time.Time { return fakeNow }, Format: fixedFormat(fmtKind),
			Keys: openFake[keyGetter](&o, api), Ref: ref, CopyEmail: copyEmail,
			Copy: func(s string) (string, error) { copied = append(copied, s); return "fake", nil }})
		return result{out.String(), errOut.String(), err, api, copied}
	}

	r := run(strings.ToUpper(keys[1].ID), output.JSON, false, nil)
	want := `{
  "id": "22222222-2222-4222-8222-222222222222",
  "title": "QGIS plugin",
  "role": "viewer",
  "creator": "Erin Editor",
  "email": "qgis@keys.example",
  "created": "2026-01-10T12:00:00Z",
  "expires": "2026-03-11T12:00:00Z",
  "status": "expiring"
}
`
	if r.err != nil || r.out != want || !reflect.DeepEqual(r.api.gets, []string{strings.ToUpper(keys[1].ID)}) || r.api.lists != 0 {
		t.Errorf("show ID -o json: %v, fetched %q, listed %d times\nstdout:\n%s\nwant:\n%s", r.err, r.api.gets, r.api.lists, r.out, want)
	}

	r = run("qgis PLUGIN", output.CSV, false, nil)
	want = "id,title,role,creator,email,created,expires,status\n" +
		"22222222-2222-4222-8222-222222222222,QGIS plugin,viewer,Erin Editor,qgis@keys.example,2026-01-10T12:00:00Z,2026-03-11T12:00:00Z,expiring\n"
	if r.err != nil || r.out != want || len(r.api.gets) != 0 || r.api.lists != 1 {
		t.Errorf("show TITLE -o csv: %v, fetched %q, listed %d times\nstdout:\n%s\nwant:\n%s", r.err, r.api.gets, r.api.lists, r.out, want)
	}

	const unknown = "00000000-0000-4000-8000-000000000000"
	r = run(unknown, output.Table, false, nil)
	if want := "no API key with ID or title \"" + unknown + "\"\nrun `apikeys list` to see the keys"; r.err == nil || r.err.Error() != want || exitCode(r.err) != exitNotFound || r.out != "" || r.api.lists != 1 {
		t.Errorf("show unknown ID: %v (exit %d), listed %d times, stdout %q; want %q, exit 5", r.err, exitCode(r.err), r.api.lists, r.out, want)
	}

	down := &jmapcloud.APIError{Method: "GET", Path: "/api-keys/" + keys[0].ID, StatusCode: 503}
	r = run(keys[0].ID, output.Table, false, down)
	if !errors.Is(r.err, down) || exitCode(r.err) != exitError || r.api.lists != 0 || r.out != "" {
		t.Errorf("show ID, fetch failing with 503: %v (exit %d), listed %d times; want the 503 itself, exit 1, no list", r.err, exitCode(r.err), r.api.lists)
	}

	r = run("", output.Table, false, nil)
	if want := "an empty KEY: give an API key ID or exact title"; r.err == nil || r.err.Error() != want || exitCode(r.err) != exitUsage {
		t.Errorf("show \"\": %v (exit %d), want %q, exit 2", r.err, exitCode(r.err), want)
	}

	r = run("CI deploy", output.JSON, true, nil)
	if want := "Copied ci@keys.example to the clipboard (fake).\n"; r.err != nil || r.errOut != want || !reflect.DeepEqual(r.copied, []string{"ci@keys.example"}) {
		t.Errorf("show --copy-email: %v, copied %q, stderr %q; want %q", r.err, r.copied, r.errOut, want)
	}
	r = run("old export", output.JSON, true, nil)
	if want := "Note: this key has no email address to copy.\n"; r.err != nil || r.errOut != want || len(r.copied) != 0 {
		t.Errorf("show --copy-email, no email: %v, copied %q, stderr %q; want %q", r.err, r.copied, r.errOut, want)
	}
}

// show takes the start of a key's ID and a KEY pasted with spaces around it; an ID is still
// one request about keys (a GET by ID), a prefix one list; an ambiguous prefix is exit 2
// listing the keys it matches.
func TestShowIDPrefix(t *testing.T) {
	ts, requests := newCountingSandbox(t)
	ci := ts.keyID("CI pipeline")
	for _, tc := range []struct {
		ref      string
		requests int64
	}{
		{ci, 1},
		{" " + ci + "\n", 1},
		{ci[:8], 1},
		{strings.ToUpper(ci[:13]), 1},
		{" CI pipeline\n", 1}, // one list serves the title as given and trimmed
	} {
		requests.keys.Store(0)
		code, out, errOut := ts.run("show", tc.ref, "--jq", ".id")
		if code != 0 || out != ci+"\n" || errOut != "" {
			t.Errorf("show %q: exit %d, stdout %q, stderr %q; want %s", tc.ref, code, out, errOut, ci)
		}
		if n := requests.keys.Load(); n != tc.requests {
			t.Errorf("show %q made %d requests about keys; want %d", tc.ref, n, tc.requests)
		}
	}

	// Two IDs that share their start: the prefix names neither, and the titles are shown
	// as a terminal cannot act on them.
	api := &fakeAPI{keys: []jmapcloud.APIKey{
		{ID: "5f0c7a9e-2b1d-4c3e-9f8a-0123456789e1", Title: "CI deploy"},
		{ID: "5f0c1111-2b1d-4c3e-9f8a-0123456789e2", Title: "evil\x1b]0;x\x07"},
	}}
	streams, _, out, _ := iostreams.Test()
	var o opener
	err := runShow(context.Background(), &showOptions{IO: streams, Keys: openFake[keyGetter](&o, api), Now: func() time.Time { return fakeNow }, Format: fixedFormat(output.Table), Ref: "5f0c"})
	want := "2 API keys have an ID starting with \"5f0c\"; give more of the ID:\n  5f0c1111-2b1d-4c3e-9f8a-0123456789e2  evil\\x1b]0;x\\x07\n  5f0c7a9e-2b1d-4c3e-9f8a-0123456789e1  CI deploy"
	if err == nil || err.Error() != want || exitCode(err) != exitUsage || out.Len() != 0 {
		t.Errorf("show 5f0c: %v (exit %d), stdout %q; want exit 2 and\n%s", err, exitCode(err), out, want)
	}
	if api.lists != 1 || len(api.gets) != 0 {
		t.Errorf("show 5f0c: %d lists, gets %q; want one list", api.lists, api.gets)
	}
}
