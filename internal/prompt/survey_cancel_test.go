//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package prompt_test

import (
	"context"
	"errors"
	"testing"

	"github.com/k2geospatial/apikeys/internal/prompt"
	"github.com/k2geospatial/apikeys/internal/prompt/ptytest"
)

// A prompt of NewSurveyContext ends with ErrCancelled when its context is cancelled while
// it waits for keys; later prompts end at once.
func TestSurveyContextCancelsAWaitingPrompt(t *testing.T) {
	t.Parallel()
	c := ptytest.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := prompt.NewSurveyContext(ctx, c.Tty(), c.Tty(), c.Tty())
	var err error
	wait := c.Go(func() { _, err = p.Select("Who inherits?", []string{"Erin", "Eddie"}, 0) })
	c.ExpectString("Eddie")
	cancel()
	wait()
	if !errors.Is(err, prompt.ErrCancelled) {
		t.Fatalf("Select after cancel: %v, want ErrCancelled", err)
	}
	if _, err := p.Confirm("Delete?", false); !errors.Is(err, prompt.ErrCancelled) {
		t.Fatalf("Confirm after cancel: %v, want ErrCancelled", err)
	}
}

// The one reader behind NewSurveyContext hands every key to the prompt waiting at the time:
// successive prompts get their own answers.
func TestSurveyContextSuccessivePrompts(t *testing.T) {
	t.Parallel()
	c := ptytest.New(t)
	p := prompt.NewSurveyContext(context.Background(), c.Tty(), c.Tty(), c.Tty())
	var index int
	var yes bool
	var title string
	var err1, err2, err3 error
	wait := c.Go(func() {
		index, err1 = p.Select("Who inherits?", []string{"Erin", "Eddie"}, 0)
		if err1 == nil {
			yes, err2 = p.Confirm("Delete?", false)
		}
		if err2 == nil {
			title, err3 = p.Input("Title", "", nil)
		}
	})
	c.ExpectString("Eddie")
	c.Send(ptytest.KeyDown + ptytest.KeyEnter)
	c.ExpectString("Delete?")
	c.Send("y" + ptytest.KeyEnter)
	c.ExpectString("Title")
	c.Send("nightly" + ptytest.KeyEnter)
	wait()
	if err := errors.Join(err1, err2, err3); err != nil {
		t.Fatal(err)
	}
	if index != 1 || !yes || title != "nightly" {
		t.Fatalf("answers %d, %v, %q; want 1, true, \"nightly\"", index, yes, title)
	}
}
