package cli

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/output"
	"github.com/k2geospatial/apikeys/internal/prompt"
)

var createUnderTest = cmdUnderTest[createOptions]{
	build: newCreateCmd,
	flagFields: func(o createOptions) createOptions {
		o.IO, o.Keys, o.Prompter, o.Clipboard, o.Now, o.Format, o.Printer = nil, nil, nil, nil, nil, nil, nil
		o.Script.context = nil // the command's context, injected
		return o
	},
	format: func(o *createOptions) func() (output.Format, error) { return o.Format },
}

const createCSVMsg = "create prints table, json or yaml, not csv: use -o json (the row and its secret), or no -o to get the secret alone on stdout"

func TestNewCmdCreate(t *testing.T) {
	const clear = 45 * time.Second // --clear-after's default
	full := createOptions{Title: "CI deploy", Role: "editor", Expires: "90d", ClearAfter: clear}
	testNewCmd(t, createUnderTest, []flagRow[createOptions]{
		{name: "defaults", tty: true, argv: []string{"create"}, want: createOptions{ClearAfter: clear}, format: "table"},
		// What is missing is asked for or refused in the run, terminal or not.
		{name: "nothing given on a terminal", argv: []string{"create"}, tty: true, want: createOptions{ClearAfter: clear}},
		{name: "title argument", argv: []string{"create", "CI deploy", "--role", "editor", "--expires", "90d"}, want: full},
		{name: "title flag", argv: []string{"create", "--title", "CI deploy", "--role", "editor", "--expires", "90d"}, want: full},
		{name: "title twice, the same", argv: []string{"create", "CI deploy", "--title", "CI deploy", "--role", "editor", "--expires", "90d"}, want: full},
		{name: "flags as given, checked in the run", argv: []string{"create", "x", "--role", "ORG_VIEWER", "--expires", "2027-01-31"},
			want: createOptions{Title: "x", Role: "ORG_VIEWER", Expires: "2027-01-31", ClearAfter: clear}},
		{name: "a title argument with spaces around it", tty: true, argv: []string{"create", " padded "}, want: createOptions{Title: " padded ", ClearAfter: clear}},
		{name: "secret-file", tty: true, argv: []string{"create", "--secret-file", "./k.key"}, want: createOptions{SecretFile: "./k.key", ClearAfter: clear}},
		{name: "copy", tty: true, argv: []string{"create", "--copy"}, want: createOptions{Copy: true, ClearAfter: clear}},
		{name: "copy=y", tty: true, argv: []string{"create", "--copy=y"}, want: createOptions{Copy: true, ClearAfter: clear}},
		{name: "no-copy", tty: true, argv: []string{"create", "--no-copy"}, want: createOptions{NoCopy: true, ClearAfter: clear}},
		{name: "copy=false does not contradict no-copy", tty: true, argv: []string{"create", "--copy=false", "--no-copy"}, want: createOptions{NoCopy: true, ClearAfter: clear}},
		{name: "clear-after", tty: true, argv: []string{"create", "--clear-after", "2min"}, want: createOptions{ClearAfter: 2 * time.Minute}},
		{name: "clear-after 0", tty: true, argv: []string{"create", "--clear-after=0"}, want: createOptions{}},
		{name: "output csv", argv: []string{"create", "-o", "csv"}, tty: true, err: createCSVMsg, kind: errkind.Usage, code: exitUsage},
		{name: "missing values without a terminal", argv: []string{"create", " padded "}, err: "missing --role, --expires: no terminal to ask on, so pass --role and --expires", kind: errkind.Usage, code: exitUsage},

		{name: "copy and no-copy", argv: []string{"create", "--copy", "--no-copy"},
			err: "--copy and --no-copy contradict each other: give one", kind: errkind.Usage, code: exitUsage},
		{name: "copy=yes and no-copy=1", argv: []string{"create", "--copy=yes", "--no-copy=1"},
			err: "--copy and --no-copy contradict each other: give one", kind: errkind.Usage, code: exitUsage},
		{name: "title twice, different", argv: []string{"create", "a", "--title", "b"},
			err: `the title was given twice ("a" and --title "b"): give one`, kind: errkind.Usage, code: exitUsage},
		{name: "empty title argument", argv: []string{"create", ""},
			err: "an empty TITLE (an unset shell variable?): give the new key's title", kind: errkind.Usage, code: exitUsage},
		{name: "blank title argument", argv: []string{"create", "  ", "--role", "editor"},
			err: "an empty TITLE (an unset shell variable?): give the new key's title", kind: errkind.Usage, code: exitUsage},
		{name: "two arguments", argv: []string{"create", "CI", "deploy"},
			err: "create takes at most one TITLE (the new key's title), not 2 arguments: quote a title that has spaces", kind: errkind.Usage, code: exitUsage},
		{name: "empty title flag", argv: []string{"create", "--title", ""}, err: emptyFlagMsg("title"), kind: errkind.Usage, code: exitUsage},
		{name: "empty role", argv: []string{"create", "x", "--role="}, err: emptyFlagMsg("role"), kind: errkind.Usage, code: exitUsage},
		{name: "empty expires", argv: []string{"create", "x", "--expires", ""}, err: emptyFlagMsg("expires"), kind: errkind.Usage, code: exitUsage},
		{name: "empty secret-file", argv: []string{"create", "x", "--secret-file", ""}, err: emptyFlagMsg("secret-file"), kind: errkind.Usage, code: exitUsage},
		{name: "empty clear-after", argv: []string{"create", "--clear-after", ""}, err: emptyFlagMsg("clear-after"), kind: errkind.Usage, code: exitUsage},
		{name: "clear-after in m", argv: []string{"create", "--clear-after", "1m"},
			err: `invalid --clear-after "1m": m could mean minutes or months: write min for minutes, or days such as 30d`, kind: errkind.Usage, code: exitUsage},
		{name: "clear-after not a duration", argv: []string{"create", "--clear-after", "banana"},
			err: `invalid --clear-after "banana": ` + msgNotADuration, kind: errkind.Usage, code: exitUsage},
		{name: "copy=sometimes", argv: []string{"create", "--copy=sometimes"}, err: invalidBoolMsg("copy", "sometimes"), kind: errkind.Usage, code: exitUsage},
	})
}

// runCreate against a fake keys API and clipboard: input it refuses costs no key and opens
// no session; without a terminal stdout carries the secret alone and nothing is copied
// unless --copy; on a terminal the secret is copied unless --no-copy, and the clear is
// scheduled after --clear-after.
func TestRunCreateWithAFakeAPI(t *testing.T) {
	isolateConfig(t, nil) // a created key forgets the completion cache
	const secret = "sk-0123456789abcdef"
	type result struct {
		out, errOut string
		err         error
		opened      int
		api         *fakeAPI
		clip        clipboardRecord
	}
	run := func(opts createOptions, tty bool, fmtKind output.Format) result {
		t.Helper()
		streams, _, out, errOut := iostreams.Test()
		streams.SetTTY(tty, tty, tty)
		api := &fakeAPI{secret: secret}
		var o opener
		clip := &fakeClipboard{}
		opts.IO, opts.Now, opts.Format, opts.Clipboard = streams, func() time.Time { return fakeNow }, fixedFormat(fmtKind), clip
		opts.Keys = openFake[keyCreator](&o, api)
		opts.Prompter = func() prompt.Prompter { t.Error("a prompt was asked for"); return noTerminal{} }
		err := runCreate(context.Background(), &opts)
		return result{out.String(), errOut.String(), err, o.opened, api, clip.record()}
	}
	refused := func(name string, r result, want string) {
		t.Helper()
		if r.err == nil || r.err.Error() != want || exitCode(r.err) != exitUsage || r.opened != 0 || len(r.api.creates) != 0 || r.out != "" {
			t.Errorf("%s: %v (exit %d), opened %d, created %d, stdout %q\nwant %q, exit 2, nothing opened or created", name, r.err, exitCode(r.err), r.opened, len(r.api.creates), r.out, want)
		}
	}
	full := createOptions{Title: " CI deploy ", Role: "manager", Expires: "90d", ClearAfter: 45 * time.Second}

	refused("-o csv", run(full, false, output.CSV),
		createCSVMsg)
	refused("missing role and expires, no terminal", run(createOptions{Title: "x"}, false, output.Table),
		"missing --role, --expires: no terminal to ask on, so pass --role and --expires")
	past := full
	past.Expires = "2020-01-01"
	refused("expiry in the past", run(past, false, output.Table),
		"invalid --expires: the expiration 2020-01-01T00:00:00Z is in the past: give a future date (YYYY-MM-DD) or a duration such as 90d")
	badRole := full
	badRole.Role = "owner"
	if r := run(badRole, false, output.Table); exitCode(r.err) != exitUsage || r.opened != 0 {
		t.Errorf("--role owner: %v (exit %d), opened %d; want exit 2, nothing opened", r.err, exitCode(r.err), r.opened)
	}

	r := run(full, false, output.Table)
	wantReq := []jmapcloud.CreateAPIKeyRequest{{Title: "CI deploy", Role: jmapcloud.RoleEditor, ExpirationDate: fakeNow.Add(90 * 24 * time.Hour)}}
	if r.err != nil || r.out != secret+"\n" || !reflect.DeepEqual(r.api.creates, wantReq) || strings.Contains(r.errOut, secret) ||
		!reflect.DeepEqual(r.clip, clipboardRecord{}) {
		t.Errorf("no terminal: %v\ncreated %+v, want %+v\nstdout %q, want the secret alone\nstderr %q\nclipboard %+v, want nothing", r.err, r.api.creates, wantReq, r.out, r.errOut, r.clip)
	}

	withCopy := full
	withCopy.Copy, withCopy.ClearAfter = true, 2*time.Minute
	r = run(withCopy, false, output.Table)
	if want := (clipboardRecord{Copies: []string{secret}, Clears: []scheduledClear{{secret, 2 * time.Minute}}}); r.err != nil || !reflect.DeepEqual(r.clip, want) {
		t.Errorf("--copy --clear-after 2min without a terminal: %v, clipboard %+v, want %+v", r.err, r.clip, want)
	}

	r = run(full, true, output.Table)
	if want := (clipboardRecord{Copies: []string{secret}, Clears: []scheduledClear{{secret, 45 * time.Second}}}); r.err != nil || !reflect.DeepEqual(r.clip, want) {
		t.Errorf("on a terminal: %v, clipboard %+v, want %+v", r.err, r.clip, want)
	}
	noCopy := full
	noCopy.NoCopy = true
	if r = run(noCopy, true, output.Table); r.err != nil || !reflect.DeepEqual(r.clip, clipboardRecord{}) {
		t.Errorf("--no-copy on a terminal: %v, clipboard %+v, want nothing", r.err, r.clip)
	}
	noClear := full
	noClear.ClearAfter = 0
	if r = run(noClear, true, output.Table); r.err != nil || !reflect.DeepEqual(r.clip, clipboardRecord{Copies: []string{secret}}) {
		t.Errorf("--clear-after 0 on a terminal: %v, clipboard %+v, want one copy and no clear", r.err, r.clip)
	}
}

// A key the server created with another role or expiry than asked fails the command (exit 1)
// once the secret is delivered: the secret exists only now, and the error says how to check
// and delete the key. A server rounding the expiry within a day is the key asked for.
func TestCreateRefusesAKeyOtherThanAsked(t *testing.T) {
	isolateConfig(t, nil)
	const secret = "sk-0123456789abcdef"
	asked := fakeNow.Add(7 * 24 * time.Hour)
	for _, tc := range []struct {
		name    string
		created func(*jmapcloud.APIKey)
		err     string
	}{
		{name: "as asked", created: func(*jmapcloud.APIKey) {}},
		{name: "expiry rounded to the day", created: func(k *jmapcloud.APIKey) { k.ExpirationDate = asked.Truncate(24 * time.Hour) }},
		{name: "an editor for a viewer", created: func(k *jmapcloud.APIKey) { k.Role = jmapcloud.RoleEditor },
			err: "the server created API key k-new with role editor, not viewer as asked\ncheck it with `apikeys show k-new`; delete it with `apikeys delete k-new` if it is not what you want"},
		{name: "a longer life", created: func(k *jmapcloud.APIKey) { k.ExpirationDate = asked.Add(365 * 24 * time.Hour) },
			err: "the server created API key k-new with expiry 2027-03-08T12:00:00Z, not 2026-03-08T12:00:00Z as asked\ncheck it with `apikeys show k-new`; delete it with `apikeys delete k-new` if it is not what you want"},
		{name: "both", created: func(k *jmapcloud.APIKey) {
			k.Role = jmapcloud.RoleEditor
			k.ExpirationDate = asked.Add(-48 * time.Hour)
		},
			err: "the server created API key k-new with role editor, not viewer and expiry 2026-03-06T12:00:00Z, not 2026-03-08T12:00:00Z as asked\ncheck it with `apikeys show k-new`; delete it with `apikeys delete k-new` if it is not what you want"},
	} {
		streams, _, out, _ := iostreams.Test()
		api := &fakeAPI{secret: secret, created: tc.created}
		var o opener
		opts := createOptions{Title: "CI", Role: "viewer", Expires: "7d", IO: streams, Now: func() time.Time { return fakeNow },
			Format: fixedFormat(output.Table), Clipboard: &fakeClipboard{}, Keys: openFake[keyCreator](&o, api)}
		err := runCreate(context.Background(), &opts)
		if out.String() != secret+"\n" {
			t.Errorf("%s: stdout %q, want the secret delivered whatever follows", tc.name, out.String())
		}
		switch tc.err {
		case "":
			if err != nil {
				t.Errorf("%s: %v, want success", tc.name, err)
			}
		default:
			if err == nil || err.Error() != tc.err || exitCode(err) != exitError {
				t.Errorf("%s: %v (exit %d)\nwant exit 1: %s", tc.name, err, exitCode(err), tc.err)
			}
		}
	}
}
