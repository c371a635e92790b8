package cli

import (
	"testing"

	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/output"
)

var authLoginUnderTest = cmdUnderTest[authLoginOptions]{
	parent: []string{"auth"},
	build:  newAuthLoginCmd,
	flagFields: func(o authLoginOptions) authLoginOptions {
		o.authOptions = authOptions{}
		return o
	},
}

func TestNewCmdAuthLogin(t *testing.T) {
	testNewCmd(t, authLoginUnderTest, []flagRow[authLoginOptions]{
		{name: "defaults", argv: []string{"login"}, want: authLoginOptions{}},
		// Whether it can ask is decided in the run, as is the environment's username.
		{name: "on a terminal", argv: []string{"login"}, tty: true, want: authLoginOptions{}},
		{name: "username from the environment is not a flag", argv: []string{"login"}, env: map[string]string{"APIKEYS_USERNAME": "a@example.com"}, want: authLoginOptions{}},
		{name: "username", argv: []string{"login", "--username", "admin@example.com"}, want: authLoginOptions{Username: "admin@example.com"}},
		{name: "password-stdin", argv: []string{"login", "--username", "a@example.com", "--password-stdin"},
			want: authLoginOptions{Username: "a@example.com", PasswordStdin: true}},
		{name: "password-stdin=yes", argv: []string{"login", "--password-stdin=yes"}, want: authLoginOptions{PasswordStdin: true}},
		{name: "password-stdin without username reaches the run", argv: []string{"login", "--password-stdin"}, want: authLoginOptions{PasswordStdin: true}},
		{name: "root flags are the settings'", argv: []string{"login", "--profile", "qa", "--api-url", "https://api.qa.example", "--org", "o1"}, want: authLoginOptions{}},

		{name: "empty username", argv: []string{"login", "--username", ""}, err: emptyFlagMsg("username"), kind: errkind.Usage, code: exitUsage},
		{name: "empty org", argv: []string{"login", "--org="}, err: emptyFlagMsg("org"), kind: errkind.Usage, code: exitUsage},
		{name: "password-stdin=maybe", argv: []string{"login", "--password-stdin=maybe"}, err: invalidBoolMsg("password-stdin", "maybe"), kind: errkind.Usage, code: exitUsage},
		{name: "an argument", argv: []string{"login", "admin@example.com"}, err: strayArgMsg("admin@example.com", "apikeys auth login"), kind: errkind.Usage, code: exitUsage},
		{name: "a password flag", argv: []string{"login", "--password", "hunter2"}, err: "unknown flag: --password", kind: errkind.Usage, code: exitUsage},
		{name: "sandbox and api-url", argv: []string{"login", "--sandbox", "--api-url", "https://api.example.com"},
			err: "--sandbox and --api-url contradict each other: the sandbox runs in process and talks to no URL; give one", kind: errkind.Usage, code: exitUsage},
	})
}

var authLogoutUnderTest = cmdUnderTest[authLogoutOptions]{
	parent:     []string{"auth"},
	build:      newAuthLogoutCmd,
	flagFields: func(authLogoutOptions) authLogoutOptions { return authLogoutOptions{} }, // logout has no flags of its own
}

func TestNewCmdAuthLogout(t *testing.T) {
	testNewCmd(t, authLogoutUnderTest, []flagRow[authLogoutOptions]{
		{name: "defaults", argv: []string{"logout"}},
		{name: "on a terminal", argv: []string{"logout"}, tty: true},
		{name: "a profile", argv: []string{"logout", "--profile", "qa"}},

		{name: "an argument", argv: []string{"logout", "qa"}, err: strayArgMsg("qa", "apikeys auth logout"), kind: errkind.Usage, code: exitUsage},
		{name: "empty profile", argv: []string{"logout", "--profile", ""}, err: emptyFlagMsg("profile"), kind: errkind.Usage, code: exitUsage},
		{name: "all is not a flag", argv: []string{"logout", "--all"}, err: "unknown flag: --all\n--all is a flag of apikeys delete, not of apikeys auth logout", kind: errkind.Usage, code: exitUsage},
	})
}

var authStatusUnderTest = cmdUnderTest[authStatusOptions]{
	parent:     []string{"auth"},
	build:      newAuthStatusCmd,
	flagFields: func(authStatusOptions) authStatusOptions { return authStatusOptions{} }, // no flags of its own
	format:     func(o *authStatusOptions) func() (output.Format, error) { return o.Format },
}

func TestNewCmdAuthStatus(t *testing.T) {
	testNewCmd(t, authStatusUnderTest, []flagRow[authStatusOptions]{
		{name: "defaults", argv: []string{"status"}, format: "table"},
		{name: "on a terminal", argv: []string{"status"}, tty: true, format: "table"},
		{name: "output json", argv: []string{"status", "-o", "json"}, format: "json"},
		{name: "output from the environment", argv: []string{"status"}, env: map[string]string{"APIKEYS_OUTPUT": "yaml"}, format: "yaml"},
		// auth status refuses csv and tsv in its run, not at flag time.
		{name: "output csv reaches the run", argv: []string{"status", "-o", "csv"}, format: "csv"},

		{name: "an argument", argv: []string{"status", "qa"}, err: strayArgMsg("qa", "apikeys auth status"), kind: errkind.Usage, code: exitUsage},
		{name: "debug=often", argv: []string{"status", "--debug=often"}, err: invalidBoolMsg("debug", "often"), kind: errkind.Usage, code: exitUsage},
	})
}
