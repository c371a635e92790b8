// Package childenv builds the environment of the processes apikeys starts (clipboard tools,
// the clipboard clearer, the pager): the parent's, without what holds credentials.
package childenv

import "strings"

// Scrubbed is env without any APIKEYS_ variable: no child needs one, and some hold
// credentials (APIKEYS_PASSWORD, APIKEYS_TOKEN) a child would otherwise keep for its whole
// life.
func Scrubbed(env []string) []string {
	out := make([]string, 0, len(env)+2)
	for _, kv := range env {
		if !strings.HasPrefix(kv, "APIKEYS_") {
			out = append(out, kv)
		}
	}
	return out
}
