package completion

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/output"
	"github.com/k2geospatial/apikeys/internal/sanitize"
)

// keysReference is Keys as it was before its candidates were built in one string each: the
// plain reading of Keys' doc comment, which Keys must agree with (TestKeysAgreeWithReference,
// FuzzKeysAgreeWithReference).
func keysReference(p *l10n.Printer, keys []Key, taken []string, typed string, now time.Time) []Candidate {
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

// keyCases are keys that exercise every branch of Keys: titles equal but for case, titles
// that are not safe text or start with '-', IDs that are not safe text or are missing,
// non-ASCII titles whose lower case is longer, roles the service may send, and expiries in
// the past, the future, at now and none.
func keyCases(now time.Time) []Key {
	return []Key{
		{ID: "bbbb-2", Title: "Power BI", Role: "ORG_VIEWER", Expires: now.AddDate(0, 1, 0)},
		{ID: "aaaa-1", Title: "power bi", Role: "ORG_EDITOR", Expires: now.AddDate(0, 2, 0)},
		{ID: "AAAA-0", Title: "POWER BI", Role: "editor", Expires: now},
		{ID: "cccc-3", Title: "CI deploy", Role: "ORG_EDITOR", Expires: now.AddDate(0, 0, -3)},
		{ID: "dddd-4", Title: "-dash", Role: "ORG_EDITOR"},
		{ID: "eeee-5", Title: "two\nlines", Role: "ORG_VIEWER", Expires: now.AddDate(1, 0, 0)},
		{ID: "", Title: "no ID sent", Role: "ORG_VIEWER", Expires: now.AddDate(0, 1, 0)},
		{ID: "ffff\x1b[31m", Title: "escape in the ID", Role: "ORG_ADMIN", Expires: now.AddDate(0, 0, 1)},
		{ID: "gggg-7", Title: "Ⱥrchive ÉTÉ \u202e", Role: "", Expires: now.AddDate(-1, 0, 0)},
		{ID: "hhhh-8", Title: "Ⱥrchive été", Role: "ROLE_UNKNOWN", Expires: time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{ID: "iiii-9", Title: "bad \xff utf-8", Role: "ORG_VIEWER", Expires: time.Unix(0, 0).In(time.FixedZone("x", 3600))},
		{ID: "jjjj-10", Title: "", Role: "ORG_EDITOR"},
		{ID: "kkkk-11", Title: "Kelvin \u212a", Role: "ORG_VIEWER"},
		{ID: "llll-12", Title: "kelvin k", Role: "ORG_VIEWER"},
	}
}

// Keys builds its candidates in one string with the words translated once; it must offer what
// the plain reading of its doc comment offers, byte for byte, in every language.
func TestKeysAgreeWithReference(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	keys := keyCases(now)
	for _, lang := range []l10n.Lang{l10n.English, l10n.French} {
		p := l10n.For(lang)
		for _, taken := range [][]string{nil, {"CCCC-3"}, {"power bi", "no id sent"}} {
			for _, typed := range []string{"", "p", "PoWeR", "c", "'CI d", "ci\\ d", "a", "AAAA", "Ⱥ", "ⱥrchive é", "x", "-", "bad \xff", "kelvin"} {
				got := texts(Keys(p, keys, taken, typed, now))
				want := texts(keysReference(p, keys, taken, typed, now))
				if !slices.Equal(got, want) {
					t.Errorf("%s, taken %q, typed %q:\n got %q\nwant %q", lang, taken, typed, got, want)
				}
			}
		}
	}
	if got := Keys(nil, nil, nil, "", now); got != nil {
		t.Errorf("no keys gave %q", texts(got))
	}
	if got := Keys(nil, keys, nil, "zzz", now); got != nil {
		t.Errorf("nothing matching gave %q", texts(got))
	}
}

func FuzzKeysAgreeWithReference(f *testing.F) {
	f.Add("Power BI", "bbbb-2", "ORG_VIEWER", int64(1e9), "power bi", "p", false)
	f.Add("Ⱥrchive", "AAAA", "editor", int64(-1), "ⱥRCHIVE", "ⱥ", true)
	f.Add("two\nlines", "x\x1b", "", int64(0), "-dash", "'tw", false)
	f.Fuzz(func(t *testing.T, title, id, role string, expires int64, other, typed string, french bool) {
		now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
		var exp time.Time
		if expires != 0 {
			exp = time.Unix(expires%(1<<40), 0)
		}
		keys := []Key{
			{ID: id, Title: title, Role: role, Expires: exp},
			{ID: id + "-2", Title: other, Role: "ORG_EDITOR", Expires: now},
			{ID: "", Title: title + other, Role: role},
		}
		slices.SortFunc(keys, CompareKeys)
		p := l10n.For(l10n.English)
		if french {
			p = l10n.For(l10n.French)
		}
		for _, taken := range [][]string{nil, {id}, {other}} {
			got := texts(Keys(p, keys, taken, typed, now))
			want := texts(keysReference(p, keys, taken, typed, now))
			if !slices.Equal(got, want) {
				t.Fatalf("taken %q, typed %q:\n got %q\nwant %q", taken, typed, got, want)
			}
		}
	})
}

// A candidate whose Value or Desc was changed after Keys made it is written as it now is.
func TestCandidateLineFollowsItsFields(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	cands := Keys(nil, []Key{{ID: "aaaa-1", Title: "CI deploy", Role: "ORG_EDITOR"}}, nil, "", now)
	if len(cands) != 2 || cands[1].Line() != "aaaa-1\tCI deploy · editor · no expiry" {
		t.Fatalf("candidates %q", texts(cands))
	}
	c := cands[1]
	c.Desc = "changed"
	if got := c.Line(); got != "aaaa-1\tchanged" {
		t.Errorf("Desc changed: Line() = %q", got)
	}
	c = cands[1]
	c.Value, c.Desc = "", ""
	if got := c.Line(); got != "" {
		t.Errorf("Value and Desc emptied: Line() = %q", got)
	}
}
