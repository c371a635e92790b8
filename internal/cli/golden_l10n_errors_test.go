package cli

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/sandbox"
)

// The French goldens of this file stand next to the English ones: the same runs, in a French
// locale. Machine output is compared across the two elsewhere; here it is the text a person
// reads: `auth status`, the doctor's checklist, and errors with their hints.

func TestGoldenAuthStatusFrench(t *testing.T) {
	e := newGoldenEnv(t).inFrench()
	for _, tc := range []struct {
		golden string
		term   terminal
	}{
		{"auth-status-terminal.fr.txt", tty},
		{"auth-status-piped.fr.txt", piped},
	} {
		checkGolden(t, tc.golden, e.text(e.run(tc.term, nil, "", "auth", "status")))
	}
	// Its machine output is the same in both languages.
	en := newGoldenEnvOf(e)
	for _, format := range []string{"json", "yaml"} {
		english, french := en.run(piped, nil, "", "auth", "status", "-o", format), e.run(piped, nil, "", "auth", "status", "-o", format)
		if english.stdout == "" || english.stdout != french.stdout || english.code != french.code {
			t.Errorf("auth status -o %s differs between English and French:\n%s\n%s", format, english.stdout, french.stdout)
		}
	}
}

// newGoldenEnvOf is e in no particular locale (English).
func newGoldenEnvOf(e *goldenEnv) *goldenEnv {
	en := *e
	en.env = nil
	return &en
}

// The doctor's checklist in French: its headings, labels and verdict; the checks' own words
// are those -o json prints, the same in every language.
func TestGoldenDoctorSandboxFrench(t *testing.T) {
	hermeticEnv(t)
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	t.Setenv("APIKEYS_SANDBOX_DATA", filepath.Join(dir, "sandbox.db"))
	getenv := func(name string) string {
		if name == "LANG" {
			return "fr_CA.UTF-8"
		}
		if name == "LC_ALL" || name == "LC_MESSAGES" {
			return ""
		}
		return os.Getenv(name)
	}
	streams, _, out, errOut := iostreams.Test()
	code := run(context.Background(), newFactory(streams, "test", getenv), []string{"--sandbox", "doctor"})
	if code != exitOK || errOut.String() != "" {
		t.Fatalf("exit %d, stderr:\n%s\nstdout:\n%s", code, errOut, out)
	}
	checkGolden(t, "doctor-sandbox.fr.txt", latencyLineFr.ReplaceAllString(out.String(), "  ✓ latence\u00a0: N ms (GET users/self)\n"))

	// -o json is the same in both languages.
	jsonIn := func(getenv func(string) string) string {
		streams, _, out, _ := iostreams.Test()
		run(context.Background(), newFactory(streams, "test", getenv), []string{"--sandbox", "doctor", "-o", "json"})
		return latencyMS.ReplaceAllString(out.String(), "N ms (GET users/self)")
	}
	english := func(name string) string {
		if name == "LANG" || name == "LC_ALL" || name == "LC_MESSAGES" {
			return ""
		}
		return os.Getenv(name)
	}
	if en, fr := jsonIn(english), jsonIn(getenv); en != fr {
		t.Errorf("doctor -o json differs between English and French:\n--- English\n%s\n--- French\n%s", en, fr)
	}
}

// latencyLineFr is latencyLine in French.
var latencyLineFr = regexp.MustCompile(`  . latence\x{a0}: (<1|\d+) ms \(GET users/self\)\n(      correction\x{a0}: .*\n)?`)

// latencyMS is the doctor's one figure that varies from run to run, in -o json.
var latencyMS = regexp.MustCompile(`(<1|\d+) ms \(GET users/self\)`)

// errorRun is one failing command line of the errors' goldens, with the variables it sets.
type errorRun struct {
	env  map[string]string // APIKEYS_ variables (set in the process too: viper reads them there)
	args []string
}

// runError runs r in e's language, its variables set for the run only.
func (e *goldenEnv) runError(r errorRun) goldenRun {
	e.t.Helper()
	run := *e
	run.env = map[string]string{}
	for k, v := range e.env {
		run.env[k] = v
	}
	for k, v := range r.env {
		run.env[k] = v
		// Set for this run only: the variable's value before it is put back after the run,
		// and t.Setenv puts back the test's own at its end ("" is unset to viper).
		old := os.Getenv(k)
		e.t.Setenv(k, v)
		defer e.t.Setenv(k, old)
	}
	return run.run(piped, nil, "", r.args...)
}

// Errors and their hints, in English and in French: the words of apikeys are translated,
// what the server said is shown as it said it. Each run exits with its documented code.
func TestGoldenErrorsWithHints(t *testing.T) {
	base := newGoldenEnv(t)
	// t.Setenv marks the test as one that changes the process's environment (no t.Parallel);
	// runError sets and restores the variables of each run around it.
	t.Setenv("APIKEYS_TOKEN", "")
	os.Unsetenv("APIKEYS_TOKEN")

	// A server that redirects every request elsewhere, one that answers a web page, and an
	// address where nothing listens.
	target := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer target.Close()
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer redirect.Close()
	webPage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<!doctype html><html><body>Sign in to the proxy</body></html>"))
	}))
	defer webPage.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	base.replace = append(base.replace, target.URL, "$TARGET_URL", redirect.URL, "$REDIRECT_URL", webPage.URL, "$WEB_PAGE_URL", closed, "$CLOSED_URL", ln.Addr().String(), "$CLOSED_ADDR")

	// Configuration files with a bad setting.
	badLang := filepath.Join(base.root, "bad-language", "config.yaml")
	badTimeout := filepath.Join(base.root, "bad-timeout", "config.yaml")
	badYAML := filepath.Join(base.root, "bad-yaml", "config.yaml")
	for path, content := range map[string]string{
		badLang:    "profiles:\n  default:\n    language: klingon\n",
		badTimeout: "timeout: soon\n",
		badYAML:    "profiles: [default\n",
	} {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	// Vera, a Viewer, logs in to a profile of her own: the login warns, the list is refused.
	viewerLogin := []string{"auth", "login", "--profile", "vera", "--api-url", base.url, "--username", "vera@acme.example", "--password-stdin"}
	const org = "76ba117c-63e9-4b5e-82ce-01862e86eebf"
	token := map[string]string{"APIKEYS_TOKEN": "not-a-token"}
	runs := []errorRun{
		{args: []string{"--profile", "Bad Name", "list"}},
		{args: []string{"--profile", "nobody", "list"}},
		{env: token, args: []string{"list"}},
		{args: []string{"--profile", "vera", "list"}},
		{env: token, args: []string{"--api-url", closed, "--org", org, "list"}},
		{env: token, args: []string{"--api-url", redirect.URL, "--org", org, "list"}},
		{env: token, args: []string{"--api-url", webPage.URL, "--org", org, "list"}},
		{args: []string{"--config", badLang, "list"}},
		{args: []string{"--config", badTimeout, "list"}},
		{args: []string{"--config", badYAML, "list"}},
		{env: map[string]string{"APIKEYS_LANG": "klingon"}, args: []string{"list"}},
		{env: map[string]string{"APIKEYS_SANDBOX": "maybe"}, args: []string{"list"}},
	}
	wantCodes := []int{exitUsage, exitAuth, exitAuth, exitAuth, exitError, exitError, exitError, exitUsage, exitUsage, exitUsage, exitUsage, exitUsage}

	for _, lang := range []struct {
		golden string
		e      *goldenEnv
	}{
		{"errors-hints.txt", base},
		{"errors-hints.fr.txt", base.inFrench()},
	} {
		e := lang.e
		login := e.run(piped, nil, sandbox.Password+"\n", viewerLogin...)
		results := []goldenRun{login}
		for i, r := range runs {
			got := e.runError(r)
			if got.code != wantCodes[i] || got.stdout != "" {
				t.Errorf("%s: apikeys %s: exit %d, want %d; stdout %q", lang.golden, strings.Join(r.args, " "), got.code, wantCodes[i], got.stdout)
			}
			results = append(results, got)
		}
		checkGolden(t, lang.golden, e.text(results...))
	}
}

// An invalid APIKEYS_LANG or language key is a usage error (exit 2) naming where the value
// came from; its message is in the locale's language, the setting being unusable.
func TestInvalidLanguageSettingIsAUsageErrorInTheLocalesLanguage(t *testing.T) {
	e := newGoldenEnv(t)
	t.Setenv("APIKEYS_LANG", "")
	cfg := filepath.Join(e.root, "lang", "config.yaml")
	if err := os.MkdirAll(filepath.Dir(cfg), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte("language: de\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		locale string
		env    map[string]string
		args   []string
		want   string
	}{
		{"APIKEYS_LANG, English locale", "C", map[string]string{"APIKEYS_LANG": "xx"}, []string{"list"},
			"Error: invalid APIKEYS_LANG \"xx\": use \"en\" (English) or \"fr\" (French)\nRun 'apikeys list --help' for usage.\n"},
		{"APIKEYS_LANG, French locale", "fr_CA.UTF-8", map[string]string{"APIKEYS_LANG": "xx"}, []string{"list"},
			"Erreur\u00a0: valeur «\u00a0xx\u00a0» invalide pour APIKEYS_LANG\u00a0: utilisez «\u00a0en\u00a0» (anglais) ou «\u00a0fr\u00a0» (français)\nPour l'aide, exécutez «\u00a0apikeys list --help\u00a0».\n"},
		{"language key, English locale", "", nil, []string{"--config", cfg, "list"},
			"Error: invalid configuration file " + cfg + ": invalid language \"de\": use \"en\" (English) or \"fr\" (French)\n" +
				"fix or move the file (apikeys never overwrites it), or pass --config with another path\n"},
		{"language key, French locale", "fr_FR", nil, []string{"--config", cfg, "list"},
			"Erreur\u00a0: fichier de configuration " + cfg + " invalide\u00a0: valeur «\u00a0de\u00a0» invalide pour language\u00a0: utilisez «\u00a0en\u00a0» (anglais) ou «\u00a0fr\u00a0» (français)\n" +
				"corrigez ou déplacez le fichier (apikeys ne l'écrase jamais), ou passez --config avec un autre chemin\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			le := *e
			le.env = map[string]string{"LANG": tc.locale}
			r := le.runError(errorRun{env: tc.env, args: tc.args})
			if r.code != exitUsage || r.stdout != "" || r.stderr != tc.want {
				t.Errorf("exit %d, stdout %q\nstderr:\n got %q\nwant %q", r.code, r.stdout, r.stderr, tc.want)
			}
		})
	}
	// A valid APIKEYS_LANG beats the locale, and the file's language key.
	le := *e
	le.env = map[string]string{"LANG": "fr_CA.UTF-8"}
	r := le.runError(errorRun{env: map[string]string{"APIKEYS_LANG": "en"}, args: []string{"--profile", "Bad Name", "list"}})
	if !strings.HasPrefix(r.stderr, "Error: invalid profile name") {
		t.Errorf("APIKEYS_LANG=en in a French locale: stderr %q, want English", r.stderr)
	}
}
