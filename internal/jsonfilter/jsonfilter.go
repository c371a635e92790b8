// Package jsonfilter applies a --jq expression or a --template to the JSON document a
// command prints with -o json: gh's scripting power without jq installed.
//
// A filter is compiled before the command sends anything (JQ, Template), so a typo costs no
// request; it runs on the document once the command has it (Apply). Every error of the
// expression, in its syntax or while it runs, is a usage error (exit 2) naming the flag.
//
// Nothing here runs at start-up: gojq's own package set-up is the only cost a command that
// has no filter pays (docs/performance.md).
package jsonfilter

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/template"
	"time"

	"github.com/k2geospatial/apikeys/internal/third_party/gojq"

	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/sanitize"
)

// Filter is one compiled --jq expression or --template.
type Filter struct {
	flag string // "--jq" or "--template", which errors name
	code *gojq.Code
	tmpl *template.Template
	rows *tableRows // the template's pending tablerow lines
	ctx  context.Context
}

// maxOutput is the most a filter may print, in bytes: its output is held until it ends, so
// a runaway expression (repeat(1), a template ranging over 1e9) fails instead of taking all
// memory. A variable for the tests.
var maxOutput = 256 << 20

// WithContext makes Apply stop when ctx ends (Ctrl-C), and returns f.
func (f *Filter) WithContext(ctx context.Context) *Filter {
	f.ctx = ctx
	return f
}

func (f *Filter) context() context.Context {
	if f.ctx == nil {
		return context.Background()
	}
	return f.ctx
}

// JQ compiles a jq expression. Its outputs print as gh prints them: a string raw (no
// quotes), any other value as compact JSON, one per line.
func JQ(expr string) (*Filter, error) {
	q, err := gojq.Parse(expr)
	if err != nil {
		return nil, jqError(expr, err)
	}
	// No environment ($ENV, env) and no modules: a filter reads the document and nothing else.
	code, err := gojq.Compile(q, gojq.WithEnvironLoader(func() []string { return nil }))
	if err != nil {
		return nil, jqError(expr, err)
	}
	return &Filter{flag: "--jq", code: code}, nil
}

// jqError is a parse or compile error; a parse error says where the expression broke.
func jqError(expr string, err error) error {
	var pe *gojq.ParseError
	if errors.As(err, &pe) && pe.Token != "" && pe.Offset >= len(pe.Token) {
		return errkind.Usagef("--jq: %v at character %d of %q", err, pe.Offset-len(pe.Token)+1, expr)
	}
	return errkind.Usagef("--jq: %v in %q", err, expr)
}

// Template compiles a Go text/template with the helpers of Funcs; now is the clock of
// timeago.
func Template(text string, now func() time.Time) (*Filter, error) {
	f := &Filter{flag: "--template", rows: &tableRows{}}
	t, err := template.New("--template").Option("missingkey=zero").Funcs(funcs(now, f.rows)).Parse(text)
	if err != nil {
		return nil, templateError(err)
	}
	f.tmpl = t
	return f, nil
}

// templateError is a usage error of text/template's message, which stays Go's English.
func templateError(err error) error {
	return errkind.Wrap(errkind.Usage, errors.New(trimTemplateError(err)))
}

// trimTemplateError is text/template's error without its repetitions: "--template:1:2: at
// <timeago .>: error calling timeago: ..." (the template is named --template).
func trimTemplateError(err error) string {
	msg := strings.TrimPrefix(err.Error(), "template: ")
	return strings.Replace(msg, `executing "--template" at`, "at", 1)
}

// Flag is the flag the filter came from, for messages.
func (f *Filter) Flag() string { return f.flag }

// Apply runs the filter on doc, a JSON document, and writes what it outputs to w. The output
// is written only once the filter has finished without error: a failing expression prints
// nothing. On a terminal (tty), every string of the document is first escaped as tables
// show server text (sanitize.Text), so no value can act on the screen; the expression's own
// text (a "\t" it joins with) is kept.
func (f *Filter) Apply(w io.Writer, doc []byte, tty bool) error {
	v, err := decode(doc)
	if err != nil {
		return fmt.Errorf("internal error: %s could not read the JSON output: %w", f.flag, err)
	}
	if tty {
		v = sanitizeStrings(v)
	}
	out := &boundedBuffer{ctx: f.context(), flag: f.flag}
	if f.code != nil {
		err = f.runJQ(out, v)
	} else {
		err = f.runTemplate(out, v)
	}
	if err != nil {
		return err
	}
	if tty { // what the expression itself built (@base64d, implode) cannot act either
		_, err = io.WriteString(w, sanitize.Lines(out.buf.String()))
		return err
	}
	_, err = w.Write(out.buf.Bytes())
	return err
}

func (f *Filter) runJQ(out *boundedBuffer, v any) error {
	iter := f.code.RunWithContext(out.ctx, v)
	for {
		if err := out.err(); err != nil {
			return err
		}
		value, ok := iter.Next()
		if !ok {
			return nil
		}
		if err, isErr := value.(error); isErr {
			if cerr := out.err(); cerr != nil {
				return cerr // Ctrl-C: a cancellation, not an error of the expression
			}
			var halt *gojq.HaltError
			if errors.As(err, &halt) && halt.Value() == nil {
				return nil // halt: a normal end
			}
			return errkind.Usagef("--jq: %v", err)
		}
		// A failed write (output too large, Ctrl-C) is kept by out and returned by out.err()
		// at the top of the loop.
		if s, isString := value.(string); isString {
			_, _ = out.WriteString(s)
		} else {
			b, err := gojq.Marshal(value)
			if err != nil {
				return errkind.Usagef("--jq: %v", err)
			}
			_, _ = out.Write(b)
		}
		_ = out.WriteByte('\n')
	}
}

// runTemplate executes the template aside, so that Ctrl-C ends even a template that loops
// printing nothing; one that prints stops at its next write (boundedBuffer).
func (f *Filter) runTemplate(out *boundedBuffer, v any) error {
	f.rows.reset()
	done := make(chan error, 1)
	go func() { done <- f.tmpl.Execute(out, v) }()
	select {
	case <-out.ctx.Done():
		return out.err()
	case err := <-done:
		if werr := out.err(); werr != nil {
			return werr
		}
		if err != nil {
			return templateError(err)
		}
	}
	f.rows.render(out) // rows not followed by tablerender
	return out.err()
}

// boundedBuffer holds a filter's output until it ends: a write fails once the context has
// ended or the output passed maxOutput, which stops the filter.
type boundedBuffer struct {
	ctx      context.Context
	flag     string
	buf      bytes.Buffer
	tooLarge bool
}

func (b *boundedBuffer) Write(p []byte) (int, error) {
	if err := b.err(); err != nil {
		return 0, err
	}
	if b.buf.Len()+len(p) > maxOutput {
		b.tooLarge = true
		return 0, b.err()
	}
	return b.buf.Write(p)
}

func (b *boundedBuffer) WriteString(s string) (int, error) { return b.Write([]byte(s)) }

func (b *boundedBuffer) WriteByte(c byte) error {
	_, err := b.Write([]byte{c})
	return err
}

// err is why the filter must stop: the context's end, or its output's size.
func (b *boundedBuffer) err() error {
	if err := b.ctx.Err(); err != nil {
		return l10n.Errorf("%s stopped before its end: %w", b.flag, err)
	}
	if b.tooLarge {
		return errkind.Usagef("%s: the output passed %d MiB; is the expression endless?", b.flag, maxOutput>>20)
	}
	return nil
}

// decode reads the document with numbers kept as written (json.Number), which gojq and the
// templates print unchanged.
func decode(doc []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// sanitizeStrings escapes every string of a decoded document, object keys too.
func sanitizeStrings(v any) any {
	switch x := v.(type) {
	case string:
		return sanitize.Text(x)
	case []any:
		for i := range x {
			x[i] = sanitizeStrings(x[i])
		}
	case map[string]any:
		clean := make(map[string]any, len(x))
		for k, e := range x {
			clean[sanitize.Text(k)] = sanitizeStrings(e)
		}
		return clean
	}
	return v
}
