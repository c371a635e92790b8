package deleteplan

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/output"
	"github.com/k2geospatial/apikeys/internal/sanitize"
)

// WriteText writes the plan for a person: each key, what it owns, and with withActions what
// will happen. Every string from the server is sanitised (titles are %q-quoted, which escapes
// them too): a resource name must not write the clipboard or redraw the screen right before
// an irreversible delete.
func (p Plan) WriteText(w io.Writer, withActions bool) {
	for _, e := range p {
		fmt.Fprintf(w, "API key %q (%s): %s\n", e.Title, sanitize.Text(e.ID), resourceSummary(e.Resources))
		for _, r := range inSummaryOrder(e.Resources) {
			fmt.Fprintf(w, "  - %-11s %s\n", resourceNoun(r.Type), sanitize.Text(r.Name))
		}
		if withActions {
			fmt.Fprintf(w, "  → will be deleted; %s\n", actionText(e))
		}
	}
}

// WriteActions restates only what will happen, once the resources have been listed. The
// plan speaks in the future: nothing has happened until the outcome is printed.
func (p Plan) WriteActions(w io.Writer) {
	for _, e := range p {
		fmt.Fprintf(w, "API key %q will be deleted; %s\n", e.Title, actionText(e))
	}
}

func actionText(e *Entry) string {
	switch e.Action {
	case Transfer:
		return fmt.Sprintf("resources will move to %s (%s)", sanitize.Text(e.TransferTo.Name), sanitize.Text(e.TransferTo.Email))
	case DeleteResources:
		return "its resources will be DELETED with the key"
	case None:
		return "it owns nothing"
	}
	return "who inherits its resources is undecided (pass --transfer-to or --no-transfer)"
}

// summaryTypes is the order resourceSummary counts the known types in; other types follow,
// by name.
var summaryTypes = []string{"DATASOURCE", "PROJECT", "LAYER", "TABLE"}

// typeRank is where a type comes in summaryTypes; unknown types after them all.
func typeRank(t string) int {
	for i, known := range summaryTypes {
		if t == known {
			return i
		}
	}
	return len(summaryTypes)
}

// inSummaryOrder is res listed in the order resourceSummary counts them (the server's order
// within a type), so "1 data source, 2 layers" is followed by the data source, then the
// layers. res itself is left as the server sent it: the JSON keeps that order.
func inSummaryOrder(res []jmapcloud.Resource) []jmapcloud.Resource {
	sorted := slices.Clone(res)
	slices.SortStableFunc(sorted, func(a, b jmapcloud.Resource) int {
		ra, rb := typeRank(a.Type), typeRank(b.Type)
		if ra != rb || ra < len(summaryTypes) {
			return cmp.Compare(ra, rb)
		}
		return strings.Compare(a.Type, b.Type) // as resourceSummary sorts them
	})
	return sorted
}

// resourceSummary counts a key's resources by type: "2 data sources, 1 project".
func resourceSummary(res []jmapcloud.Resource) string {
	if len(res) == 0 {
		return "no resources"
	}
	counts := map[string]int{}
	for _, r := range res {
		counts[r.Type]++
	}
	var parts []string
	for _, t := range summaryTypes {
		if n := counts[t]; n > 0 {
			parts = append(parts, output.Plural(n, resourceNoun(t)))
			delete(counts, t)
		}
	}
	var rest []string
	for t := range counts {
		rest = append(rest, t)
	}
	sort.Strings(rest)
	for _, t := range rest {
		parts = append(parts, output.Plural(counts[t], resourceNoun(t)))
	}
	return strings.Join(parts, ", ")
}

func resourceNoun(t string) string {
	switch t {
	case "DATASOURCE":
		return "data source"
	case "PROJECT":
		return "project"
	case "LAYER":
		return "layer"
	case "TABLE":
		return "table"
	}
	return sanitize.Text(strings.ToLower(t)) // a type we do not know, as the server named it
}

// OwningKeys says how many of the plan's keys own resources, in English: "1 of the 2 keys
// owns resources".
func (p Plan) OwningKeys() string {
	owning, selected := p.Owning(), len(p)
	switch {
	case selected == 1:
		return "the key owns resources"
	case owning == 1:
		return fmt.Sprintf("1 of the %d keys owns resources", selected)
	case owning == selected:
		return fmt.Sprintf("all %d keys own resources", selected)
	}
	return fmt.Sprintf("%d of the %d keys own resources", owning, selected)
}

// FailureSummary counts what a delete with failures did: "the others were" would be false of
// one key, or of keys an interruption left untried.
func (p Plan) FailureSummary() string {
	deleted, unknown := 0, 0
	for _, e := range p {
		switch {
		case e.Deleted:
			deleted++
		case e.Unknown():
			unknown++
		}
	}
	notDeleted := len(p) - deleted - unknown
	switch {
	case unknown > 0 && len(p) == 1:
		return "The key may have been deleted: the command was interrupted during its delete request."
	case unknown > 0:
		return fmt.Sprintf("%d deleted, %d not deleted, %d may have been deleted (interrupted during its delete request).", deleted, notDeleted, unknown)
	case len(p) == 1:
		return "The key was not deleted."
	case deleted == 0:
		return fmt.Sprintf("None of the %d keys was deleted.", len(p))
	}
	return fmt.Sprintf("%s of %d not deleted; %d deleted.", output.Plural(notDeleted, "key"), len(p), deleted)
}

// OutcomeSummary is the one line a person reads after a delete: what was deleted and who
// received how many resources ("Deleted 3 API keys; Erin Editor received 5 resources."). With
// failures it is FailureSummary, followed by what became of the deleted keys' resources.
func (p Plan) OutcomeSummary() string {
	deleted, received, destroyed := p.deletedCounts()
	var heir *Member
	for _, e := range p {
		if e.Deleted && e.TransferTo != nil {
			heir = e.TransferTo
		}
	}
	var what, resources string
	switch {
	case received > 0 && heir != nil:
		resources = fmt.Sprintf("; %s received %s", sanitize.Text(heir.Name), output.Plural(received, "resource"))
	case destroyed > 0 && deleted == 1:
		resources = " and its " + output.Plural(destroyed, "resource")
	case destroyed > 0:
		resources = " and their " + output.Plural(destroyed, "resource")
	}
	if !p.AllDeleted() {
		if resources == "" {
			return p.FailureSummary()
		}
		return strings.TrimSuffix(p.FailureSummary(), ".") + resources + "."
	}
	if len(p) == 1 {
		what = fmt.Sprintf("Deleted API key %q", p[0].Title)
	} else {
		what = fmt.Sprintf("Deleted %d API keys", len(p))
	}
	return what + resources + "."
}

// deletedCounts counts the keys deleted, and of their resources those that moved to the heir
// and those deleted with them.
func (p Plan) deletedCounts() (deleted, received, destroyed int) {
	for _, e := range p {
		if !e.Deleted {
			continue
		}
		deleted++
		switch e.Action {
		case Transfer:
			received += len(e.Resources)
		case DeleteResources:
			destroyed += len(e.Resources)
		}
	}
	return deleted, received, destroyed
}
