package cli

import (
	"context"
	"testing"

	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/output"
)

var membersUnderTest = cmdUnderTest[membersOptions]{
	build: newMembersCmd,
	flagFields: func(o membersOptions) membersOptions {
		o.IO, o.API, o.Format = nil, nil, nil
		o.Script.context = nil // the command's context, injected
		o.Printer = nil        // the language of the environment, f.Printer()'s
		return o
	},
	format: func(o *membersOptions) func() (output.Format, error) { return o.Format },
}

func TestNewCmdMembers(t *testing.T) {
	testNewCmd(t, membersUnderTest, []flagRow[membersOptions]{
		{name: "defaults", argv: []string{"members"}, want: membersOptions{}, format: "table"},
		{name: "on a terminal", argv: []string{"members"}, tty: true, want: membersOptions{}},
		{name: "role", argv: []string{"members", "--role", "editor"}, want: membersOptions{Role: "editor"}},
		// The role is read in the run (memberRoleFilter), so any word reaches it.
		{name: "an unknown role reaches the run", argv: []string{"members", "--role", "owner"}, want: membersOptions{Role: "owner"}},
		{name: "no-headers", argv: []string{"members", "--no-headers"}, want: membersOptions{NoHeaders: true}},
		{name: "no-headers=TRUE", argv: []string{"members", "--no-headers=TRUE"}, want: membersOptions{NoHeaders: true}},
		{name: "output tsv", argv: []string{"members", "-o", "tsv"}, want: membersOptions{}, format: "tsv"},

		{name: "empty role", argv: []string{"members", "--role", ""}, err: emptyFlagMsg("role"), kind: errkind.Usage, code: exitUsage},
		{name: "an argument", argv: []string{"members", "editor"}, err: strayArgMsg("editor", "apikeys members") + "\nto list the members holding a role: apikeys members --role editor", kind: errkind.Usage, code: exitUsage},
		{name: "no-headers=2", argv: []string{"members", "--no-headers=2"}, err: invalidBoolMsg("no-headers", "2"), kind: errkind.Usage, code: exitUsage},
		{name: "empty output", argv: []string{"members", "-o", ""}, err: emptyFlagMsg("output"), kind: errkind.Usage, code: exitUsage},
	})
}

// runMembers against a fake members API: --role keeps the holders of the role (an admin is
// an editor too), the list is sorted by name whatever the case, a member without roles has
// an empty list in JSON, and a bad --role is refused before the API is opened.
func TestRunMembersWithAFakeAPI(t *testing.T) {
	api := &fakeAPI{members: []jmapcloud.Member{
		{ID: "m3", Name: "viewer Val", Email: "val@acme.example", Roles: []string{jmapcloud.RoleViewer}},
		{ID: "m2", Name: "Erin Editor", Email: "erin@acme.example", Roles: []string{jmapcloud.RoleEditor}},
		{ID: "m1", Name: "ada Admin", Email: "ada@acme.example", Roles: []string{jmapcloud.RoleAdmin, jmapcloud.RoleEditor}},
		{ID: "m4", Name: "Nobody", Email: "no@acme.example"},
	}}
	run := func(role string, fmtKind output.Format) (string, string, int, error) {
		streams, _, out, errOut := iostreams.Test()
		var o opener
		err := runMembers(context.Background(), &membersOptions{IO: streams, Format: fixedFormat(fmtKind),
			API: openFake[memberLister](&o, api), Role: role})
		return out.String(), errOut.String(), o.opened, err
	}

	out, errOut, _, err := run("EDITOR", output.CSV)
	want := "id,name,email,roles\n" +
		"m1,ada Admin,ada@acme.example,\"ORG_ADMIN,ORG_EDITOR\"\n" +
		"m2,Erin Editor,erin@acme.example,ORG_EDITOR\n"
	if err != nil || out != want || errOut != "" {
		t.Errorf("--role EDITOR -o csv: %v\nstdout:\n%s\nwant:\n%s\nstderr %q", err, out, want, errOut)
	}

	out, _, _, err = run("", output.JSON)
	want = `[
  {
    "id": "m1",
    "name": "ada Admin",
    "email": "ada@acme.example",
    "roles": [
      "ORG_ADMIN",
      "ORG_EDITOR"
    ]
  },
  {
    "id": "m2",
    "name": "Erin Editor",
    "email": "erin@acme.example",
    "roles": [
      "ORG_EDITOR"
    ]
  },
  {
    "id": "m4",
    "name": "Nobody",
    "email": "no@acme.example",
    "roles": []
  },
  {
    "id": "m3",
    "name": "viewer Val",
    "email": "val@acme.example",
    "roles": [
      "ORG_VIEWER"
    ]
  }
]
`
	if err != nil || out != want {
		t.Errorf("-o json: %v\nstdout:\n%s\nwant:\n%s", err, out, want)
	}

	out, _, opened, err := run("owner", output.Table)
	if want := `invalid role "owner": use admin, editor or viewer (or administrateur, éditeur, lecteur)`; err == nil || err.Error() != want || exitCode(err) != exitUsage || out != "" || opened != 0 {
		t.Errorf("--role owner: %v (exit %d), stdout %q, API opened %d times; want %q, exit 2, nothing opened", err, exitCode(err), out, opened, want)
	}
}
