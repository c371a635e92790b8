package prompt

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/terminal"

	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/sanitize"
)

// This file and localized.go (survey's confirmation and list in the prompter's
// language) are the only ones that import survey: replacing the prompt library
// means rewriting them and nothing else.

// surveyPrompter implements Prompter with survey/v2.
type surveyPrompter struct {
	in    FileReader
	draw  FileWriter
	err   io.Writer
	done  <-chan struct{}      // nil: prompts are ended by the user only
	color func() bool          // nil: always in colour
	lang  func() *l10n.Printer // nil: English
}

var _ Prompter = (*surveyPrompter)(nil)

// Option configures NewSurvey and NewSurveyContext.
type Option func(*surveyPrompter)

// WithColor draws each prompt in colour only while enabled says so (NO_COLOR, --no-color
// and APIKEYS_NO_COLOR turn it off). It is asked at every prompt, so a setting resolved
// after the prompter was made still counts.
func WithColor(enabled func() bool) Option {
	return func(p *surveyPrompter) { p.color = enabled }
}

// WithPrinter draws survey's own words (the confirmation's "(y/N)", the list's hint) and
// the reasons answers are rejected in the language of the printer printer gives, asked at
// every prompt as WithColor is; a confirmation understands that language's yes and no.
func WithPrinter(printer func() *l10n.Printer) Option {
	return func(p *surveyPrompter) { p.lang = printer }
}

// printer is the language of the prompt about to be drawn.
func (p *surveyPrompter) printer() *l10n.Printer {
	if p.lang == nil {
		return nil
	}
	return p.lang()
}

// NewSurvey returns the interactive Prompter, reading keys from in.
//
// Prompts are drawn on errOut whenever it is a terminal file (apikeys passes
// os.Stderr), so that stdout carries data only and
// `K=$(apikeys create ...)` still shows its questions; out is used to draw
// only when errOut is not a file. Both NewSurvey(os.Stdin, os.Stderr,
// os.Stderr) and NewSurvey(os.Stdin, os.Stdout, os.Stderr) therefore draw on
// stderr.
//
// Ctrl-D at any prompt ends it with ErrCancelled, as Ctrl-C does (survey itself takes Ctrl-D
// for Enter, which would accept the default answer).
func NewSurvey(in FileReader, out FileWriter, errOut io.Writer, opts ...Option) Prompter {
	draw := out
	if f, ok := errOut.(FileWriter); ok {
		draw = f
	}
	p := &surveyPrompter{in: &endOfInput{FileReader: in}, draw: draw, err: errOut}
	for _, o := range opts {
		o(p)
	}
	return p
}

// NewSurveyContext is NewSurvey whose prompts end, as with Ctrl-C, once ctx is done. A
// prompt puts the terminal in raw mode, where Ctrl-C is only a key: a SIGTERM or SIGHUP,
// which cancels ctx, is the only way a prompt waiting for a person can be ended from outside.
//
// Create one per process and terminal, and use it for every prompt: it reads the terminal
// from a goroutine of its own, which a second one would compete with for keys.
func NewSurveyContext(ctx context.Context, in FileReader, out FileWriter, errOut io.Writer, opts ...Option) Prompter {
	p := NewSurvey(in, out, errOut, opts...).(*surveyPrompter)
	p.in = &endOfInput{FileReader: &cancellableInput{file: in, done: ctx.Done()}}
	p.done = ctx.Done()
	return p
}

// keyEndOfInput is Ctrl-D as a terminal in raw mode delivers it (ASCII EOT).
const keyEndOfInput = '\x04'

// errEndOfInput ends a prompt at which Ctrl-D was pressed; ask reports it as a cancel.
var errEndOfInput = fmt.Errorf("Ctrl-D: %w", io.EOF)

// endOfInput is the terminal as survey reads it, with Ctrl-D made the end of input, as a
// shell takes it. survey reads Ctrl-D as Enter, which accepts the default answer: a
// confirmation's default, a preselected role, the first Editor of a picker. The keys typed
// before it in the same read are still delivered; every read after it fails, for the rest of
// the prompter's life: a Ctrl-D met by the cursor-position query survey makes as a line
// prompt starts would otherwise be lost, and the command ends at the cancel anyway.
type endOfInput struct {
	FileReader
	ended bool
}

func (e *endOfInput) Read(p []byte) (int, error) {
	if e.ended {
		return 0, errEndOfInput
	}
	n, err := e.FileReader.Read(p)
	if i := bytes.IndexByte(p[:n], keyEndOfInput); i >= 0 {
		e.ended = true
		if i == 0 {
			return 0, errEndOfInput
		}
		return i, nil
	}
	return n, err
}

// errInterrupted ends a prompt whose context was cancelled.
var errInterrupted = errors.New("interrupted while waiting for an answer")

// cancellableInput is the terminal as survey reads it: a read returns errInterrupted once
// done is closed. The terminal itself cannot be interrupted (a blocking read of a tty), so
// one goroutine reads it for every prompt of the process and hands each chunk to the prompt
// reading at the time: a read left behind by an ended prompt never swallows keys meant for
// the next.
type cancellableInput struct {
	file FileReader
	done <-chan struct{}

	start   sync.Once
	chunks  chan []byte // closed after readErr is set
	readErr error
	pending []byte // read from chunks, not yet handed to survey
}

func (c *cancellableInput) Fd() uintptr { return c.file.Fd() }

func (c *cancellableInput) Read(p []byte) (int, error) {
	if len(c.pending) == 0 {
		c.start.Do(c.pump)
		select {
		case <-c.done:
			return 0, errInterrupted
		case chunk, ok := <-c.chunks:
			if !ok {
				return 0, c.readErr
			}
			c.pending = chunk
		}
	}
	n := copy(p, c.pending)
	c.pending = c.pending[n:]
	return n, nil
}

// pump starts the one goroutine that reads the terminal.
func (c *cancellableInput) pump() {
	c.chunks = make(chan []byte)
	go func() {
		defer close(c.chunks)
		for {
			buf := make([]byte, 256)
			n, err := c.file.Read(buf)
			if n > 0 {
				c.chunks <- buf[:n]
			}
			if err != nil {
				c.readErr = err
				return
			}
		}
	}()
}

// errorTemplate draws a rejected answer's reason after survey's mark alone: survey's own
// "Sorry, your reply was invalid: " took more than half of a 60-column line before the
// reason, which then wrapped in the middle of a word.
const errorTemplate = `{{color .Icon.Format }}{{ .Icon.Text }} {{ .Error.Error }}{{color "reset"}}
`

// useErrorTemplate installs errorTemplate, survey's setting for the process, once, before
// the first prompt and not at start-up.
var useErrorTemplate = sync.OnceFunc(func() { survey.ErrorTemplate = errorTemplate })

func (p *surveyPrompter) ask(q survey.Prompt, answer any, opts ...survey.AskOpt) (err error) {
	useErrorTemplate()
	// survey can panic when its terminal disappears mid-prompt (a hang-up): that is the user
	// going away, so it cancels the command like Ctrl-C instead of crashing it.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: the terminal went away during the prompt (%v)", ErrCancelled, r)
		}
	}()
	select {
	case <-p.done:
		return fmt.Errorf("%w: %w", ErrCancelled, errInterrupted)
	default:
	}
	draw := p.draw
	if p.color != nil && !p.color() {
		draw = &colorless{FileWriter: p.draw}
	}
	opts = append(opts, survey.WithStdio(p.in, draw, p.err))
	err = survey.AskOne(q, answer, opts...)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, errInterrupted):
		fmt.Fprintln(p.draw) // leave the half-drawn prompt's line
		return fmt.Errorf("%w: %w", ErrCancelled, err)
	case errors.Is(err, terminal.InterruptErr):
		return fmt.Errorf("%w: %w", ErrCancelled, err)
	case errors.Is(err, io.EOF):
		// Ctrl-D, or the terminal closed: no answer is coming.
		if errors.Is(err, errEndOfInput) {
			fmt.Fprintln(p.draw) // leave the prompt's line, as survey does on Ctrl-C
		}
		return fmt.Errorf("%w: end of input: %w", ErrCancelled, err)
	default:
		return fmt.Errorf("prompt: %w", err)
	}
}

func (p *surveyPrompter) Input(message, defaultValue string, validate func(string) error) (string, error) {
	var opts []survey.AskOpt
	if validate != nil {
		printer := p.printer()
		opts = append(opts, survey.WithValidator(func(ans any) error {
			s, ok := ans.(string)
			if !ok {
				return fmt.Errorf("unexpected answer type %T", ans)
			}
			if err := validate(s); err != nil {
				return localizedError{text: printer.Error(err), err: err}
			}
			return nil
		}))
	}
	var answer string
	if err := p.ask(&survey.Input{Message: sanitize.Text(message), Default: defaultValue}, &answer, opts...); err != nil {
		return "", err
	}
	return answer, nil
}

func (p *surveyPrompter) Password(message string) (string, error) {
	var answer string
	if err := p.ask(&survey.Password{Message: sanitize.Text(message)}, &answer); err != nil {
		return "", err
	}
	return answer, nil
}

func (p *surveyPrompter) Select(message string, options []string, defaultIndex int) (int, error) {
	if len(options) == 0 {
		return 0, fmt.Errorf("prompt: no options to choose from for %q", message)
	}
	// Options are drawn sanitised (member names and emails come from the server); the answer is
	// an index, so it still names the caller's option, whatever the drawing showed.
	shown := make([]string, len(options))
	for i, o := range options {
		shown[i] = sanitize.Text(o)
	}
	q := &selectPrompt{Select: survey.Select{Message: sanitize.Text(message), Options: shown, PageSize: 10}, template: selectTemplate(p.printer())}
	if defaultIndex >= 0 && defaultIndex < len(options) {
		q.Default = defaultIndex
	}
	var index int
	if err := p.ask(q, &index); err != nil {
		return 0, err
	}
	return index, nil
}

func (p *surveyPrompter) Confirm(message string, defaultValue bool) (bool, error) {
	var answer bool
	q := &confirmPrompt{Confirm: survey.Confirm{Message: sanitize.Text(message), Default: defaultValue}, words: confirmWordsFor(p.printer())}
	if err := p.ask(q, &answer); err != nil {
		return false, err
	}
	return answer, nil
}

// localizedError is a rejected answer's reason as the prompt draws it: in the prompter's
// language.
type localizedError struct {
	text string
	err  error
}

func (e localizedError) Error() string { return e.text }
func (e localizedError) Unwrap() error { return e.err }
