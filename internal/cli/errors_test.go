package cli

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/output"
	"github.com/k2geospatial/apikeys/internal/prompt"
)

// TestExitCodeOfKinds pins the one mapping from kinds of failure to CLI.md's exit codes,
// including the kinds other packages' errors declare for themselves.
func TestExitCodeOfKinds(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"none", nil, exitOK},
		{"plain failure", errors.New("boom"), exitError},
		{"usage", errkind.Usagef("bad flag"), exitUsage},
		{"output's usage error", fmt.Errorf("list: %w", &output.UsageError{Msg: "bad column"}), exitUsage},
		{"a bad config file", &config.FileError{Path: "c.yaml", Err: errors.New("not yaml")}, exitUsage},
		{"not found", errkind.NotFoundf("no key"), exitNotFound},
		{"auth", errkind.Authf("not logged in"), exitAuth},
		{"cancelled", errCancelled, exitCancelled},
		{"prompt left", fmt.Errorf("asking: %w", prompt.ErrCancelled), exitCancelled},
		{"context ended", fmt.Errorf("listing: %w", context.Canceled), exitCancelled},
		{"already reported", &errkind.Reported{Kind: errkind.NotFound}, exitNotFound},
		{"server 400", &jmapcloud.APIError{StatusCode: 400}, exitUsage},
		{"server 401", &jmapcloud.APIError{StatusCode: 401}, exitAuth},
		{"server 403", &jmapcloud.APIError{StatusCode: 403}, exitAuth},
		{"server 404", &jmapcloud.APIError{StatusCode: 404}, exitNotFound},
		{"server 422", &jmapcloud.APIError{StatusCode: 422}, exitUsage},
		{"server 500", &jmapcloud.APIError{StatusCode: 500}, exitError},
		{"a failure kept as one over a usage cause", errkind.Wrap(errkind.Failed, errkind.Usagef("x")), exitError},
	}
	for _, tc := range tests {
		if got := exitCode(tc.err); got != tc.want {
			t.Errorf("%s: exit %d, want %d", tc.name, got, tc.want)
		}
	}
}
