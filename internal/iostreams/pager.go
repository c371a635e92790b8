package iostreams

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"

	"github.com/kballard/go-shellquote"

	"github.com/k2geospatial/apikeys/internal/childenv"
	"github.com/k2geospatial/apikeys/internal/l10n"
)

// defaultPager is the pager of a terminal when neither APIKEYS_PAGER nor PAGER is set, as
// git's and gh's: -F quits at once when the output fits the screen, -R passes colours, -X
// leaves the output on the screen when it quits.
const defaultPager = "less -FRX"

// pagerProcess is a running pager: Out writes to its stdin until StopPager.
type pagerProcess struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out io.Writer // Out before the pager started
}

// SetPagerEnv says where StartPager reads APIKEYS_PAGER and PAGER (lookup) and the
// environment its child starts from (environ). Streams made by hand, as tests make them,
// have none, and never page.
func (s *IOStreams) SetPagerEnv(lookup func(string) (string, bool), environ func() []string) {
	s.pagerLookup, s.pagerEnviron = lookup, environ
}

// pagerCommand is the pager asked for: APIKEYS_PAGER, even empty (which turns paging off,
// as GIT_PAGER= and GH_PAGER= do), then PAGER, then less. "" means none. less is not assumed
// on Windows, nor on a TERM=dumb terminal (an editor's shell), where it would stop to warn
// that the terminal is not fully functional.
func (s *IOStreams) pagerCommand() string {
	command, ok := s.pagerLookup("APIKEYS_PAGER")
	if !ok {
		command, ok = s.pagerLookup("PAGER")
	}
	if !ok {
		if runtime.GOOS == "windows" || s.dumbTerminal {
			return ""
		}
		command = defaultPager
	}
	command = strings.TrimSpace(command)
	if command == "cat" {
		return ""
	}
	return command
}

// StartPager sends Out through the pager until StopPager, when stdout is a terminal and a
// pager is wanted. A pager that cannot be run is said once on stderr, in lang's language,
// and Out stays the terminal. Call it only for output that asks nothing: the pager owns the
// terminal.
func (s *IOStreams) StartPager(lang *l10n.Printer) {
	if s.pager != nil || !s.stdoutTTY || s.pagerLookup == nil {
		return
	}
	command := s.pagerCommand()
	if command == "" {
		return
	}
	s.StopProgress()
	argv, err := shellquote.Split(command)
	if err == nil && len(argv) == 0 {
		return
	}
	var path string
	if err == nil {
		path, err = exec.LookPath(argv[0])
	}
	if err != nil {
		s.sayNoPager(lang, command, err)
		return
	}
	cmd := exec.Command(path, argv[1:]...)
	cmd.Stdout, cmd.Stderr = s.Out, s.ErrOut
	cmd.Env = pagerEnv(s.pagerEnviron())
	in, err := cmd.StdinPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		s.sayNoPager(lang, command, err)
		return
	}
	s.pager = &pagerProcess{cmd: cmd, in: in, out: s.Out}
	s.Out = &pagerWriter{w: in}
}

// CurrentOut writes to Out as it is at each write: the terminal, or the pager while one runs.
// For writers made before StartPager (a command's printer, made before its requests).
func (s *IOStreams) CurrentOut() io.Writer { return currentOut{s} }

type currentOut struct{ s *IOStreams }

func (w currentOut) Write(p []byte) (int, error) { return w.s.Out.Write(p) }

// sayNoPager says, once, why the output is not paged.
func (s *IOStreams) sayNoPager(lang *l10n.Printer, command string, err error) {
	if s.pagerFailed {
		return
	}
	s.pagerFailed = true
	lang.Fprintf(s.ErrOut, "Warning: cannot run the pager %q (%v): printing without it. Set APIKEYS_PAGER to another pager, or to nothing to turn paging off.\n", command, err)
}

// StopPager ends the output to the pager and waits for the person to quit it, so that what
// is written next (warnings, a note on stderr) comes after. How the pager ended is not the
// command's outcome: quitting early is normal.
func (s *IOStreams) StopPager() {
	if s.pager == nil {
		return
	}
	p := s.pager
	s.pager = nil
	_ = p.in.Close()
	_ = p.cmd.Wait()
	s.Out = p.out
}

// pagerEnv is the pager's environment: the process's without credentials (childenv), with
// LESS and LV set to what git and gh give them when the user has not set them.
func pagerEnv(env []string) []string {
	env = childenv.Scrubbed(env)
	for _, kv := range []string{"LESS=FRX", "LV=-c"} {
		name, _, _ := strings.Cut(kv, "=")
		if !hasVar(env, name) {
			env = append(env, kv)
		}
	}
	return env
}

func hasVar(env []string, name string) bool {
	for _, kv := range env {
		if strings.HasPrefix(kv, name+"=") {
			return true
		}
	}
	return false
}

// pagerWriter is the pager's stdin. Once the person quits the pager, the rest of the output
// is dropped without an error: quitting a pager early is how one stops reading, not a
// failure (no "broken pipe", exit 0).
type pagerWriter struct {
	w    io.Writer
	gone bool
}

func (p *pagerWriter) Write(b []byte) (int, error) {
	if p.gone {
		return len(b), nil
	}
	n, err := p.w.Write(b)
	if err != nil && (errors.Is(err, syscall.EPIPE) || errors.Is(err, os.ErrClosed)) {
		p.gone = true
		return len(b), nil
	}
	return n, err
}
