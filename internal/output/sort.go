package output

import (
	"slices"
	"strings"
)

// SortKey is one item of a --sort list: a field of the key vocabulary and a
// direction.
type SortKey struct {
	Field string // a name from KeyFieldNames
	Desc  bool
}

// String gives the item back in --sort syntax ("-expires").
func (s SortKey) String() string {
	if s.Desc {
		return "-" + s.Field
	}
	return s.Field
}

// ParseSort reads a --sort list such as "-expires,title": comma-separated
// field names, each optionally prefixed by "-" (descending) or "+"
// (ascending, the default). Names are case-insensitive; empty items are
// ignored, so "" gives no keys (the default order). An unknown name is a
// *UsageError listing the valid ones.
func ParseSort(spec string) ([]SortKey, error) {
	var keys []SortKey
	for _, item := range splitList(spec) {
		name, desc := item, false
		if name[0] == '-' || name[0] == '+' {
			desc = name[0] == '-'
			name = strings.TrimSpace(name[1:])
		}
		if name == "" {
			return nil, usageErrorf("sort item %q has no field name (valid: %s)", item, validFieldList())
		}
		id, ok := lookupField(name)
		if !ok {
			return nil, usageErrorf("unknown sort key %q (valid: %s; prefix with - for descending)", name, validFieldList())
		}
		keys = append(keys, SortKey{Field: id.name(), Desc: desc})
	}
	return keys, nil
}

// SortKeys sorts keys in place, stably. It orders by each item of by in
// turn, then by the default order — expires ascending (soonest first: what
// needs attention), then title (case-insensitive, then case-sensitive), then
// id — so the output never depends on the order the API returned. An empty
// by gives just the default order. Items naming unknown fields are ignored
// (ParseSort rejects them).
//
// Fields compare as documented in the package comment; an unset expiry
// (never expires) sorts after every date, an unset creation date before.
func SortKeys(keys []Key, by []SortKey) {
	type criterion struct {
		id   fieldID
		desc bool
	}
	crit := make([]criterion, 0, len(by)+3)
	for _, s := range by {
		if id, ok := lookupField(s.Field); ok {
			crit = append(crit, criterion{id, s.Desc})
		}
	}
	for _, id := range [...]fieldID{fieldExpires, fieldTitle, fieldIDKey} {
		crit = append(crit, criterion{id, false})
	}

	// Sorting pointers with the original position as the last tiebreak is
	// stable, and much faster than a stable sort moving whole Keys around.
	type entry struct {
		k   *Key
		pos int
	}
	entries := make([]entry, len(keys))
	for i := range keys {
		entries[i] = entry{&keys[i], i}
	}
	slices.SortFunc(entries, func(a, b entry) int {
		for _, c := range crit {
			if r := compareField(c.id, a.k, b.k); r != 0 {
				if c.desc {
					return -r
				}
				return r
			}
		}
		return a.pos - b.pos
	})
	// Apply the permutation in place, one cycle at a time: entries[j].pos is
	// where the key that belongs at j comes from; -1 marks a placed key.
	for i := range entries {
		if entries[i].pos < 0 || entries[i].pos == i {
			continue
		}
		saved := keys[i]
		for j := i; ; {
			src := entries[j].pos
			entries[j].pos = -1
			if src == i {
				keys[j] = saved
				break
			}
			keys[j] = keys[src]
			j = src
		}
	}
}

// compareField compares one field of two keys by the field's meaning.
func compareField(id fieldID, a, b *Key) int {
	switch id.kind() {
	case kindDate:
		ta, tb := comparableTime(id, id.date(a)), comparableTime(id, id.date(b))
		return ta.Compare(tb)
	case kindRole:
		if c := roleRank(a.Role) - roleRank(b.Role); c != 0 {
			return sign(c)
		}
	case kindStatus:
		if c := statusRank(a.Status) - statusRank(b.Status); c != 0 {
			return sign(c)
		}
	}
	return compareText(id.str(a), id.str(b))
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}
