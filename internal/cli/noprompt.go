package cli

import "github.com/k2geospatial/apikeys/internal/iostreams"

// promptsOff is why nothing is asked on a terminal whose prompts APIKEYS_PROMPT_DISABLED
// turned off, in the refusals that name the flags to pass instead.
const promptsOff = "prompts are disabled (APIKEYS_PROMPT_DISABLED)"

// promptsDisabled reports that a person could answer on these terminals but prompts are
// turned off: a refusal then says so, not that there is no terminal, which a person looking
// at one would not believe.
func promptsDisabled(s *iostreams.IOStreams) bool {
	return s.IsStdinTTY() && s.IsStderrTTY() && !s.CanPrompt()
}
