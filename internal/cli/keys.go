package cli

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/output"
	"github.com/k2geospatial/apikeys/internal/sanitize"
)

// toOutputKey turns an API key into the row every output format prints. A key whose expiry
// is unreadable has the status "unknown" (an empty expiry would mean "never expires").
func toOutputKey(k jmapcloud.APIKey, now time.Time) output.Key {
	status := output.KeyStatus(k.ExpirationDate, now)
	if k.Problems().ExpirationDate != "" {
		status = output.StatusUnknown
	}
	return output.NormalizeKey(output.Key{
		ID:      k.ID,
		Title:   k.Title,
		Role:    output.RoleName(k.Role),
		Creator: k.CreatedBy,
		Email:   k.Email,
		Created: k.CreationDate,
		Expires: k.ExpirationDate,
		Status:  status,
	}, now)
}

type keyLister interface {
	ListKeys(ctx context.Context) ([]jmapcloud.APIKey, error)
}

// uuidPattern is the shape of the API's key IDs (UUIDs, API.md).
var uuidPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
})

// keyFinder resolves KEY arguments as resolveKey does among every key, listing the
// organization only when it must: a KEY shaped as an ID is fetched by that ID (one small
// request; the list of 100,000 keys is 24 MB), and the list, fetched once, serves titles and
// the IDs the server does not know by that spelling (a title may look like a UUID, and
// resolveKey matches IDs case-insensitively).
type keyFinder struct {
	api    keyGetter
	all    []jmapcloud.APIKey // every key, once listed
	listed bool
}

// list returns every key of the organization, asking the server the first time only.
func (f *keyFinder) list(ctx context.Context) ([]jmapcloud.APIKey, error) {
	if !f.listed {
		keys, err := f.api.ListKeys(ctx)
		if err != nil {
			return nil, err
		}
		f.all, f.listed = keys, true
	}
	return f.all, nil
}

// find resolves one KEY: by ID first, then by exact title (see resolveKey).
func (f *keyFinder) find(ctx context.Context, ref string) (jmapcloud.APIKey, error) {
	if ref == "" {
		return resolveKey(nil, ref) // a usage error, before any request
	}
	if !f.listed && uuidPattern().MatchString(ref) {
		k, err := f.api.GetKey(ctx, ref)
		switch {
		case err == nil:
			return k, checkFetchedKey(k, ref)
		case !jmapcloud.IsNotFound(err):
			return jmapcloud.APIKey{}, err
		}
	}
	all, err := f.list(ctx)
	if err != nil {
		return jmapcloud.APIKey{}, err
	}
	return resolveKey(all, ref)
}

// checkFetchedKey refuses an answer to GET …/api-keys/ID that is another key: delete would
// then read and delete that other key. A key sent without an ID is left to the callers, which
// warn about it (show) or refuse it (delete), as they do for a listed one.
func checkFetchedKey(k jmapcloud.APIKey, id string) error {
	if k.ID == "" || strings.EqualFold(k.ID, id) {
		return nil
	}
	return fmt.Errorf("asked for API key %s, the server answered with API key %s; nothing was done\nrun the command again, or name the key by title", id, sanitize.Text(k.ID))
}

// findKey resolves show's KEY. When no key has it as ID or title, the keys whose title is
// unreadable are warned about: ref may be one.
func findKey(ctx context.Context, api keyGetter, ref string, warn *keyWarnings) (jmapcloud.APIKey, error) {
	keys := &keyFinder{api: api}
	k, err := keys.find(ctx, ref)
	if errkind.Is(err, errkind.NotFound) {
		warnUnreadableTitles(keys.all, warn)
	}
	return k, err
}

// resolveKey finds a key by ID or by exact, case-insensitive title among keys.
// Ambiguity is exit 2 listing the matches; no match is exit 5.
func resolveKey(keys []jmapcloud.APIKey, ref string) (jmapcloud.APIKey, error) {
	if err := checkRef(ref); err != nil {
		return jmapcloud.APIKey{}, err
	}
	for _, k := range keys {
		if strings.EqualFold(k.ID, ref) {
			return k, nil
		}
	}
	var matches []jmapcloud.APIKey
	for _, k := range keys {
		if strings.EqualFold(k.Title, ref) {
			matches = append(matches, k)
		}
	}
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		return jmapcloud.APIKey{}, errkind.NotFoundf("no API key with ID or title %q\nrun `apikeys list` to see the keys", ref)
	}
	sort.Slice(matches, func(i, j int) bool { return matches[i].ID < matches[j].ID })
	var lines []string
	for _, m := range matches {
		lines = append(lines, fmt.Sprintf("  %s  %s  (%s, %s)", m.ID, m.Title, output.RoleName(m.Role), expiryNote(&m)))
	}
	return jmapcloud.APIKey{}, errkind.Usagef("%d API keys are titled %q; name one by ID:\n%s", len(matches), ref, strings.Join(lines, "\n"))
}

// checkRef refuses an empty KEY, which no key is named by.
func checkRef(ref string) error {
	if ref == "" {
		return errkind.Usagef("an empty KEY: give an API key ID or exact title")
	}
	return nil
}

// expiryNote says when k expires, as the ambiguity list shows it.
func expiryNote(k *jmapcloud.APIKey) string {
	switch {
	case !k.ExpirationDate.IsZero():
		return "expires " + k.ExpirationDate.UTC().Format("2006-01-02")
	case k.Problems().ExpirationDate != "":
		return "expiry unreadable"
	}
	return "never expires"
}

// maxKeyWarnings bounds the warnings about malformed keys; past it, one line counts the rest.
const maxKeyWarnings = 20

// malformed reports whether the server sent k without an ID or with unreadable fields of the
// key vocabulary. An unreadable secret does not count: no list, show or delete shows one, and
// its warning would have nothing to say.
func malformed(k *jmapcloud.APIKey) bool { return k.ID == "" || len(unreadableFields(k)) > 0 }

// unreadableFields names the fields of the key vocabulary that k's unreadable values leave
// unknown (an unreadable expiry also leaves the status unknown).
func unreadableFields(k *jmapcloud.APIKey) []string {
	p := k.Problems()
	var fields []string
	add := func(problem string, names ...string) {
		if problem != "" {
			fields = append(fields, names...)
		}
	}
	add(p.ID, "id")
	add(p.Title, "title")
	add(p.Role, "role")
	add(p.Email, "email")
	add(p.CreatedBy, "creator")
	add(p.CreationDate, "created")
	add(p.ExpirationDate, "expires", "status")
	return fields
}

// keyWarnings are the warnings about malformed keys a command writes on stderr: one line
// per key, naming it and what is wrong with it.
type keyWarnings struct {
	lines []string
	seen  map[string]bool // the keys warned about, by their warning without a note
	more  int
}

// add warns about k once, with note saying what follows from it for this command.
func (w *keyWarnings) add(k *jmapcloud.APIKey, note string) {
	id := keyWarning(k, "")
	if w.seen[id] {
		return
	}
	if w.seen == nil {
		w.seen = map[string]bool{}
	}
	w.seen[id] = true
	if len(w.lines) == maxKeyWarnings {
		w.more++
		return
	}
	w.lines = append(w.lines, keyWarning(k, note))
}

func (w *keyWarnings) write(out io.Writer) {
	for _, l := range w.lines {
		fmt.Fprintln(out, l)
	}
	if w.more > 0 {
		fmt.Fprintf(out, "Warning: %d more API keys are malformed (not named here)\n", w.more)
	}
}

// keyWarning names k and says what the server sent wrong, then note.
func keyWarning(k *jmapcloud.APIKey, note string) string {
	p := k.Problems()
	var problems []string
	for _, s := range []string{p.ID, p.Title, p.Role, p.Email, p.CreatedBy, p.CreationDate, p.ExpirationDate} {
		if s != "" {
			problems = append(problems, sanitize.Text(s))
		}
	}
	var parts []string
	if len(problems) > 0 {
		parts = append(parts, "unreadable from the server, left empty: "+strings.Join(problems, "; "))
	}
	if k.ID == "" {
		parts = append(parts, "it has no ID, so it cannot be named by ID or deleted")
	}
	if note != "" {
		parts = append(parts, note)
	}
	return "Warning: " + keyName(k) + ": " + strings.Join(parts, "; ")
}

// keyName names a key in a message, by ID when it has one.
func keyName(k *jmapcloud.APIKey) string {
	switch {
	case k.ID != "":
		return "API key " + sanitize.Text(k.ID)
	case k.Title != "":
		return `API key titled "` + sanitize.Text(k.Title) + `"`
	}
	return "an API key with neither ID nor title"
}

// matchMalformed filters a malformed key. Filters on fields it has are applied first; when
// they keep it, a filter on a field it lacks leaves it out, undecided, naming that field.
func matchMalformed(k *jmapcloud.APIKey, row output.Key, filters []output.Filter) (keep bool, undecided string) {
	unknown := unreadableFields(k)
	for _, f := range filters {
		if !slices.Contains(unknown, f.Field()) && !f.Match(row) {
			return false, ""
		}
	}
	for _, f := range filters {
		if field := f.Field(); slices.Contains(unknown, field) {
			return false, field
		}
	}
	return true, ""
}

// warnUnreadableTitles warns about the keys a title cannot find, after a title found none.
func warnUnreadableTitles(keys []jmapcloud.APIKey, w *keyWarnings) {
	for i := range keys {
		if keys[i].Problems().Title != "" {
			w.add(&keys[i], "a title cannot find it")
		}
	}
}
