package prompt_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/k2geospatial/apikeys/internal/prompt"
)

func TestScriptedAnswersInOrder(t *testing.T) {
	opts := []string{"Ada", "Grace", "Nobody"}
	p := prompt.NewScripted("Nightly", prompt.DefaultAnswer{}, 1, "Nobody", true, "s3cret", prompt.DefaultAnswer{})

	if got, err := p.Input("Title", "", nil); err != nil || got != "Nightly" {
		t.Fatalf("Input = %q, %v", got, err)
	}
	if got, err := p.Input("Role", "viewer", nil); err != nil || got != "viewer" {
		t.Fatalf("Input default = %q, %v", got, err)
	}
	if got, err := p.Select("Heir", opts, 0); err != nil || got != 1 {
		t.Fatalf("Select by index = %d, %v", got, err)
	}
	if got, err := p.Select("Heir again", opts, 0); err != nil || got != 2 {
		t.Fatalf("Select by text = %d, %v", got, err)
	}
	if got, err := p.Confirm("Sure?", false); err != nil || !got {
		t.Fatalf("Confirm = %v, %v", got, err)
	}
	if got, err := p.Password("Password"); err != nil || got != "s3cret" {
		t.Fatalf("Password = %q, %v", got, err)
	}
	if got, err := p.Confirm("Really?", true); err != nil || !got {
		t.Fatalf("Confirm default = %v, %v", got, err)
	}
	if err := p.Done(); err != nil {
		t.Fatal(err)
	}
	want := []string{"Title", "Role", "Heir", "Heir again", "Sure?", "Password", "Really?"}
	if got := p.Asked(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Asked = %q, want %q", got, want)
	}
	c := p.Calls()[2]
	if c.Kind != "select" || c.Default != 0 || !reflect.DeepEqual(c.Options, opts) {
		t.Fatalf("Calls()[2] = %+v", c)
	}
}

func TestScriptedInputEmptyAnswerTakesDefault(t *testing.T) {
	p := prompt.NewScripted("")
	if got, err := p.Input("Expires", "90d", nil); err != nil || got != "90d" {
		t.Fatalf("Input = %q, %v; want the default", got, err)
	}
}

func TestScriptedInputValidationReasks(t *testing.T) {
	p := prompt.NewScripted("soon", "tomorrow", "30d")
	validate := func(s string) error {
		if !strings.HasSuffix(s, "d") {
			return fmt.Errorf("%q is not a duration", s)
		}
		return nil
	}
	got, err := p.Input("Expires", "", validate)
	if err != nil || got != "30d" {
		t.Fatalf("Input = %q, %v; want 30d", got, err)
	}
	want := []string{`"soon" is not a duration`, `"tomorrow" is not a duration`}
	if c := p.Calls(); len(c) != 1 || !reflect.DeepEqual(c[0].Rejected, want) {
		t.Fatalf("Calls = %+v, want one input with rejections %q", c, want)
	}
}

func TestScriptedErrors(t *testing.T) {
	validate := func(string) error { return errors.New("never valid") }
	tests := []struct {
		name      string
		answers   []any
		ask       func(p *prompt.Scripted) error
		wantIs    error
		wantInMsg string
	}{
		{
			name:    "cancel",
			answers: []any{prompt.ErrCancelled},
			ask:     func(p *prompt.Scripted) error { _, err := p.Confirm("Delete?", false); return err },
			wantIs:  prompt.ErrCancelled,
		},
		{
			name:      "nothing left",
			answers:   nil,
			ask:       func(p *prompt.Scripted) error { _, err := p.Input("Title", "", nil); return err },
			wantIs:    prompt.ErrUnscripted,
			wantInMsg: `input "Title": no answer left`,
		},
		{
			name:      "wrong type",
			answers:   []any{"yes"},
			ask:       func(p *prompt.Scripted) error { _, err := p.Confirm("Delete?", false); return err },
			wantIs:    prompt.ErrUnscripted,
			wantInMsg: `confirm "Delete?": answer "yes" does not fit`,
		},
		{
			name:      "select index out of range",
			answers:   []any{5},
			ask:       func(p *prompt.Scripted) error { _, err := p.Select("Heir", []string{"a", "b"}, 0); return err },
			wantIs:    prompt.ErrUnscripted,
			wantInMsg: "index 5 out of range for 2 options",
		},
		{
			name:      "select unknown option",
			answers:   []any{"c"},
			ask:       func(p *prompt.Scripted) error { _, err := p.Select("Heir", []string{"a", "b"}, 0); return err },
			wantIs:    prompt.ErrUnscripted,
			wantInMsg: `no option "c"`,
		},
		{
			name:      "validation never satisfied",
			answers:   []any{"x", "y"},
			ask:       func(p *prompt.Scripted) error { _, err := p.Input("Title", "", validate); return err },
			wantIs:    prompt.ErrUnscripted,
			wantInMsg: "no answer left",
		},
		{
			name:      "password wants a string",
			answers:   []any{42},
			ask:       func(p *prompt.Scripted) error { _, err := p.Password("Password"); return err },
			wantIs:    prompt.ErrUnscripted,
			wantInMsg: "answer 42 does not fit",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := prompt.NewScripted(tt.answers...)
			err := tt.ask(p)
			if !errors.Is(err, tt.wantIs) {
				t.Fatalf("err = %v, want one wrapping %v", err, tt.wantIs)
			}
			if !strings.Contains(fmt.Sprint(err), tt.wantInMsg) {
				t.Fatalf("err = %q, want it to contain %q", err, tt.wantInMsg)
			}
		})
	}
}

func TestScriptedDoneReportsUnusedAnswers(t *testing.T) {
	p := prompt.NewScripted("a", true)
	if _, err := p.Input("Title", "", nil); err != nil {
		t.Fatal(err)
	}
	err := p.Done()
	if err == nil || !strings.Contains(err.Error(), "1 answer(s) never asked for: true") {
		t.Fatalf("Done = %v", err)
	}
}
