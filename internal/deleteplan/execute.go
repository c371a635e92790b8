package deleteplan

import (
	"context"
	"fmt"

	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
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
		if err := deleteOne(ctx, api, e); err != nil {
			e.Error, e.failure = err.Error(), errkind.Of(err)
			continue
		}
		e.Deleted = true
	}
}

// notAttempted is the error of a key an interruption left untried.
const notAttempted = "not attempted: interrupted"

// deleteOne deletes a key as planned. A key planned as owning nothing is checked again
// first: resources it gained since the plan must not be deleted unconfirmed.
func deleteOne(ctx context.Context, api API, e *Entry) error {
	transferTo := ""
	switch e.Action {
	case Transfer:
		transferTo = e.TransferTo.ID
	case None:
		res, err := api.KeyResources(ctx, e.ID)
		if err != nil {
			return err
		}
		if len(res) > 0 {
			return fmt.Errorf("the key now owns %d resources it did not own when planned; not deleted, run the command again", len(res))
		}
	}
	err := api.DeleteKey(ctx, e.ID, transferTo)
	if jmapcloud.IsNotFound(err) {
		return fmt.Errorf("the key no longer exists (deleted meanwhile?)")
	}
	return err
}
