package iostreams

import "testing"

func TestTruthy(t *testing.T) {
	for in, want := range map[string]bool{
		"": false, "0": false, "false": false, "FALSE": false, "f": false, "no": false, "NO": false, "off": false,
		"1": true, "true": true, "T": true, "yes": true, "on": true, "anything": true,
	} {
		if got := truthy(in); got != want {
			t.Errorf("truthy(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestCanPromptNeedsTerminalsAndNoOptOut(t *testing.T) {
	s, _, _, _ := Test()
	if s.CanPrompt() {
		t.Fatal("buffers are no terminal, yet CanPrompt is true")
	}
	s.SetTTY(true, false, true)
	if !s.CanPrompt() {
		t.Fatal("stdin and stderr are terminals: prompts are possible")
	}
	s.SetPromptDisabled(true)
	if s.CanPrompt() {
		t.Fatal("APIKEYS_PROMPT_DISABLED is ignored")
	}
	s.SetTTY(true, true, false)
	s.SetPromptDisabled(false)
	if s.CanPrompt() {
		t.Fatal("prompts are drawn on stderr, which is not a terminal")
	}
}
