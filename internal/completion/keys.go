package completion

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/output"
	"github.com/k2geospatial/apikeys/internal/sanitize"
)

// Key is what completion keeps of an API key: no secret, no email.
type Key struct {
	ID      string    `json:"id"`
	Title   string    `json:"title"`
	Role    string    `json:"role"`
	Expires time.Time `json:"expires"`
}

// Editor is what completion keeps of a member holding the Editor role.
type Editor struct {
	Email string `json:"email"`
	Name  string `json:"name"`
}

// Keys builds the KEY candidates matching typed: every ID, described as
// "title · role · expiry", and every title that names one key only (an ambiguous title would
// be refused by the command), described as "role · expiry · ID". Keys already in taken are
// left out. Titles a shell cannot take as one word safely (control or bidi characters, a
// leading '-') are offered by ID only, and an ID that is not safe text is not offered. The
// expiry is said in p's language; the role is its value, as --role and --filter take it.
func Keys(p *l10n.Printer, keys []Key, taken []string, typed string, now time.Time) []Candidate {
	given := map[string]bool{}
	for _, t := range taken {
		given[strings.ToLower(t)] = true
	}
	// Lower-case each title once: sorting with ToLower in the comparison was most of the time
	// a completion of 1,000 keys took.
	type entry struct {
		key   Key
		lower string
	}
	sorted := make([]entry, len(keys))
	titles := make(map[string]int, len(keys))
	for i, k := range keys {
		sorted[i] = entry{key: k, lower: strings.ToLower(k.Title)}
		titles[sorted[i].lower]++
	}
	// (title, ID) is a total order, IDs being unique, so an unstable sort is deterministic.
	slices.SortFunc(sorted, func(a, b entry) int {
		if c := strings.Compare(a.lower, b.lower); c != 0 {
			return c
		}
		return strings.Compare(a.key.ID, b.key.ID)
	})
	unquoted := unquoteShellWord(typed)
	var byTitle, byID []Candidate
	for _, e := range sorted {
		k := e.key
		if len(given) > 0 && (given[strings.ToLower(k.ID)] || given[e.lower]) {
			continue
		}
		// The description is read, not typed: the role in p's language ("éditeur").
		role, expiry := output.RoleText(p, output.RoleName(k.Role)), expiryText(p, k.Expires, now)
		if usableTitle(k.Title) && titles[e.lower] == 1 && (hasPrefixFold(k.Title, typed) || hasPrefixFold(k.Title, unquoted)) {
			desc := role + " · " + expiry
			if k.ID != "" {
				desc += " · " + k.ID
			}
			byTitle = append(byTitle, describe(k.Title, desc))
		}
		if k.ID != "" && sanitize.Safe(k.ID) && hasPrefixFold(k.ID, typed) {
			byID = append(byID, describe(k.ID, k.Title+" · "+role+" · "+expiry))
		}
	}
	return append(byTitle, byID...)
}

// CompareKeys is the candidates' order: title case-insensitively, then ID. A list kept in
// this order is sorted once, when it is fetched, rather than at each completion.
func CompareKeys(a, b Key) int {
	if c := strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// Editors completes an Editor's email (delete --transfer-to), described by the member's
// name. An email the terminal would act on is not offered: escaped it would name nobody,
// raw it would reach the shell and the screen.
func Editors(editors []Editor, typed string) []Candidate {
	var out []Candidate
	for _, m := range editors {
		if m.Email != "" && sanitize.Safe(m.Email) && hasPrefixFold(m.Email, typed) {
			out = append(out, describe(m.Email, m.Name))
		}
	}
	return out
}

// Profiles completes a profile name (--profile) from the profiles of the configuration file,
// each mapped to its API URL, which describes it. Names are offered in alphabetical order;
// a name that is not safe text is not offered.
func Profiles(apiURLs map[string]string, typed string) []Candidate {
	names := make([]string, 0, len(apiURLs))
	for name := range apiURLs {
		names = append(names, name)
	}
	sort.Strings(names)
	var out []Candidate
	for _, name := range names {
		if sanitize.Safe(name) && hasPrefixFold(name, typed) {
			out = append(out, describe(name, apiURLs[name]))
		}
	}
	return out
}

func usableTitle(t string) bool {
	return t != "" && !strings.HasPrefix(t, "-") && sanitize.Safe(t)
}

// expiryText says when a key expires, as a date (descriptions stay short and stable).
func expiryText(p *l10n.Printer, t, now time.Time) string {
	switch {
	case t.IsZero():
		return p.Text("no expiry")
	case !t.After(now):
		return p.Sprintf("expired %s", t.UTC().Format("2006-01-02"))
	}
	return p.Sprintf("expires %s", t.UTC().Format("2006-01-02"))
}
