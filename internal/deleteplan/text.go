package deleteplan

import (
	"cmp"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/sanitize"
)

// WriteText writes the plan for a person, in p's language: each key, what it owns, and with
// withActions what will happen. Every string from the server is sanitised (titles are
// quoted with their controls escaped): a resource name must not write the clipboard or
// redraw the screen right before an irreversible delete.
func (pl Plan) WriteText(p *l10n.Printer, w io.Writer, withActions bool) {
	for _, e := range pl {
		p.Fprintf(w, "API key %q (%s): %s\n", e.Title, sanitize.Text(e.ID), resourceSummary(p, e.Resources))
		for _, r := range inSummaryOrder(e.Resources) {
			p.Fprintf(w, "  - %-11s %s\n", resourceNoun(p, r.Type), sanitize.Text(r.Name))
		}
		if withActions {
			p.Fprintf(w, "  → will be deleted; %s\n", actionText(p, e))
		}
	}
}

// WriteActions restates only what will happen, once the resources have been listed. The
// plan speaks in the future: nothing has happened until the outcome is printed.
func (pl Plan) WriteActions(p *l10n.Printer, w io.Writer) {
	for _, e := range pl {
		p.Fprintf(w, "API key %q will be deleted; %s\n", e.Title, actionText(p, e))
	}
}

func actionText(p *l10n.Printer, e *Entry) string {
	switch e.Action {
	case Transfer:
		return p.Sprintf("resources will move to %s (%s)", sanitize.Text(e.TransferTo.Name), sanitize.Text(e.TransferTo.Email))
	case DeleteResources:
		return p.Sprintf("its resources will be DELETED with the key")
	case None:
		return p.Sprintf("it owns nothing")
	}
	return p.Sprintf("who inherits its resources is undecided (pass --transfer-to or --no-transfer)")
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
func resourceSummary(p *l10n.Printer, res []jmapcloud.Resource) string {
	if len(res) == 0 {
		return p.Sprintf("no resources")
	}
	counts := map[string]int{}
	for _, r := range res {
		counts[r.Type]++
	}
	var parts []string
	for _, t := range summaryTypes {
		if n := counts[t]; n > 0 {
			parts = append(parts, resourceCount(p, t, n))
			delete(counts, t)
		}
	}
	var rest []string
	for t := range counts {
		rest = append(rest, t)
	}
	sort.Strings(rest)
	for _, t := range rest {
		parts = append(parts, resourceCount(p, t, counts[t]))
	}
	return strings.Join(parts, ", ")
}

// resourceCount is n resources of type t: "1 data source", "2 layers".
func resourceCount(p *l10n.Printer, t string, n int) string {
	switch t {
	case "DATASOURCE":
		return p.Plural(n, "%d data source", "%d data sources", n)
	case "PROJECT":
		return p.Plural(n, "%d project", "%d projects", n)
	case "LAYER":
		return p.Plural(n, "%d layer", "%d layers", n)
	case "TABLE":
		return p.Plural(n, "%d table", "%d tables", n)
	}
	// A type we do not know, as the server named it: English adds its "s".
	return p.Plural(n, "%d %s", "%d %ss", n, resourceNoun(p, t))
}

func resourceNoun(p *l10n.Printer, t string) string {
	switch t {
	case "DATASOURCE":
		return p.Text("data source")
	case "PROJECT":
		return p.Text("project")
	case "LAYER":
		return p.Text("layer")
	case "TABLE":
		return p.Text("table")
	}
	return sanitize.Text(strings.ToLower(t)) // a type we do not know, as the server named it
}

// OwningKeys says how many of the plan's keys own resources, in p's language: "1 of the 2
// keys owns resources".
func (pl Plan) OwningKeys(p *l10n.Printer) string {
	owning, selected := pl.Owning(), len(pl)
	switch {
	case selected == 1:
		return p.Sprintf("the key owns resources")
	case owning == 1:
		return p.Sprintf("1 of the %d keys owns resources", selected)
	case owning == selected:
		return p.Sprintf("all %d keys own resources", selected)
	}
	return p.Sprintf("%d of the %d keys own resources", owning, selected)
}

// FailureSummary counts what a delete with failures did: "the others were" would be false of
// one key, or of keys an interruption left untried.
func (pl Plan) FailureSummary(p *l10n.Printer) string {
	deleted, unknown := 0, 0
	for _, e := range pl {
		switch {
		case e.Deleted:
			deleted++
		case e.Unknown():
			unknown++
		}
	}
	notDeleted := len(pl) - deleted - unknown
	switch {
	case unknown > 0 && len(pl) == 1:
		return p.Sprintf("The key may have been deleted: the command was interrupted during its delete request.")
	case unknown > 0:
		return p.Sprintf("%d deleted, %d not deleted, %d may have been deleted (interrupted during its delete request).", deleted, notDeleted, unknown)
	case len(pl) == 1:
		return p.Sprintf("The key was not deleted.")
	case deleted == 0:
		return p.Sprintf("None of the %d keys was deleted.", len(pl))
	}
	return p.Plural(notDeleted, "%d key of %d not deleted; %d deleted.", "%d keys of %d not deleted; %d deleted.", notDeleted, len(pl), deleted)
}

// OutcomeSummary is the one line a person reads after a delete: what was deleted and who
// received how many resources ("Deleted 3 API keys; Erin Editor received 5 resources."). With
// failures it is FailureSummary, followed by what became of the deleted keys' resources.
func (pl Plan) OutcomeSummary(p *l10n.Printer) string {
	deleted, received, destroyed := pl.deletedCounts()
	var heir *Member
	for _, e := range pl {
		if e.Deleted && e.TransferTo != nil {
			heir = e.TransferTo
		}
	}
	var what, resources string
	switch {
	case received > 0 && heir != nil:
		resources = p.Plural(received, "; %s received %d resource", "; %s received %d resources", sanitize.Text(heir.Name), received)
	case destroyed > 0 && deleted == 1:
		resources = p.Plural(destroyed, " and its %d resource", " and its %d resources", destroyed)
	case destroyed > 0:
		resources = p.Plural(destroyed, " and their %d resource", " and their %d resources", destroyed)
	}
	if !pl.AllDeleted() {
		if resources == "" {
			return pl.FailureSummary(p)
		}
		return strings.TrimSuffix(pl.FailureSummary(p), ".") + resources + "."
	}
	if len(pl) == 1 {
		what = p.Sprintf("Deleted API key %q", pl[0].Title)
	} else {
		what = p.Sprintf("Deleted %d API keys", len(pl))
	}
	return what + resources + "."
}

// deletedCounts counts the keys deleted, and of their resources those that moved to the heir
// and those deleted with them.
func (pl Plan) deletedCounts() (deleted, received, destroyed int) {
	for _, e := range pl {
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
