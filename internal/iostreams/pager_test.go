package iostreams

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"syscall"
	"testing"
)

func TestPagerCommandPrecedence(t *testing.T) {
	def := defaultPager
	if runtime.GOOS == "windows" {
		def = ""
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		dumb bool
		want string
	}{
		{"dumb terminal", map[string]string{}, true, ""},
		{"dumb terminal, PAGER", map[string]string{"PAGER": "more"}, true, "more"},
		{"default", map[string]string{}, false, def},
		{"PAGER", map[string]string{"PAGER": "more"}, false, "more"},
		{"APIKEYS_PAGER wins", map[string]string{"APIKEYS_PAGER": "lv -c", "PAGER": "more"}, false, "lv -c"},
		{"APIKEYS_PAGER empty turns it off", map[string]string{"APIKEYS_PAGER": "", "PAGER": "more"}, false, ""},
		{"blank", map[string]string{"APIKEYS_PAGER": "  "}, false, ""},
		{"cat", map[string]string{"APIKEYS_PAGER": "cat"}, false, ""},
		{"PAGER cat", map[string]string{"PAGER": " cat "}, false, ""},
		{"PAGER empty", map[string]string{"PAGER": ""}, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &IOStreams{dumbTerminal: tc.dumb}
			s.SetPagerEnv(func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok }, nil)
			if got := s.pagerCommand(); got != tc.want {
				t.Fatalf("pagerCommand() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestPagerEnvDropsCredentialsAndSetsLess(t *testing.T) {
	got := pagerEnv([]string{"PATH=/bin", "APIKEYS_TOKEN=t", "APIKEYS_PASSWORD=p", "LV=-x"})
	want := []string{"PATH=/bin", "LV=-x", "LESS=FRX"}
	if !slices.Equal(got, want) {
		t.Fatalf("pagerEnv = %q, want %q", got, want)
	}
}

// pipeTo fails its writes from the nth on, with err.
type pipeTo struct {
	n, writes int
	err       error
	got       []byte
}

func (p *pipeTo) Write(b []byte) (int, error) {
	p.writes++
	if p.writes >= p.n {
		return 0, p.err
	}
	p.got = append(p.got, b...)
	return len(b), nil
}

func TestPagerWriterDropsOutputOnceThePagerQuits(t *testing.T) {
	pipe := &pipeTo{n: 2, err: fmt.Errorf("write |1: %w", syscall.EPIPE)}
	w := &pagerWriter{w: pipe}
	for _, s := range []string{"one\n", "two\n", "three\n"} {
		if n, err := w.Write([]byte(s)); err != nil || n != len(s) {
			t.Fatalf("Write(%q) = %d, %v; want %d, nil", s, n, err, len(s))
		}
	}
	if string(pipe.got) != "one\n" || pipe.writes != 2 {
		t.Fatalf("the pager got %q in %d writes, want \"one\\n\" and no write after the failure", pipe.got, pipe.writes)
	}
	other := &pagerWriter{w: &pipeTo{n: 1, err: errors.New("disk on fire")}}
	if _, err := other.Write([]byte("x")); err == nil {
		t.Fatal("an error other than a closed pipe was dropped")
	}
}
