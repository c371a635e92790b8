package cli

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/output"
)

// toOutputKey turns an API key into the row every output format prints.
func toOutputKey(k jmapcloud.APIKey, now time.Time) output.Key {
	return output.NormalizeKey(output.Key{
		ID:      k.ID,
		Title:   k.Title,
		Role:    output.RoleName(k.Role),
		Creator: k.CreatedBy,
		Email:   k.Email,
		Created: k.CreationDate,
		Expires: k.ExpirationDate,
		Status:  output.KeyStatus(k.ExpirationDate, now),
	}, now)
}

func toOutputKeys(keys []jmapcloud.APIKey, now time.Time) []output.Key {
	rows := make([]output.Key, len(keys))
	for i, k := range keys {
		rows[i] = toOutputKey(k, now)
	}
	return rows
}

type keyLister interface {
	ListKeys(ctx context.Context) ([]jmapcloud.APIKey, error)
}

// resolveKey finds a key by ID or by exact, case-insensitive title among keys.
// Ambiguity is exit 2 listing the matches; no match is exit 5.
func resolveKey(keys []jmapcloud.APIKey, ref string) (jmapcloud.APIKey, error) {
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
		return jmapcloud.APIKey{}, notFoundError("no API key with ID or title %q\nrun `apikeys list` to see the keys", ref)
	}
	sort.Slice(matches, func(i, j int) bool { return matches[i].ID < matches[j].ID })
	var lines []string
	for _, m := range matches {
		lines = append(lines, fmt.Sprintf("  %s  %s  (%s, expires %s)", m.ID, m.Title, output.RoleName(m.Role), m.ExpirationDate.UTC().Format("2006-01-02")))
	}
	return jmapcloud.APIKey{}, usageError("%d API keys are titled %q; name one by ID:\n%s", len(matches), ref, strings.Join(lines, "\n"))
}
