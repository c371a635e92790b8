package completion

import (
	"testing"
)

// texts are the candidates as cobra writes them: "value", or "value\tdescription".
func texts(cands []Candidate) []string {
	if cands == nil {
		return nil
	}
	out := make([]string, len(cands))
	for i, c := range cands {
		out[i] = c.Value
		if c.Desc != "" {
			out[i] += "\t" + c.Desc
		}
	}
	return out
}

func TestUnquoteShellWord(t *testing.T) {
	for in, want := range map[string]string{
		`GeoServer\ s`: "GeoServer s", `'Public web`: "Public web", `"a b" c`: "a b c",
		`'it\'`: `it\`, `plain`: "plain", `a\\b`: `a\b`, ``: ``,
	} {
		if got := unquoteShellWord(in); got != want {
			t.Errorf("unquoteShellWord(%q) = %q, want %q", in, got, want)
		}
	}
}
