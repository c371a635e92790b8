package deleteplan

import (
	"context"
	"sort"
	"strings"

	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/sanitize"
)

// Heir is what becomes of the resources of the keys that own some.
type Heir struct {
	Target     *Member // who inherits them; nil when nobody does
	NoTransfer bool    // they are deleted with the keys
}

// Assign writes the decision into each key of the plan: a key that owns nothing has nothing
// to act on, and without a target or NoTransfer the action stays Undecided.
func (h Heir) Assign(p Plan) {
	for _, e := range p {
		switch {
		case len(e.Resources) == 0:
			e.Action = None
		case h.Target != nil:
			e.Action, e.TransferTo = Transfer, h.Target
		case h.NoTransfer:
			e.Action = DeleteResources
		default:
			e.Action = Undecided
		}
	}
}

// Candidates are who may inherit the resources.
type Candidates struct {
	Target  *Member            // the member transferTo names, an Editor; nil without transferTo
	Editors []jmapcloud.Member // the members holding the Editor role, by name
}

// ReadCandidates reads the organization's members when someone may inherit: transferTo is
// given (it is checked to be an Editor, even when no key owns anything), or pick says the
// Editors are wanted to choose from. Otherwise it asks nothing.
func ReadCandidates(ctx context.Context, api API, transferTo string, pick bool) (Candidates, error) {
	if transferTo == "" && !pick {
		return Candidates{}, nil
	}
	members, err := api.Members(ctx)
	if err != nil {
		return Candidates{}, l10n.Errorf("reading the organization's members: %w", err)
	}
	c := Candidates{Editors: editorsOf(members)}
	if transferTo != "" {
		c.Target, err = resolveTransferTarget(members, c.Editors, transferTo)
	}
	return c, err
}

// editorsOf returns members holding ORG_EDITOR (admins included), by name.
func editorsOf(members []jmapcloud.Member) []jmapcloud.Member {
	var eds []jmapcloud.Member
	for _, m := range members {
		if m.HasRole(jmapcloud.RoleEditor) {
			eds = append(eds, m)
		}
	}
	sort.SliceStable(eds, func(i, j int) bool { return strings.ToLower(eds[i].Name) < strings.ToLower(eds[j].Name) })
	return eds
}

// EditorEmails lists the Editors' emails for a message, sanitised: an argument of an
// l10n message, put in the reader's language when there are none.
func EditorEmails(editors []jmapcloud.Member) Emails {
	s := make(Emails, 0, len(editors))
	for _, e := range editors {
		s = append(s, sanitize.Text(e.Email))
	}
	return s
}

// Emails are a list of emails in a message, "none in this organization" when empty.
type Emails []string

// String is the list in English.
func (e Emails) String() string { return e.Localize(nil) }

// Localize is the list in p's language.
func (e Emails) Localize(p *l10n.Printer) string {
	if len(e) == 0 {
		return p.Text("none in this organization")
	}
	return strings.Join(e, ", ")
}

// resolveTransferTarget finds --transfer-to by ID or email and insists on the Editor role.
func resolveTransferTarget(members, editors []jmapcloud.Member, ref string) (*Member, error) {
	for _, m := range members {
		if strings.EqualFold(m.ID, ref) || strings.EqualFold(m.Email, ref) {
			if !m.HasRole(jmapcloud.RoleEditor) {
				return nil, errkind.Usagef("%s (%s) does not hold the Editor role and cannot inherit resources; nothing was deleted\nchoose one of: %s", sanitize.Text(m.Name), sanitize.Text(m.Email), EditorEmails(editors))
			}
			return MemberOf(m), nil
		}
	}
	return nil, errkind.NotFoundf("no member with ID or email %q; nothing was deleted\nchoose one of the Editors: %s", ref, EditorEmails(editors))
}

// MemberOf is m as the plan names an heir.
func MemberOf(m jmapcloud.Member) *Member {
	return &Member{ID: m.ID, Name: m.Name, Email: m.Email}
}
