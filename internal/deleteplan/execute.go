package deleteplan

import (
	"context"
	"errors"
	"fmt"

	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/l10n"
)

// Execute deletes the keys in order, recording each outcome in the plan: Deleted, or Error.
// A failure does not stop the others; once ctx is cancelled, the keys left are not attempted
// and say so. Call it only once the plan is confirmed: it deletes what the plan says.
func Execute(ctx context.Context, api API, p Plan) {
	for _, e := range p {
		if ctx.Err() != nil {
			e.Error = notAttempted
			continue
		}
		if sent, err := deleteOne(ctx, api, e); err != nil {
			e.Error, e.err, e.failure = err.Error(), err, errkind.Of(err)
			if ctx.Err() != nil && noAnswer(err) {
				// Interrupted, not failed. Once the delete request was out, the server may
				// have carried it out: "not deleted" would be a guess about an
				// irreversible change.
				e.failure = errkind.Cancelled
				if sent {
					e.Error, e.unknown = fmt.Sprintf(inFlight, e.ID), true
				}
			}
			continue
		}
		e.Deleted = true
	}
}

// notAttempted is the error of a key an interruption left untried.
const notAttempted = "not attempted: interrupted"

// inFlight is the error of a key whose delete request an interruption abandoned.
const inFlight = "interrupted during its delete request, which the server may have carried out: `apikeys show %s` tells"

// noAnswer reports an error that is the lack of an answer (the request abandoned, the
// connection lost), not a refusal the server answered with.
func noAnswer(err error) bool {
	var netErr *jmapcloud.NetworkError
	return errors.As(err, &netErr) || errors.Is(err, context.Canceled)
}

// deleteOne deletes a key as planned. A key planned as owning nothing is checked again
// first: resources it gained since the plan must not be deleted unconfirmed. sent is true
// once the delete request itself went out.
func deleteOne(ctx context.Context, api API, e *Entry) (sent bool, err error) {
	transferTo := ""
	switch e.Action {
	case Transfer:
		transferTo = e.TransferTo.ID
	case None:
		res, err := api.KeyResources(ctx, e.ID)
		if err != nil {
			return false, err
		}
		if len(res) > 0 {
			return false, countError{l10n.P(len(res), "the key now owns %d resource it did not own when planned; not deleted, run the command again",
				"the key now owns %d resources it did not own when planned; not deleted, run the command again", len(res))}
		}
	}
	err = api.DeleteKey(ctx, e.ID, transferTo)
	if jmapcloud.IsNotFound(err) {
		return true, l10n.Errorf("the key no longer exists (deleted meanwhile?)")
	}
	return true, err
}

// countError is an error whose message counts (l10n.P), said in the reader's language.
type countError struct{ msg l10n.Msg }

func (e countError) Error() string                   { return e.msg.String() }
func (e countError) Localize(p *l10n.Printer) string { return e.msg.Localize(p) }
