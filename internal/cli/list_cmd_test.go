package cli

import (
	"context"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/output"
)

var listUnderTest = cmdUnderTest[listOptions]{
	build: newListCmd,
	flagFields: func(o listOptions) listOptions {
		o.IO, o.Keys, o.Now, o.Format = nil, nil, nil, nil
		o.Script.context = nil // the command's context, injected
		o.Printer = nil        // the language of the environment, f.Printer()'s
		return o
	},
	format: func(o *listOptions) func() (output.Format, error) { return o.Format },
}

func TestNewCmdList(t *testing.T) {
	const day = 24 * time.Hour
	testNewCmd(t, listUnderTest, []flagRow[listOptions]{
		{name: "defaults", argv: []string{"list"}, want: listOptions{}, format: "table"},
		{name: "jq", argv: []string{"list", "--jq", ".[].id"}, want: listOptions{Script: scriptFlags{JQ: ".[].id"}}},
		{name: "template", argv: []string{"list", "--template", "{{len .}}"}, want: listOptions{Script: scriptFlags{Template: "{{len .}}"}}},
		{name: "jq with -o json", argv: []string{"list", "--jq", ".", "-o", "json"}, want: listOptions{Script: scriptFlags{JQ: "."}}, format: "json"},
		// A filter reads the JSON output: a typed -o of another format would be silently ignored.
		{name: "jq with -o yaml", argv: []string{"list", "--jq", ".", "-o", "yaml"}, err: "--jq and -o yaml contradict each other: --jq reads the JSON output; drop -o", kind: errkind.Usage, code: exitUsage},
		{name: "template with -o csv", argv: []string{"list", "-o", "csv", "--template", "x"}, err: "--template and -o csv contradict each other: --template reads the JSON output; drop -o", kind: errkind.Usage, code: exitUsage},
		{name: "jq and template", argv: []string{"list", "--jq", ".", "--template", "x"}, err: "--jq and --template contradict each other: give one", kind: errkind.Usage, code: exitUsage},
		{name: "an empty jq", argv: []string{"list", "--jq", ""}, err: emptyFlagMsg("jq"), kind: errkind.Usage, code: exitUsage},
		// APIKEYS_OUTPUT is a default, which the filter overrides.
		{name: "jq over APIKEYS_OUTPUT", argv: []string{"list", "--jq", "."}, env: map[string]string{"APIKEYS_OUTPUT": "yaml"}, want: listOptions{Script: scriptFlags{JQ: "."}}, format: "yaml"},
		{name: "alias ls", argv: []string{"ls"}, want: listOptions{}},
		{name: "terminal changes nothing at flag time", argv: []string{"list"}, tty: true, want: listOptions{}, format: "table"},
		{name: "columns", argv: []string{"list", "--columns", "title,role"}, want: listOptions{Columns: "title,role", columnsGiven: true}},
		{name: "columns all", argv: []string{"list", "--columns=all"}, want: listOptions{Columns: "all", columnsGiven: true}},
		{name: "hide", argv: []string{"list", "--hide", "email,creator"}, want: listOptions{Hide: "email,creator"}},
		{name: "sort", argv: []string{"list", "--sort", "-expires,title"}, want: listOptions{Sort: "-expires,title"}},
		{name: "spaces after the commas", argv: []string{"list", "--columns", "title, id", "--sort", "title, -expires"},
			want: listOptions{Columns: "title, id", Sort: "title, -expires", columnsGiven: true}},
		{name: "one filter", argv: []string{"list", "--filter", "role=editor"}, want: listOptions{Filters: []string{"role=editor"}}},
		{name: "filters repeat and keep their commas", argv: []string{"list", "--filter", "title~a,b", "--filter", "expires<30d"},
			want: listOptions{Filters: []string{"title~a,b", "expires<30d"}}},
		{name: "expired", argv: []string{"list", "--expired"}, want: listOptions{Expired: true}},
		{name: "expired=yes", argv: []string{"list", "--expired=yes"}, want: listOptions{Expired: true}},
		{name: "expired=OFF", argv: []string{"list", "--expired=OFF"}, want: listOptions{}},
		{name: "expiring-within", argv: []string{"list", "--expiring-within", "30d"}, want: listOptions{ExpiringWithin: 30 * day, withinGiven: true}},
		{name: "expiring-within 0 is given", argv: []string{"list", "--expiring-within=0"}, want: listOptions{withinGiven: true}},
		{name: "expiring-within in minutes", argv: []string{"list", "--expiring-within", "90min"}, want: listOptions{ExpiringWithin: 90 * time.Minute, withinGiven: true}},
		{name: "expired=false does not contradict", argv: []string{"list", "--expired=false", "--expiring-within", "2w"},
			want: listOptions{ExpiringWithin: 14 * day, withinGiven: true}},
		{name: "no-headers", argv: []string{"list", "--no-headers"}, want: listOptions{NoHeaders: true}},
		{name: "output json", argv: []string{"list", "-o", "json"}, want: listOptions{}, format: "json"},
		{name: "output from the environment", argv: []string{"list"}, env: map[string]string{"APIKEYS_OUTPUT": "yaml"}, want: listOptions{}, format: "yaml"},
		{name: "flag beats the environment", argv: []string{"list", "--output", "csv"}, env: map[string]string{"APIKEYS_OUTPUT": "yaml"}, want: listOptions{}, format: "csv"},
		// A typed -o that is no format is refused for every command, before any run.
		{name: "unknown output", argv: []string{"list", "-o", "xml"}, err: `unknown output format "xml" (valid: table, json, yaml, csv, tsv)`, kind: errkind.Usage, code: exitUsage},
		{name: "unknown output from the environment reaches the run", argv: []string{"list"}, env: map[string]string{"APIKEYS_OUTPUT": "xml"}, want: listOptions{},
			format: `error: unknown output format "xml" (valid: table, json, yaml, csv, tsv)`},
		{name: "empty filter", argv: []string{"list", "--filter", ""}, err: emptyFlagMsg("filter"), kind: errkind.Usage, code: exitUsage},
		{name: "blank filter after a good one", argv: []string{"list", "--filter", "role=editor", "--filter= "}, err: emptyFlagMsg("filter"), kind: errkind.Usage, code: exitUsage},

		{name: "expired and expiring-within", argv: []string{"list", "--expired", "--expiring-within", "30d"},
			err: "--expired and --expiring-within contradict each other: give one", kind: errkind.Usage, code: exitUsage},
		{name: "empty columns", argv: []string{"list", "--columns", ""}, err: emptyFlagMsg("columns"), kind: errkind.Usage, code: exitUsage},
		{name: "blank sort", argv: []string{"list", "--sort= "}, err: emptyFlagMsg("sort"), kind: errkind.Usage, code: exitUsage},
		{name: "empty hide", argv: []string{"list", "--hide="}, err: emptyFlagMsg("hide"), kind: errkind.Usage, code: exitUsage},
		{name: "empty expiring-within", argv: []string{"list", "--expiring-within", ""}, err: emptyFlagMsg("expiring-within"), kind: errkind.Usage, code: exitUsage},
		{name: "expiring-within in m", argv: []string{"list", "--expiring-within", "5m"}, err: `invalid --expiring-within "5m": m could mean minutes or months: write min for minutes, or days such as 30d`, kind: errkind.Usage, code: exitUsage},
		{name: "expiring-within not a duration", argv: []string{"list", "--expiring-within", "soon"}, err: `invalid --expiring-within "soon": ` + msgNotADuration, kind: errkind.Usage, code: exitUsage},
		{name: "expired=maybe", argv: []string{"list", "--expired=maybe"}, err: invalidBoolMsg("expired", "maybe"), kind: errkind.Usage, code: exitUsage},
		{name: "an argument", argv: []string{"list", "CI"}, err: strayArgMsg("CI", "apikeys list") +
			"\nto list the keys whose title contains it: apikeys list --filter title~CI\nto see one key: apikeys show CI", kind: errkind.Usage, code: exitUsage},
		{name: "columns with an empty name", argv: []string{"list", "--columns", "title,,id"},
			err: `invalid --columns "title,,id": an empty name in the list (an unset shell variable?): write --columns title,id`, kind: errkind.Usage, code: exitUsage},
		{name: "hide with only commas", argv: []string{"list", "--hide", ", ,"},
			err: `invalid --hide ", ,": no name in it (an unset shell variable?): give names separated by commas`, kind: errkind.Usage, code: exitUsage},
		{name: "sort separated by spaces", argv: []string{"list", "--sort", "-expires title"},
			err: `invalid --sort "-expires title": separate the names with commas, not spaces: write --sort -expires,title`, kind: errkind.Usage, code: exitUsage},
		{name: "unknown flag", argv: []string{"list", "--colums", "id"}, err: "unknown flag: --colums\ndid you mean --columns?", kind: errkind.Usage, code: exitUsage},
		{name: "short flag that is not", argv: []string{"list", "-c", "id"}, err: "unknown shorthand flag: 'c' in -c", kind: errkind.Usage, code: exitUsage},
	})
}

// runList against a fake keys API: the shortcuts filter as their documented filters do on
// the run's clock, and a bad format, column, sort or filter is refused before the API is
// opened.
func TestRunListWithAFakeAPI(t *testing.T) {
	run := func(opts listOptions, fmtKind output.Format) (string, string, int, error) {
		t.Helper()
		streams, _, out, errOut := iostreams.Test()
		var o opener
		opts.IO, opts.Now, opts.Format = streams, func() time.Time { return fakeNow }, fixedFormat(fmtKind)
		opts.Keys = openFake[keyPageLister](&o, &fakeAPI{keys: fakeKeys()})
		err := runList(context.Background(), &opts)
		return out.String(), errOut.String(), o.opened, err
	}
	for _, tc := range []struct {
		name string
		opts listOptions
		want string
	}{
		{"every key, by expiry", listOptions{Columns: "title,status", columnsGiven: true}, "title,status\nold export,expired\nQGIS plugin,expiring\nCI deploy,active\n"},
		{"expired", listOptions{Columns: "title", columnsGiven: true, Expired: true}, "title\nold export\n"},
		{"expiring within 30d", listOptions{Columns: "title", columnsGiven: true, ExpiringWithin: 30 * 24 * time.Hour, withinGiven: true}, "title\nQGIS plugin\n"},
		{"expiring within 0: nothing not yet expired", listOptions{Columns: "title", columnsGiven: true, withinGiven: true}, "title\n"},
		{"a filter, no headers, sorted by title descending, whatever the case", listOptions{Columns: "id", columnsGiven: true, NoHeaders: true, Sort: "-title", Filters: []string{"role=viewer"}},
			"22222222-2222-4222-8222-222222222222\n33333333-3333-4333-8333-333333333333\n"},
	} {
		out, errOut, _, err := run(tc.opts, output.CSV)
		if err != nil || out != tc.want || errOut != "" {
			t.Errorf("%s: %v\nstdout:\n%s\nwant:\n%s\nstderr %q", tc.name, err, out, tc.want, errOut)
		}
	}

	badFormat := func() (output.Format, error) { return output.ParseFormat("xml") }
	for _, tc := range []struct {
		name string
		opts listOptions
	}{
		{"unknown column", listOptions{Columns: "colour"}},
		{"unknown sort key", listOptions{Sort: "size"}},
		{"empty filter", listOptions{Filters: []string{""}}},
		{"bad filter", listOptions{Filters: []string{"expires<soon"}}},
	} {
		out, _, opened, err := run(tc.opts, output.Table)
		if exitCode(err) != exitUsage || out != "" || opened != 0 {
			t.Errorf("%s: %v (exit %d), stdout %q, API opened %d times; want exit 2 before opening it", tc.name, err, exitCode(err), out, opened)
		}
	}
	streams, _, _, _ := iostreams.Test()
	var o opener
	err := runList(context.Background(), &listOptions{IO: streams, Now: func() time.Time { return fakeNow }, Format: badFormat, Keys: openFake[keyPageLister](&o, &fakeAPI{})})
	if exitCode(err) != exitUsage || o.opened != 0 {
		t.Errorf("-o xml: %v (exit %d), API opened %d times; want exit 2 before opening it", err, exitCode(err), o.opened)
	}
}
