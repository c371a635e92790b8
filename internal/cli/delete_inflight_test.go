package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/k2geospatial/apikeys/internal/deleteplan"
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/output"
)

// cancelledDelete is a delete request that Ctrl-C abandoned before the server answered.
type cancelledDelete struct{ cancel context.CancelFunc }

func (cancelledDelete) KeyResources(context.Context, string) ([]jmapcloud.Resource, error) {
	return nil, nil
}
func (cancelledDelete) Members(context.Context) ([]jmapcloud.Member, error) { return nil, nil }
func (c cancelledDelete) DeleteKey(ctx context.Context, _, _ string) error {
	c.cancel()
	return ctx.Err()
}

// A delete whose request was out when Ctrl-C came may have happened: the terminal says so,
// in the table (interrupted), below it and in the summary, and never "not deleted".
func TestAnAbandonedDeleteRequestIsNotSaidNotDeleted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	plan := deleteplan.Plan{{ID: "0e3b9bf1-5721-41d3-8628-9f2672235fef", Title: "Tableau dashboard", Action: deleteplan.None}}
	deleteplan.Execute(ctx, cancelledDelete{cancel}, plan)
	streams, _, out, errOut := iostreams.Test()
	streams.SetTTY(true, true, true)
	streams.DisableColor()
	streams.SetWidth(100)
	p, err := output.NewPrinter(deleteSpec, output.Table, output.PrinterOptions{Out: streams.Out, TTY: true, Width: streams.TerminalWidth()})
	if err != nil {
		t.Fatal(err)
	}
	rerr := reportOutcome(ctx, p, &deleteOptions{IO: streams}, plan)
	if code := exitCode(rerr); code != exitCancelled {
		t.Errorf("exit %d, want %d", code, exitCancelled)
	}
	want := "API key \"Tableau dashboard\" (0e3b9bf1-5721-41d3-8628-9f2672235fef) may have been deleted: interrupted during its delete request, which the server may have carried out: `apikeys show 0e3b9bf1-5721-41d3-8628-9f2672235fef` tells\n" +
		"The key may have been deleted: the command was interrupted during its delete request.\n"
	if !strings.Contains(out.String(), "interrupted") || !strings.Contains(errOut.String(), want) || strings.Contains(errOut.String(), "not deleted") {
		t.Errorf("stdout:\n%s\nstderr:\n%s\nwant stderr to hold:\n%s", out.String(), errOut.String(), want)
	}
}
