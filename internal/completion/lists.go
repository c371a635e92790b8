package completion

import (
	"strings"

	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/output"
)

// Fields completes a comma-separated list of key fields (--hide).
func Fields(typed string) []Candidate {
	return listCandidates(typed, plainChoices(output.KeyFieldNames()))
}

// Columns completes --columns: the key fields, or "all" as the only item.
func Columns(p *l10n.Printer, typed string) []Candidate {
	choices := plainChoices(output.KeyFieldNames())
	if !strings.Contains(typed, ",") {
		choices = append(choices, Candidate{Value: "all", Desc: p.Text("every column")})
	}
	return listCandidates(typed, choices)
}

// Sort completes --sort: each key ascending, or descending with a '-' prefix. The
// descending forms are offered once the item being typed starts with '-', or when it is empty.
func Sort(p *l10n.Printer, typed string) []Candidate {
	_, cur := splitLast(typed)
	var choices []Candidate
	ascending, descending := p.Text("ascending"), p.Text("descending")
	for _, name := range output.KeyFieldNames() {
		if !strings.HasPrefix(cur, "-") {
			choices = append(choices, Candidate{Value: name, Desc: ascending})
		}
	}
	if cur == "" || strings.HasPrefix(cur, "-") {
		for _, name := range output.KeyFieldNames() {
			choices = append(choices, Candidate{Value: "-" + name, Desc: descending})
		}
	}
	return listCandidates(typed, choices)
}

func plainChoices(values []string) []Candidate {
	out := make([]Candidate, len(values))
	for i, v := range values {
		out[i] = Candidate{Value: v}
	}
	return out
}

// splitLast splits a comma-separated list being typed into what is complete (up to and
// including the last comma) and the item being typed.
func splitLast(typed string) (head, cur string) {
	if i := strings.LastIndexByte(typed, ','); i >= 0 {
		return typed[:i+1], typed[i+1:]
	}
	return "", typed
}

// usedItems are the list items already given, lower-cased, with any '-' of a sort key removed.
func usedItems(head string) map[string]bool {
	used := map[string]bool{}
	for item := range strings.SplitSeq(head, ",") {
		item = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(item), "-"))
		if item != "" {
			used[item] = true
		}
	}
	return used
}

// listCandidates completes the item after the last comma of a list: each candidate is the
// whole list so far plus one item not yet listed, so the shell replaces the word as usual.
func listCandidates(typed string, choices []Candidate) []Candidate {
	head, cur := splitLast(typed)
	used := usedItems(head)
	var out []Candidate
	for _, ch := range choices {
		if used[strings.ToLower(strings.TrimPrefix(ch.Value, "-"))] || !hasPrefixFold(ch.Value, cur) {
			continue
		}
		out = append(out, Candidate{Value: head + ch.Value, Desc: ch.Desc})
	}
	return out
}
