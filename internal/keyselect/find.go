package keyselect

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/output"
	"github.com/k2geospatial/apikeys/internal/sanitize"
)

// Source is what selecting keys asks of the organization's API.
type Source interface {
	ListKeys(ctx context.Context) ([]jmapcloud.APIKey, error)
	GetKey(ctx context.Context, id string) (jmapcloud.APIKey, error)
}

// uuidPattern is the shape of the API's key IDs (UUIDs, API.md).
var uuidPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
})

// finder resolves KEY arguments as resolve does among every key, listing the organization
// only when it must: a KEY shaped as an ID is fetched by that ID (one small request; the list
// of 100,000 keys is 24 MB), and the list, fetched once, serves titles and the IDs the server
// does not know by that spelling (a title may look like a UUID, and resolve matches IDs
// case-insensitively).
type finder struct {
	src    Source
	all    []jmapcloud.APIKey // every key, once listed
	listed bool
}

// list returns every key of the organization, asking the server the first time only.
func (f *finder) list(ctx context.Context) ([]jmapcloud.APIKey, error) {
	if !f.listed {
		keys, err := f.src.ListKeys(ctx)
		if err != nil {
			return nil, err
		}
		f.all, f.listed = keys, true
	}
	return f.all, nil
}

// find resolves one KEY: by ID first, then by exact title (see resolve).
func (f *finder) find(ctx context.Context, ref string) (jmapcloud.APIKey, error) {
	if err := CheckRef(ref); err != nil {
		return jmapcloud.APIKey{}, err // before any request
	}
	if !f.listed && uuidPattern().MatchString(ref) {
		k, err := f.src.GetKey(ctx, ref)
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
	return resolve(all, ref)
}

// checkFetchedKey refuses an answer to GET …/api-keys/ID that is another key: delete would
// then read and delete that other key. An answer that holds no key at all (null, {}, a
// result of null) is refused too: show would print an empty key and succeed. A key whose ID
// was sent unreadable is left to the callers, which warn about it (Find) or refuse it
// (Select), as they do for a listed one.
func checkFetchedKey(k jmapcloud.APIKey, id string) error {
	if k.ID == "" && (k.Unreadable == nil || k.Unreadable.ID == "") && k.Title == "" {
		return l10n.Errorf("asked for API key %s, the server answered with no key; nothing was done\nrun the command again, or check --api-url", id)
	}
	if k.ID == "" || strings.EqualFold(k.ID, id) {
		return nil
	}
	return l10n.Errorf("asked for API key %s, the server answered with API key %s; nothing was done\nrun the command again, or name the key by title", id, sanitize.Text(k.ID))
}

// Find resolves one KEY for show: an ID, an exact title, or a unique prefix of an ID (as git
// and docker take them), with the warnings to write whether or not it was found: about the
// key found when it is malformed, and when no key has ref as ID or title, about the keys
// whose title is unreadable (ref may be one).
//
// A ref pasted with surrounding spaces or a line break is read without them, unless a title
// is exactly that. The ID, the title and the prefix are tried in that order: a full ID is one
// request (GET by ID), and the list is read only when that finds nothing.
func Find(ctx context.Context, src Source, ref string) (jmapcloud.APIKey, Warnings, error) {
	var warn Warnings
	keys := &finder{src: src}
	trimmed, first := strings.TrimSpace(ref), ref
	if uuidPattern().MatchString(trimmed) {
		first = trimmed // no title is a UUID in spaces: fetched by ID, one request
	}
	k, err := keys.find(ctx, first)
	if errkind.Is(err, errkind.NotFound) && trimmed != first {
		k, err = keys.find(ctx, trimmed)
	}
	if errkind.Is(err, errkind.NotFound) {
		if found, perr := byIDPrefix(keys.all, trimmed); found.ID != "" || perr != nil {
			k, err = found, perr
		} else if len(trimmed) < MinIDPrefix && looksLikeIDPrefix(trimmed+strings.Repeat("0", MinIDPrefix)) {
			err = errkind.NotFoundf("no API key with ID or title %q (a start of an ID needs %d characters or more)\nrun `apikeys list` to see the keys", trimmed, MinIDPrefix)
		}
	}
	switch {
	case err == nil && Malformed(&k):
		warn.Add(&k, l10n.Msg{})
	case errkind.Is(err, errkind.NotFound):
		warnUnreadableTitles(keys.all, &warn)
	}
	return k, warn, err
}

// CheckRef refuses an empty or blank KEY, which names no key (a usage error): no key has a
// blank ID, and create refuses a blank title.
func CheckRef(ref string) error {
	if strings.TrimSpace(ref) == "" {
		return errkind.Usagef("an empty KEY: give an API key ID or exact title")
	}
	return nil
}

// resolve finds a key by ID or by exact, case-insensitive title among keys. Ambiguity is a
// usage error listing the matches; no match is not found.
func resolve(keys []jmapcloud.APIKey, ref string) (jmapcloud.APIKey, error) {
	if err := CheckRef(ref); err != nil {
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
	var lines titledLines
	for _, m := range matches {
		lines = append(lines, titledLine{m.ID, m.Title, output.RoleName(m.Role), expiryNote(&m)})
	}
	return jmapcloud.APIKey{}, errkind.Usagef("%d API keys are titled %q; name one by ID:\n%s", len(matches), ref, lines)
}

// MinIDPrefix is the fewest characters of an ID that show takes as a prefix, as git's
// abbreviated hashes: fewer would match too many keys to be worth the list.
const MinIDPrefix = 4

// maxPrefixMatches is how many keys an ambiguous prefix lists before counting the rest.
const maxPrefixMatches = 20

// byIDPrefix finds the one key of keys whose ID starts with prefix (case-insensitive), for a
// prefix shaped as the start of a UUID of at least MinIDPrefix characters. No key is a zero
// key and no error; more than one is a usage error listing them.
func byIDPrefix(keys []jmapcloud.APIKey, prefix string) (jmapcloud.APIKey, error) {
	if !looksLikeIDPrefix(prefix) {
		return jmapcloud.APIKey{}, nil
	}
	var matches []jmapcloud.APIKey
	for _, k := range keys {
		if len(k.ID) >= len(prefix) && strings.EqualFold(k.ID[:len(prefix)], prefix) {
			matches = append(matches, k)
		}
	}
	switch len(matches) {
	case 0:
		return jmapcloud.APIKey{}, nil
	case 1:
		return matches[0], nil
	}
	sort.Slice(matches, func(i, j int) bool { return matches[i].ID < matches[j].ID })
	var lines prefixLines
	for i, m := range matches {
		if i == maxPrefixMatches {
			lines.more = len(matches) - i
			break
		}
		lines.lines = append(lines.lines, fmt.Sprintf("  %s  %s", sanitize.Text(m.ID), sanitize.Text(m.Title)))
	}
	return jmapcloud.APIKey{}, errkind.Usagef("%d API keys have an ID starting with %q; give more of the ID:\n%s", len(matches), prefix, lines)
}

// looksLikeIDPrefix reports the start of a UUID (hex digits and dashes) of at least
// MinIDPrefix characters, shorter than a whole one.
func looksLikeIDPrefix(s string) bool {
	if len(s) < MinIDPrefix || len(s) >= 36 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '-') {
			return false
		}
	}
	return true
}

// expiryNote says when k expires, as the ambiguity list shows it.
func expiryNote(k *jmapcloud.APIKey) l10n.Msg {
	switch {
	case !k.ExpirationDate.IsZero():
		return l10n.M("expires %s", k.ExpirationDate.UTC().Format("2006-01-02"))
	case k.Problems().ExpirationDate != "":
		return l10n.M("expiry unreadable")
	}
	return l10n.M("never expires")
}

// titledLine is one key of the list of keys sharing a title: ID, title, role, expiry.
type titledLine struct {
	id, title, role string
	expiry          l10n.Msg
}

// titledLines are the lines of the keys sharing a title, in a reader's language.
type titledLines []titledLine

func (ls titledLines) String() string { return ls.Localize(nil) }

// Localize is the lines in p's language, one a line.
func (ls titledLines) Localize(p *l10n.Printer) string {
	var b strings.Builder
	for i, l := range ls {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "  %s  %s  (%s, %s)", l.id, l.title, output.RoleText(p, l.role), l.expiry.Localize(p))
	}
	return b.String()
}

// prefixLines are the keys whose ID starts with a prefix, one a line, and how many more.
type prefixLines struct {
	lines []string
	more  int
}

func (ls prefixLines) String() string { return ls.Localize(nil) }

// Localize is the lines in p's language.
func (ls prefixLines) Localize(p *l10n.Printer) string {
	s := strings.Join(ls.lines, "\n")
	if ls.more > 0 {
		s += "\n" + p.Sprintf("  … and %d more", ls.more)
	}
	return s
}
