package keyselect

import (
	"context"
	"strings"
	"time"

	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/output"
)

// Selection is what a command was asked to choose: KEY arguments (IDs or exact titles), list
// filters, or with All and neither, every key of the organization. Given with Filters, All
// allows a selection of every key (see Select).
type Selection struct {
	Refs    []string
	Filters []output.Filter
	All     bool
}

// Select resolves a Selection into a de-duplicated list of keys to delete, in order: the KEYs
// as given, then the keys the filters match, sorted as list sorts them. The warnings about the
// malformed keys chosen are returned whether or not the selection stands.
//
// It refuses, with nothing selected: an unknown KEY (not found, naming every unknown one); a
// selection that an unreadable field leaves uncertain (a filter cannot tell whether a key
// matches); a chosen key without an ID, which cannot be deleted; and filters matching every
// key of the organization unless All says so (a usage error). KEYs alone are fetched by ID
// where they are IDs; Filters and All choose among every key, so with them the organization is
// listed first and the KEYs are found in that list.
func Select(ctx context.Context, src Source, sel Selection, now time.Time) ([]jmapcloud.APIKey, Warnings, error) {
	var warn Warnings
	keys := &finder{src: src}
	if sel.All || len(sel.Filters) > 0 {
		if _, err := keys.list(ctx); err != nil {
			return nil, warn, err
		}
	}
	chosen, err := selectAmong(ctx, keys, sel, now, &warn)
	if err != nil {
		return nil, warn, err
	}
	for i := range chosen {
		if chosen[i].ID == "" {
			return nil, warn, l10n.Errorf("%s has no ID, so it cannot be deleted; nothing was deleted\nselect only keys that have an ID (see the warning)", keyName(&chosen[i]))
		}
	}
	return chosen, warn, nil
}

// selectAmong chooses the keys; keys is already listed when All or Filters are given.
func selectAmong(ctx context.Context, keys *finder, sel Selection, now time.Time, warn *Warnings) ([]jmapcloud.APIKey, error) {
	seen := map[string]bool{}
	var chosen []jmapcloud.APIKey
	if sel.All && len(sel.Refs) == 0 && len(sel.Filters) == 0 {
		all := keys.all
		for i := range all {
			if Malformed(&all[i]) {
				warn.Add(&all[i], l10n.Msg{})
			}
			if !seen[all[i].ID] { // a bare array may name a key twice: delete it once
				seen[all[i].ID] = true
				chosen = append(chosen, all[i])
			}
		}
		return chosen, nil
	}
	var unknown []string
	for _, ref := range sel.Refs {
		k, err := keys.find(ctx, ref)
		if err != nil {
			if errkind.Is(err, errkind.NotFound) {
				unknown = append(unknown, ref)
				continue
			}
			return nil, err
		}
		if !seen[k.ID] {
			seen[k.ID] = true
			chosen = append(chosen, k)
			if Malformed(&k) {
				warn.Add(&chosen[len(chosen)-1], l10n.Msg{})
			}
		}
	}
	if len(unknown) > 0 {
		warnUnreadableTitles(keys.all, warn) // an unknown KEY was looked for in the list
		return nil, errkind.NotFoundf("no API key with ID or title %s; nothing was deleted\n%s", output.QuotedList(unknown), unknownAdvice(keys.all, unknown))
	}
	if len(sel.Filters) > 0 {
		return addFiltered(chosen, seen, keys.all, sel, now, warn)
	}
	return chosen, nil
}

// unknownAdvice is what to do about unknown KEYs: when one is the start of a listed key's ID
// (show takes those), that delete takes only whole IDs, so that it deletes exactly the key
// named, and how to see the whole ID; else to list the keys.
func unknownAdvice(all []jmapcloud.APIKey, unknown []string) l10n.Msg {
	for _, ref := range unknown {
		prefix := strings.TrimSpace(ref)
		if !looksLikeIDPrefix(prefix) {
			continue
		}
		for i := range all {
			if len(all[i].ID) > len(prefix) && strings.EqualFold(all[i].ID[:len(prefix)], prefix) {
				return l10n.M("%q is the start of an ID: delete takes a whole ID or an exact title, so that it deletes exactly the key you name\nrun `apikeys show %s` to find the whole ID", prefix, prefix)
			}
		}
	}
	return l10n.M("run `apikeys list` to see the keys")
}

// addFiltered appends to chosen the keys among all that the filters match, unless a filter
// cannot decide a malformed key or the filters match every key without sel.All.
func addFiltered(chosen []jmapcloud.APIKey, seen map[string]bool, all []jmapcloud.APIKey, sel Selection, now time.Time, warn *Warnings) ([]jmapcloud.APIKey, error) {
	undecided := 0
	rows := FilterRows(all, sel.Filters, now, func(k *jmapcloud.APIKey, field string) {
		if field != "" {
			warn.Add(k, l10n.M("a filter on %s cannot tell whether it matches", field))
			undecided++
		} else {
			warn.Add(k, l10n.Msg{})
		}
	})
	if undecided > 0 {
		return nil, msgError{l10n.P(undecided,
			"%d API key cannot be tested against the filters: a field they read is unreadable from the server; nothing was deleted\nname the keys by ID, or filter on other fields (see the warnings)",
			"%d API keys cannot be tested against the filters: a field they read is unreadable from the server; nothing was deleted\nname the keys by ID, or filter on other fields (see the warnings)",
			undecided)}
	}
	byID := map[string]jmapcloud.APIKey{}
	for _, k := range all {
		byID[k.ID] = k
	}
	output.SortKeys(rows, nil)
	matched := map[string]bool{}
	for _, r := range rows {
		matched[r.ID] = true
		if !seen[r.ID] {
			seen[r.ID] = true
			chosen = append(chosen, byID[r.ID])
		}
	}
	// The filters' matches, not the KEYs beside them, and against the keys, not the list's
	// entries: a bare array may name a key twice.
	if err := checkEveryKeySelected(len(matched), len(byID), sel.All); err != nil {
		return nil, err
	}
	return chosen, nil
}

// checkEveryKeySelected refuses a filter selection that is every key of the organization
// unless all says so (as kubectl asks): a filter that matches everything is more often a
// mistake (an unset variable, a wrong field) than a wish. Dry runs are refused too, so a
// script tried with --dry-run behaves the same once the flag is removed.
func checkEveryKeySelected(selected, total int, all bool) error {
	if all || total == 0 || selected < total {
		return nil
	}
	return errkind.Usagef("the selection matches every key of the organization (%d); nothing was deleted\npass --all to delete every key, or narrow the --filter", total)
}

// msgError is an error whose message counts (l10n.P), said in the reader's language.
type msgError struct{ msg l10n.Msg }

func (e msgError) Error() string                   { return e.msg.String() }
func (e msgError) Localize(p *l10n.Printer) string { return e.msg.Localize(p) }
