package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/output"
	"github.com/k2geospatial/apikeys/internal/sandbox"
)

// fakeSandbox is a sandboxStore that records what a run did with it.
type fakeSandbox struct {
	info         sandbox.Info
	resources    []sandbox.Resource
	resourcesErr error
	resetErr     error

	resets []int
	closed int
}

func (s *fakeSandbox) Info() sandbox.Info { return s.info }
func (s *fakeSandbox) Resources() ([]sandbox.Resource, error) {
	return s.resources, s.resourcesErr
}
func (s *fakeSandbox) Reset(extra int) error {
	s.resets = append(s.resets, extra)
	return s.resetErr
}
func (s *fakeSandbox) Handler() http.Handler { return http.NotFoundHandler() }
func (s *fakeSandbox) Close() error {
	s.closed++
	return nil
}

// fakeSandboxDeps are sandboxDeps opening sb, recording the options of each open; the
// settings name the data file of APIKEYS_SANDBOX_DATA.
func fakeSandboxDeps(sb *fakeSandbox, openErr error, fmtKind output.Format, opened *[]sandbox.Options) (sandboxDeps, *iostreams.IOStreams) {
	streams, _, _, _ := iostreams.Test()
	return sandboxDeps{
		IO:       streams,
		Settings: func() (*config.Settings, error) { return &config.Settings{SandboxData: "/env/sandbox.db"}, nil },
		Format:   fixedFormat(fmtKind),
		Open: func(opts sandbox.Options) (sandboxStore, error) {
			*opened = append(*opened, opts)
			if openErr != nil {
				return nil, openErr
			}
			sb.info.DataPath = opts.Path
			return sb, nil
		},
	}, streams
}

func outputs(streams *iostreams.IOStreams) (string, string) {
	return streams.Out.(fmt.Stringer).String(), streams.ErrOut.(fmt.Stringer).String()
}

// runSandboxReset resets the store it opens (--data, else the settings' data file) with
// --keys, says so on stderr only, and closes it; a failed reset says nothing.
func TestRunSandboxResetWithAFakeStore(t *testing.T) {
	for _, tc := range []struct {
		name     string
		data     string
		keys     int
		resetErr error
		wantPath string
		stderr   string
		err      string
	}{
		{name: "seed only, data from the settings", wantPath: "/env/sandbox.db", stderr: "Sandbox reset (/env/sandbox.db): seeded organization restored.\n"},
		{name: "generated keys, --data", data: "/srv/sb.db", keys: 250, wantPath: "/srv/sb.db", stderr: "Sandbox reset (/srv/sb.db): seeded organization restored with 250 generated keys.\n"},
		{name: "reset fails", keys: 3, resetErr: errors.New("disk full"), wantPath: "/env/sandbox.db", err: "disk full"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sb := &fakeSandbox{resetErr: tc.resetErr}
			var opened []sandbox.Options
			deps, streams := fakeSandboxDeps(sb, nil, output.Table, &opened)
			err := runSandboxReset(context.Background(), &sandboxResetOptions{sandboxDeps: deps, Data: tc.data, Keys: tc.keys})
			if fmt.Sprint(err) != fmt.Sprint(errorOrNil(tc.err)) {
				t.Fatalf("error %v, want %q", err, tc.err)
			}
			out, errOut := outputs(streams)
			if out != "" || errOut != tc.stderr {
				t.Errorf("stdout %q, stderr %q\nwant no stdout, stderr %q", out, errOut, tc.stderr)
			}
			if want := []sandbox.Options{{Path: tc.wantPath}}; !reflect.DeepEqual(opened, want) {
				t.Errorf("opened %+v, want %+v", opened, want)
			}
			if !reflect.DeepEqual(sb.resets, []int{tc.keys}) || sb.closed != 1 {
				t.Errorf("resets %v, closed %d times; want [%d], closed once", sb.resets, sb.closed, tc.keys)
			}
		})
	}
}

func errorOrNil(msg string) error {
	if msg == "" {
		return nil
	}
	return errors.New(msg)
}

// runSandboxInfo prints the seed's organization, password and logins with the data path,
// without opening the store (so it answers while `sandbox serve` holds it);
// runSandboxResources prints what the store gives, in the -o format; a format the command
// cannot print is refused before the store is opened, and a store that cannot be opened is
// the error.
func TestRunSandboxInfoAndResourcesWithAFakeStore(t *testing.T) {
	sb := &fakeSandbox{
		resources: []sandbox.Resource{{ID: "r1", Type: "LAYER", Name: "Roads", OwnerKind: "apikey", OwnerID: "k1", OwnerName: "CI, nightly"}},
	}
	var opened []sandbox.Options
	deps, streams := fakeSandboxDeps(sb, nil, output.JSON, &opened)
	if err := runSandboxInfo(context.Background(), &sandboxInfoOptions{sandboxDeps: deps, Data: "/srv/sb.db"}); err != nil {
		t.Fatal(err)
	}
	wantInfo, err := json.MarshalIndent(sandbox.InfoAt("/srv/sb.db"), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if out, errOut := outputs(streams); out != string(wantInfo)+"\n" || errOut != "" || len(opened) != 0 {
		t.Errorf("info -o json: stdout\n%s\nwant\n%s\nstderr %q; opened %+v, want nothing opened", out, wantInfo, errOut, opened)
	}
	if info := sandbox.InfoAt("/srv/sb.db"); info.DataPath != "/srv/sb.db" || info.OrganizationName != "Acme Geospatial" || len(info.Logins) == 0 {
		t.Errorf("InfoAt = %+v; want the seed organization, its logins and the path", info)
	}

	deps, streams = fakeSandboxDeps(sb, nil, output.CSV, &opened)
	if err := runSandboxResources(context.Background(), &sandboxResourcesOptions{sandboxDeps: deps}); err != nil {
		t.Fatal(err)
	}
	wantCSV := "id,type,name,ownerKind,ownerId,ownerName\nr1,LAYER,Roads,apikey,k1,\"CI, nightly\"\n"
	if out, errOut := outputs(streams); out != wantCSV || errOut != "" {
		t.Errorf("resources -o csv: stdout %q, want %q; stderr %q", out, wantCSV, errOut)
	}
	if want := []sandbox.Options{{Path: "/env/sandbox.db"}}; !reflect.DeepEqual(opened, want) || sb.closed != 1 {
		t.Errorf("opened %+v, closed %d times; want %+v, closed once", opened, sb.closed, want)
	}

	// -o csv for info: refused before anything is opened.
	opened = nil
	deps, _ = fakeSandboxDeps(sb, nil, output.CSV, &opened)
	err = runSandboxInfo(context.Background(), &sandboxInfoOptions{sandboxDeps: deps})
	if err == nil || exitCode(err) != exitUsage || len(opened) != 0 {
		t.Errorf("info -o csv: error %v (exit %d), opened %d times; want a usage error, nothing opened", err, exitCode(err), len(opened))
	}

	// A store that cannot be opened, and a store whose resources cannot be read.
	deps, _ = fakeSandboxDeps(sb, errors.New("data file locked"), output.Table, &opened)
	if err := runSandboxResources(context.Background(), &sandboxResourcesOptions{sandboxDeps: deps}); fmt.Sprint(err) != "data file locked" {
		t.Errorf("open failed: error %v", err)
	}
	broken := &fakeSandbox{resourcesErr: errors.New("corrupt bucket")}
	deps, streams = fakeSandboxDeps(broken, nil, output.Table, &opened)
	err = runSandboxResources(context.Background(), &sandboxResourcesOptions{sandboxDeps: deps})
	if out, _ := outputs(streams); fmt.Sprint(err) != "corrupt bucket" || out != "" || broken.closed != 1 {
		t.Errorf("resources failed: error %v, stdout %q, closed %d times", err, out, broken.closed)
	}
}

// runSandboxServe opens the store with serve's options, prints the URL first on stdout and
// the login on stderr, and once the context is done shuts the server down, says so, closes
// the store and returns nil.
func TestRunSandboxServeWithAFakeStore(t *testing.T) {
	sb := &fakeSandbox{}
	var opened []sandbox.Options
	deps, streams := fakeSandboxDeps(sb, nil, output.Table, &opened)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var addr net.Addr
	opts := &sandboxServeOptions{sandboxDeps: deps, Addr: "127.0.0.1:0", FaultRate: 0.25, faultKinds: []string{"503"}, Seed: 9,
		TokenTTL: 2 * time.Minute, SlowDelay: time.Second, Data: "/srv/sb.db",
		Listen: func(network, address string) (net.Listener, error) {
			ln, err := net.Listen(network, address)
			if err == nil {
				addr = ln.Addr()
			}
			cancel() // Ctrl-C as soon as it listens
			return ln, err
		}}
	if err := runSandboxServe(ctx, opts); err != nil {
		t.Fatal(err)
	}
	want := []sandbox.Options{{Path: "/srv/sb.db", TokenTTL: 2 * time.Minute, Faults: sandbox.Faults{Rate: 0.25, Kinds: []string{"503"}, Seed: 9, SlowDelay: time.Second}}}
	if !reflect.DeepEqual(opened, want) || sb.closed != 1 {
		t.Errorf("opened %+v, closed %d times; want %+v, closed once", opened, sb.closed, want)
	}
	out, errOut := outputs(streams)
	wantErr := fmt.Sprintf("Sandbox serving %s (data /srv/sb.db). Log in as admin@acme.example / sandbox-password, or see `apikeys sandbox info`. Ctrl-C stops it.\nSandbox stopped.\n", addr)
	if out != "http://"+addr.String()+"\n" || errOut != wantErr {
		t.Errorf("stdout %q, stderr %q\nwant stdout %q, stderr %q", out, errOut, "http://"+addr.String()+"\n", wantErr)
	}

	// A port that cannot be listened on: the error names it, nothing is printed, the store
	// is closed.
	sb = &fakeSandbox{}
	deps, streams = fakeSandboxDeps(sb, nil, output.Table, &opened)
	opts = &sandboxServeOptions{sandboxDeps: deps, Addr: "127.0.0.1:1",
		Listen: func(string, string) (net.Listener, error) { return nil, errors.New("address already in use") }}
	err := runSandboxServe(context.Background(), opts)
	if out, errOut := outputs(streams); fmt.Sprint(err) != "cannot listen on 127.0.0.1:1: address already in use" || out != "" || errOut != "" || sb.closed != 1 {
		t.Errorf("listen failed: error %v, stdout %q, stderr %q, closed %d times", err, out, errOut, sb.closed)
	}
}

// `sandbox info` answers while another process (here: this one) holds the data file, as
// `sandbox serve` does; `sandbox resources` needs the store and says it is in use.
func TestSandboxInfoWhileTheDataFileIsHeld(t *testing.T) {
	ts := newTestSandbox(t)
	path := ts.sb.Info().DataPath
	code, out, errOut := ts.run("sandbox", "info", "--data", path, "-o", "json")
	want, err := json.MarshalIndent(sandbox.InfoAt(path), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if code != 0 || out != string(want)+"\n" || errOut != "" {
		t.Errorf("sandbox info on a held file: exit %d, stdout\n%s\nstderr %q; want exit 0 and\n%s", code, out, errOut, want)
	}
	code, _, errOut = ts.run("sandbox", "resources", "--data", path)
	if code != exitError || !strings.Contains(errOut, "is in use by another process") {
		t.Errorf("sandbox resources on a held file: exit %d, stderr %q; want exit %d saying the file is in use", code, errOut, exitError)
	}
}
