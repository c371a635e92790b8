package output

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// upper is a DocumentFilter that prints the document's text in upper case, or drops it.
type upper struct{ drop bool }

func (u upper) Apply(w io.Writer, doc []byte, _ bool) error {
	if u.drop {
		return nil
	}
	_, err := io.WriteString(w, strings.ToUpper(string(doc)))
	return err
}

func (upper) Flag() string { return "--test" }

// A printer with a filter hands it the JSON document whatever the format and the shape (CSV
// refused by the spec included), and reports a result whose Keep the filter dropped.
func TestPrinterFilter(t *testing.T) {
	var out bytes.Buffer
	p, err := NewPrinter(Spec{Command: "create", Shape: Object}, CSV, PrinterOptions{Out: &out, Filter: upper{}})
	if err != nil || p.Format() != JSON {
		t.Fatalf("NewPrinter: %v, format %s; want json", err, p.Format())
	}
	data := map[string]string{"secret": "s3cret"}
	if err := p.Print(Result{Data: data, Keep: "s3cret"}); err == nil {
		t.Errorf("a filter that changed the secret was not reported (printed %q)", out.String())
	}
	out.Reset()
	p, _ = NewPrinter(Spec{Command: "create", Shape: Object}, JSON, PrinterOptions{Out: &out, Filter: upper{drop: true}})
	var dropped *DroppedError
	if err := p.Probe(Result{Data: data, Keep: "s3cret"}); !errors.As(err, &dropped) || out.Len() != 0 {
		t.Errorf("Probe: %v, printed %q; want a *DroppedError and nothing printed", err, out.String())
	}
	p, _ = NewPrinter(Spec{Command: "list", Shape: Records}, Table, PrinterOptions{Out: &out, Filter: upper{}})
	w, flush := p.Output()
	io.WriteString(w, `[{"id":"k1"}]`)
	if err := flush(); err != nil || out.String() != `[{"ID":"K1"}]` {
		t.Errorf("Output: %q, %v", out.String(), err)
	}
	out.Reset()
	p, _ = NewPrinter(Spec{Command: "list", Shape: Records}, Table, PrinterOptions{Out: &out})
	w, flush = p.Output()
	if w != io.Writer(&out) || flush() != nil {
		t.Error("without a filter, Output is the printer's own writer")
	}
}
