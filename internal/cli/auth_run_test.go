package cli

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/output"
	"github.com/k2geospatial/apikeys/internal/prompt"
	"github.com/k2geospatial/apikeys/internal/session"
)

// fakeSessions is an authSessions that answers as told and records what it was asked: the
// credentials a login's request gave, and the organization it chose.
type fakeSessions struct {
	orgs      []jmapcloud.Organization // offered to the login's ChooseOrg, when it has one
	loginRes  *session.LoginResult
	loginErr  error
	logoutRes *session.LogoutResult
	logoutErr error
	status    session.Status
	statusErr error

	calls              []string
	username, password string
	couldChoose        bool
	chosen             jmapcloud.Organization
}

func (f *fakeSessions) Login(_ context.Context, s *config.Settings, req session.LoginRequest) (*session.LoginResult, error) {
	f.calls = append(f.calls, "login "+s.Profile)
	var err error
	if f.username, f.password, err = req.Credentials(); err != nil {
		return nil, err
	}
	f.couldChoose = req.ChooseOrg != nil
	if f.couldChoose && len(f.orgs) > 0 {
		if f.chosen, err = req.ChooseOrg(f.orgs); err != nil {
			return nil, err
		}
	}
	return f.loginRes, f.loginErr
}

func (f *fakeSessions) Logout(_ context.Context, s *config.Settings) (*session.LogoutResult, error) {
	f.calls = append(f.calls, "logout "+s.Profile)
	return f.logoutRes, f.logoutErr
}

func (f *fakeSessions) Status(s *config.Settings) (session.Status, error) {
	f.calls = append(f.calls, "status "+s.Profile)
	return f.status, f.statusErr
}

// fakeAuthDeps are authOptions on test streams (terminals or not), the settings s, the
// sessions fake and the scripted prompter p (nil: a prompt fails the test).
func fakeAuthDeps(t *testing.T, tty bool, s *config.Settings, fake *fakeSessions, p *prompt.Scripted) (authOptions, *iostreams.IOStreams) {
	streams, _, _, _ := iostreams.Test()
	streams.SetTTY(tty, tty, tty)
	return authOptions{
		IO:       streams,
		Settings: func() (*config.Settings, error) { return s, nil },
		Sessions: func() authSessions { return fake },
		Prompter: func() prompt.Prompter {
			if p == nil {
				t.Error("a prompt was asked for")
				return prompt.NewScripted()
			}
			return p
		},
		Now: func() time.Time { return fakeNow },
	}, streams
}

var (
	fakeAcme  = jmapcloud.Organization{ID: "o1", Name: "Acme"}
	fakeBeta  = jmapcloud.Organization{ID: "o2", Name: "Beta"}
	fakeAdmin = jmapcloud.Member{ID: "m1", Email: "ada@acme.example", Roles: []string{jmapcloud.RoleAdmin, jmapcloud.RoleEditor}}
)

func fakeLoginResult(org jmapcloud.Organization, member *jmapcloud.Member) *session.LoginResult {
	return &session.LoginResult{
		Session:     config.Session{APIURL: "https://api.example.com"},
		SessionFile: "/cfg/sessions/qa.json",
		User:        jmapcloud.User{Email: "ada@acme.example"},
		Org:         org,
		Member:      member,
	}
}

// runAuthLogin gathers the credentials (flags, standard input, the environment, prompts),
// lets a person choose the organization only on a terminal, and reports the result on
// stderr: silent in a script unless something needs saying.
func TestRunAuthLoginWithFakeSessions(t *testing.T) {
	viewer := &jmapcloud.Member{ID: "m3", Roles: []string{jmapcloud.RoleViewer}}
	for _, tc := range []struct {
		name     string
		tty      bool
		settings config.Settings
		opts     authLoginOptions
		stdin    string
		answers  []any
		fake     fakeSessions

		wantUser, wantPassword string
		wantChoose             bool
		wantChosen             jmapcloud.Organization
		asked                  []string
		stderr                 string
		err                    string
	}{
		{name: "a script: --username and --password-stdin", opts: authLoginOptions{Username: " ada@acme.example ", PasswordStdin: true}, stdin: "s3cret\r\n",
			fake:     fakeSessions{orgs: []jmapcloud.Organization{fakeAcme, fakeBeta}, loginRes: fakeLoginResult(fakeAcme, &fakeAdmin)},
			wantUser: "ada@acme.example", wantPassword: "s3cret"},
		{name: "a script: the environment's username and password", settings: config.Settings{Username: "ada@acme.example", Password: "env-pw"},
			fake:     fakeSessions{loginRes: fakeLoginResult(fakeAcme, &fakeAdmin)},
			wantUser: "ada@acme.example", wantPassword: "env-pw"},
		{name: "a script: a viewer is warned", settings: config.Settings{Username: "ada@acme.example", Password: "env-pw"},
			fake:     fakeSessions{loginRes: fakeLoginResult(fakeAcme, viewer)},
			wantUser: "ada@acme.example", wantPassword: "env-pw",
			stderr: "Warning: ada@acme.example is not an administrator (ORG_ADMIN) of Acme (o1); roles: ORG_VIEWER.\nOnly an ORG_ADMIN can list, create and delete API keys: those commands will be refused (exit 4).\n"},
		{name: "a terminal: asked for everything", tty: true, answers: []any{"ada@acme.example", "typed-pw", 1},
			fake:     fakeSessions{orgs: []jmapcloud.Organization{fakeAcme, fakeBeta}, loginRes: fakeLoginResult(fakeBeta, &fakeAdmin)},
			wantUser: "ada@acme.example", wantPassword: "typed-pw", wantChoose: true, wantChosen: fakeBeta,
			asked:  []string{"Email:", "Password for ada@acme.example:", "Organization:"},
			stderr: "Logged in to Beta as ada@acme.example (Admin).\nProfile \"qa\" at https://api.example.com; session saved in /cfg/sessions/qa.json.\n"},
		{name: "a terminal: the username given, the password asked", tty: true, opts: authLoginOptions{Username: "ada@acme.example"}, answers: []any{"typed-pw"},
			fake:     fakeSessions{loginRes: fakeLoginResult(fakeAcme, &fakeAdmin)},
			wantUser: "ada@acme.example", wantPassword: "typed-pw", wantChoose: true,
			asked:  []string{"Password for ada@acme.example:"},
			stderr: "Logged in to Acme as ada@acme.example (Admin).\nProfile \"qa\" at https://api.example.com; session saved in /cfg/sessions/qa.json.\n"},
		{name: "a terminal: the role could not be checked", tty: true, settings: config.Settings{Username: "ada@acme.example", Password: "env-pw"},
			fake: fakeSessions{loginRes: func() *session.LoginResult {
				r := fakeLoginResult(fakeAcme, nil)
				r.RoleErr = errors.New("members/self: 503 Service Unavailable")
				return r
			}()},
			wantUser: "ada@acme.example", wantPassword: "env-pw", wantChoose: true,
			stderr: "Warning: could not check your role in Acme: members/self: 503 Service Unavailable\nLogged in to Acme as ada@acme.example.\nProfile \"qa\" at https://api.example.com; session saved in /cfg/sessions/qa.json.\n"},

		{name: "no terminal, nothing given", err: "cannot ask for the login without a terminal: pass --username and --password-stdin (the password on standard input), or set APIKEYS_USERNAME and APIKEYS_PASSWORD"},
		{name: "no terminal, the username only", opts: authLoginOptions{Username: "ada@acme.example"},
			err: "cannot ask for the login without a terminal: pass --password-stdin (the password on standard input), or set APIKEYS_USERNAME and APIKEYS_PASSWORD"},
		{name: "--password-stdin without a username", opts: authLoginOptions{PasswordStdin: true}, stdin: "pw\n",
			err: "--password-stdin needs --username EMAIL: standard input carries the password, so nothing can be asked"},
		{name: "--password-stdin, standard input empty", opts: authLoginOptions{Username: "ada@acme.example", PasswordStdin: true}, stdin: "\n",
			err: "--password-stdin: standard input is empty"},
		{name: "an empty password typed", tty: true, opts: authLoginOptions{Username: "ada@acme.example"}, answers: []any{""},
			asked: []string{"Password for ada@acme.example:"}, err: "the password is empty"},
		{name: "the login refused", settings: config.Settings{Username: "ada@acme.example", Password: "wrong"},
			fake:     fakeSessions{loginErr: errkind.Authf("login as ada@acme.example to https://api.example.com failed: wrong username or password")},
			wantUser: "ada@acme.example", wantPassword: "wrong",
			err: "login as ada@acme.example to https://api.example.com failed: wrong username or password"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.settings
			s.Profile = "qa"
			var p *prompt.Scripted
			if tc.answers != nil {
				p = prompt.NewScripted(tc.answers...)
			}
			fake := tc.fake
			deps, streams := fakeAuthDeps(t, tc.tty, &s, &fake, p)
			if _, err := streams.In.(interface{ WriteString(string) (int, error) }).WriteString(tc.stdin); err != nil {
				t.Fatal(err)
			}
			opts := tc.opts
			opts.authOptions = deps
			err := runAuthLogin(context.Background(), &opts)
			if fmt.Sprint(err) != fmt.Sprint(errorOrNil(tc.err)) {
				t.Fatalf("error %v\nwant %q", err, tc.err)
			}
			out, errOut := outputs(streams)
			if out != "" || errOut != tc.stderr {
				t.Errorf("stdout %q, stderr:\n%s\nwant no stdout, stderr:\n%s", out, errOut, tc.stderr)
			}
			if !reflect.DeepEqual(fake.calls, []string{"login qa"}) {
				t.Errorf("calls %q, want one login", fake.calls)
			}
			if fake.username != tc.wantUser || fake.password != tc.wantPassword || fake.couldChoose != tc.wantChoose || fake.chosen != tc.wantChosen {
				t.Errorf("login with %q / %q, could choose %v, chose %+v\nwant %q / %q, %v, %+v",
					fake.username, fake.password, fake.couldChoose, fake.chosen, tc.wantUser, tc.wantPassword, tc.wantChoose, tc.wantChosen)
			}
			if p != nil {
				if asked := p.Asked(); !reflect.DeepEqual(asked, tc.asked) {
					t.Errorf("asked %q, want %q", asked, tc.asked)
				}
				if err := p.Done(); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

// runAuthLogout says what it did on stderr: a logout only on a terminal; nothing to do and
// an unreadable session in a script too; a failure is the error alone.
func TestRunAuthLogoutWithFakeSessions(t *testing.T) {
	revoked := &session.LogoutResult{Session: &config.Session{APIURL: "https://api.example.com", User: config.SessionUser{Email: "ada@acme.example"}}}
	for _, tc := range []struct {
		name   string
		tty    bool
		fake   fakeSessions
		stderr string
		err    string
	}{
		{name: "revoked, on a terminal", tty: true, fake: fakeSessions{logoutRes: revoked},
			stderr: "Logged out ada@acme.example from https://api.example.com (profile \"qa\").\n"},
		{name: "revoked, in a script", fake: fakeSessions{logoutRes: revoked}},
		{name: "not logged in", fake: fakeSessions{logoutRes: &session.LogoutResult{}},
			stderr: "Not logged in (profile \"qa\"): nothing to do.\n"},
		{name: "not logged in, on a terminal", tty: true, fake: fakeSessions{logoutRes: &session.LogoutResult{}},
			stderr: "Not logged in (profile \"qa\"): nothing to do.\n"},
		{name: "an unreadable session", fake: fakeSessions{logoutRes: &session.LogoutResult{Unreadable: errors.New("session file /cfg/sessions/qa.json is not JSON")}},
			stderr: "Warning: session file /cfg/sessions/qa.json is not JSON\nIt was removed without being revoked on the server.\n"},
		{name: "the revoke failed", tty: true, fake: fakeSessions{logoutErr: errors.New("revoking the session of profile \"qa\" on the server failed: 503")},
			err: "revoking the session of profile \"qa\" on the server failed: 503"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := tc.fake
			deps, streams := fakeAuthDeps(t, tc.tty, &config.Settings{Profile: "qa"}, &fake, nil)
			err := runAuthLogout(context.Background(), &authLogoutOptions{authOptions: deps})
			if fmt.Sprint(err) != fmt.Sprint(errorOrNil(tc.err)) {
				t.Fatalf("error %v\nwant %q", err, tc.err)
			}
			out, errOut := outputs(streams)
			if out != "" || errOut != tc.stderr || !reflect.DeepEqual(fake.calls, []string{"logout qa"}) {
				t.Errorf("stdout %q, stderr %q, calls %q\nwant no stdout, stderr %q, one logout", out, errOut, fake.calls, tc.stderr)
			}
		})
	}
}

// runAuthStatus prints the status in the -o format under the factory's clock; not logged
// in, the table prints nothing and JSON the status, both with the error; a format status
// cannot print is refused before the session is read.
func TestRunAuthStatusWithFakeSessions(t *testing.T) {
	expires := fakeNow.Add(90 * time.Minute)
	loggedIn := fakeNow.Add(-2 * time.Hour)
	status := session.Status{
		LoggedIn: true, Profile: "qa", APIURL: "https://api.example.com",
		User:                 &config.SessionUser{Email: "erin@acme.example", Name: "Erin"},
		Organization:         &config.SessionOrganization{ID: "o1", Name: "Acme"},
		Role:                 jmapcloud.RoleEditor,
		Roles:                []string{jmapcloud.RoleEditor},
		AccessTokenExpiresAt: &expires, LoggedInAt: &loggedIn,
		SessionStore: "file", SessionFile: "/cfg/sessions/qa.json", ConfigFile: "/cfg/config.yaml",
		OverriddenBy: "APIKEYS_TOKEN",
	}
	notLoggedIn := session.Status{Profile: "qa", APIURL: "https://api.example.com", SessionStore: "file", SessionFile: "/cfg/sessions/qa.json", ConfigFile: "/cfg/config.yaml"}
	errNotLoggedIn := errkind.Authf("not logged in (profile \"qa\"): run `apikeys auth login`")
	for _, tc := range []struct {
		name   string
		format output.Format
		fake   fakeSessions
		stdout string
		err    string
		calls  []string
	}{
		{name: "logged in, a table", format: output.Table, fake: fakeSessions{status: status}, calls: []string{"status qa"},
			stdout: "Profile:        qa\n" +
				"API URL:        https://api.example.com\n" +
				"User:           Erin <erin@acme.example>\n" +
				"Organization:   Acme (o1)\n" +
				"Role:           Editor (ORG_EDITOR) — not an administrator: API keys cannot be managed\n" +
				"Access token:   expires in 2 hours (" + expires.UTC().Format(time.RFC3339) + "); renewed automatically\n" +
				"Logged in:      " + loggedIn.UTC().Format(time.RFC3339) + "\n" +
				"Session store:  file /cfg/sessions/qa.json (mode 0600)\n" +
				"Note:           APIKEYS_TOKEN is set: commands use it, not this session\n"},
		{name: "not logged in, a table", format: output.Table, fake: fakeSessions{status: notLoggedIn, statusErr: errNotLoggedIn}, calls: []string{"status qa"},
			err: errNotLoggedIn.Error()},
		{name: "not logged in, JSON", format: output.JSON, fake: fakeSessions{status: notLoggedIn, statusErr: errNotLoggedIn}, calls: []string{"status qa"},
			stdout: "{\n  \"loggedIn\": false,\n  \"profile\": \"qa\",\n  \"apiUrl\": \"https://api.example.com\",\n  \"accessTokenExpired\": false,\n  \"sessionStore\": \"file\",\n  \"sessionFile\": \"/cfg/sessions/qa.json\",\n  \"configFile\": \"/cfg/config.yaml\"\n}\n",
			err:    errNotLoggedIn.Error()},
		{name: "csv is refused first", format: output.CSV, fake: fakeSessions{status: status},
			err: "auth status prints table, json or yaml, not csv"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := tc.fake
			deps, streams := fakeAuthDeps(t, false, &config.Settings{Profile: "qa"}, &fake, nil)
			err := runAuthStatus(context.Background(), &authStatusOptions{authOptions: deps, Format: fixedFormat(tc.format)})
			if fmt.Sprint(err) != fmt.Sprint(errorOrNil(tc.err)) {
				t.Fatalf("error %v\nwant %q", err, tc.err)
			}
			out, errOut := outputs(streams)
			if out != tc.stdout || errOut != "" || !reflect.DeepEqual(fake.calls, tc.calls) {
				t.Errorf("stdout:\n%s\nstderr %q, calls %q\nwant stdout:\n%s\nno stderr, calls %q", out, errOut, fake.calls, tc.stdout, tc.calls)
			}
		})
	}
}
