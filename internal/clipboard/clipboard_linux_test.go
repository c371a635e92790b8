package clipboard_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/clipboard"
	"github.com/k2geospatial/apikeys/internal/testenv"
)

// The xclip that stays behind to serve a copied secret outlives the command: it must not
// carry the credentials the command ran with.
func TestSystemWriteLeavesNoCredentialsInTheServingProcess(t *testing.T) {
	requireX(t)
	t.Setenv("APIKEYS_PASSWORD", "hunter2-password")
	t.Setenv("APIKEYS_TOKEN", "tok-secret-token")
	t.Setenv("APIKEYS_REFRESH_TOKEN", "rt-secret")
	marker := uniqueSecret(t) // tells this test's xclip from any other
	t.Setenv("CLIPBOARD_TEST_MARKER", marker)

	secret := uniqueSecret(t)
	systemWrite(t, secret)
	env := servingXclipEnv(t, "CLIPBOARD_TEST_MARKER="+marker)
	if !slices.Contains(env, "DISPLAY="+xserver.Display) {
		t.Fatalf("the serving xclip has no DISPLAY=%s: %q", xserver.Display, env)
	}
	for _, kv := range env {
		if strings.HasPrefix(kv, "APIKEYS_") {
			t.Errorf("the serving xclip carries %s", strings.SplitN(kv, "=", 2)[0])
		}
	}
}

// servingXclipEnv is the environment of the one running xclip whose environment holds
// marker, waiting (bounded) for it to show: xclip forks the server as it exits.
func servingXclipEnv(t *testing.T, marker string) []string {
	t.Helper()
	deadline := time.Now().Add(testenv.ClipboardTimeout)
	for {
		var found [][]string
		pids, _ := filepath.Glob("/proc/[0-9]*")
		for _, dir := range pids {
			comm, err := os.ReadFile(filepath.Join(dir, "comm"))
			if err != nil || strings.TrimSpace(string(comm)) != "xclip" {
				continue
			}
			raw, err := os.ReadFile(filepath.Join(dir, "environ"))
			if err != nil {
				continue // gone meanwhile
			}
			env := strings.Split(string(bytes.TrimRight(raw, "\x00")), "\x00")
			if slices.Contains(env, marker) {
				found = append(found, env)
			}
		}
		switch {
		case len(found) == 1:
			return found[0]
		case len(found) > 1:
			t.Fatalf("%d xclip processes serve this test's copy, want 1", len(found))
		case time.Now().After(deadline):
			t.Fatal("no xclip process serves the copy")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestCopyArgsChoosesTheToolAtottoWould(t *testing.T) {
	tests := []struct {
		name    string
		goos    string
		wayland string
		tools   []string
		want    []string
	}{
		{name: "windows uses no tool", goos: "windows", tools: []string{"xclip"}, want: nil},
		{name: "macOS", goos: "darwin", want: []string{"pbcopy"}},
		{name: "wayland", goos: "linux", wayland: "wayland-0", tools: []string{"wl-copy", "wl-paste", "xclip"}, want: []string{"wl-copy"}},
		{name: "wayland without wl-paste falls back to xclip", goos: "linux", wayland: "wayland-0", tools: []string{"wl-copy", "xclip"}, want: []string{"xclip", "-in", "-selection", "clipboard"}},
		{name: "wl-copy without a wayland display", goos: "linux", tools: []string{"wl-copy", "wl-paste", "xsel"}, want: []string{"xsel", "--input", "--clipboard"}},
		{name: "xclip before xsel", goos: "freebsd", tools: []string{"xsel", "xclip"}, want: []string{"xclip", "-in", "-selection", "clipboard"}},
		{name: "termux", goos: "linux", tools: []string{"termux-clipboard-set", "termux-clipboard-get"}, want: []string{"termux-clipboard-set"}},
		{name: "WSL", goos: "linux", tools: []string{"clip.exe", "powershell.exe"}, want: []string{"clip.exe"}},
		{name: "nothing", goos: "linux", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := func(k string) string {
				if k == "WAYLAND_DISPLAY" {
					return tt.wayland
				}
				return ""
			}
			lookPath := func(name string) (string, error) {
				if slices.Contains(tt.tools, name) {
					return "/usr/bin/" + name, nil
				}
				return "", os.ErrNotExist
			}
			if got := clipboard.CopyArgs(tt.goos, getenv, lookPath); !slices.Equal(got, tt.want) {
				t.Fatalf("CopyArgs = %q, want %q", got, tt.want)
			}
		})
	}
}
