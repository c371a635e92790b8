// Package deleteplan is the plan of a delete: the keys chosen, what each owns and what
// becomes of it (the heir, or deleting it with the key), the deletions themselves, and the
// outcome in words. It prints nothing but the plan's text, to the writer it is given, and
// asks no one: the command chooses the heir and confirms before Execute.
package deleteplan

import (
	"context"

	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/l10n"
)

// API is what a delete asks of the organization's API once the keys are chosen.
type API interface {
	KeyResources(ctx context.Context, id string) ([]jmapcloud.Resource, error)
	Members(ctx context.Context) ([]jmapcloud.Member, error)
	DeleteKey(ctx context.Context, id, transferTo string) error
}

// Action is what becomes of a key's resources (the JSON contract).
type Action string

// The actions of a plan.
const (
	Transfer        Action = "transfer"
	DeleteResources Action = "delete-resources"
	None            Action = "none"
	// Undecided is a dry run's action for a key that owns resources when nobody was chosen
	// to inherit them (no terminal, neither --transfer-to nor --no-transfer).
	Undecided Action = "undecided"
)

// Member is who inherits resources, as the JSON output names them.
type Member struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Entry is one key of a delete plan, and after Execute, its outcome. Its JSON names and
// their order are the contract of `delete -o json`.
type Entry struct {
	ID         string               `json:"id"`
	Title      string               `json:"title"`
	Resources  []jmapcloud.Resource `json:"resources"`
	Action     Action               `json:"action"`
	TransferTo *Member              `json:"transferTo"`
	Deleted    bool                 `json:"deleted"`
	Error      string               `json:"error,omitempty"`

	err     error        // the error whose English text is Error, for ErrorText
	failure errkind.Kind // the kind of Error (see FailureKind)
	unknown bool         // its delete request was abandoned: the server may have deleted it
}

// Unknown reports whether the key may have been deleted: its delete request was sent, and
// the command was interrupted before the answer came.
func (e *Entry) Unknown() bool { return !e.Deleted && e.unknown }

// ErrorText is why the key was not deleted, in p's language; Error, its English text, is
// what machine output carries, in every language.
func (e *Entry) ErrorText(p *l10n.Printer) string {
	switch {
	case e.Error == notAttempted:
		return p.Text(notAttempted)
	case e.unknown:
		return p.Sprintf(inFlight, e.ID)
	case e.err != nil:
		return p.Error(e.err)
	}
	return e.Error
}

// Interrupted reports whether the key was left undeleted because the command was
// interrupted: never attempted, or its request cancelled.
func (e *Entry) Interrupted() bool {
	return !e.Deleted && (e.Error == notAttempted || e.failure == errkind.Cancelled)
}

// Plan is the keys to delete, in order.
type Plan []*Entry

// Read reads what each key owns: the plan, before anyone is chosen to inherit. Every key
// starts as owning nothing to act on (None) until Heir.Assign decides.
func Read(ctx context.Context, api API, keys []jmapcloud.APIKey) (Plan, error) {
	plan := make(Plan, len(keys))
	for i, k := range keys {
		res, err := api.KeyResources(ctx, k.ID)
		if err != nil {
			return nil, l10n.Errorf("reading what key %q owns: %w", k.Title, err)
		}
		if res == nil {
			res = []jmapcloud.Resource{}
		}
		plan[i] = &Entry{ID: k.ID, Title: k.Title, Resources: res, Action: None}
	}
	return plan, nil
}

// Owning counts the keys of the plan that own resources.
func (p Plan) Owning() int {
	owning := 0
	for _, e := range p {
		if len(e.Resources) > 0 {
			owning++
		}
	}
	return owning
}

// FailureKind is the kind of the command's failure when no key was deleted and every key
// failed for one kind of reason (all refused with 403: auth; exit 4, as for one key), else
// errkind.Failed: a partial outcome is not one kind of failure.
func (p Plan) FailureKind() errkind.Kind {
	kind := errkind.Failed
	for i, e := range p {
		if e.Deleted {
			return errkind.Failed
		}
		if i == 0 {
			kind = e.failure
		} else if e.failure != kind {
			return errkind.Failed
		}
	}
	return kind
}

// AllDeleted reports whether every key of the plan was deleted.
func (p Plan) AllDeleted() bool {
	for _, e := range p {
		if !e.Deleted {
			return false
		}
	}
	return true
}
