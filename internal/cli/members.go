package cli

import (
	"context"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/output"
)

type memberLister interface {
	Members(ctx context.Context) ([]jmapcloud.Member, error)
}

// membersOptions are the inputs of `apikeys members`.
type membersOptions struct {
	IO     *iostreams.IOStreams
	API    func(context.Context) (memberLister, error)
	Format func() (output.Format, error)

	Role      string
	NoHeaders bool

	Script scriptFlags // --jq, --template

	// Printer is the language of what a person reads (nil: English); machine output has none.
	Printer *l10n.Printer
}

func newMembersCmd(f *Factory, runF func(context.Context, *membersOptions) error) *cobra.Command {
	opts := &membersOptions{
		IO:     f.IO,
		Format: f.format,
		API: func(ctx context.Context) (memberLister, error) {
			return f.Session(ctx)
		},
	}
	cmd := &cobra.Command{
		Use:   "members",
		Short: "List the organization's members",
		Long: `List the organization's members with their roles. Members holding the Editor role
(administrators included, roles being additive) can inherit a deleted key's resources.`,
		Example: `  apikeys members --role editor
  apikeys members -o json`,
		Args: noArgs(func(args []string) string { return membersArgsHint(f.Printer(), args) }),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Printer = f.Printer()
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runMembers(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Role, "role", "", "only members holding this role: admin, editor or viewer")
	cmd.Flags().BoolVar(&opts.NoHeaders, "no-headers", false, "omit the header row")
	cmd.ValidArgsFunction = noValues
	completeFlag(cmd, "role", completeMemberRole)
	addScriptFlags(cmd, &opts.Script)
	return cmd
}

// membersArgsHint says, in lang's language, what a word given to members was probably meant
// as: a role.
func membersArgsHint(lang *l10n.Printer, args []string) string {
	if role, err := memberRoleFilter(args[0]); err == nil && role != "" && len(args) == 1 {
		return lang.Sprintf("to list the members holding a role: %s", "apikeys members --role "+shellWord(args[0]))
	}
	return ""
}

// memberRoleFilter maps --role to the API role string.
func memberRoleFilter(role string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(role)) {
	case "":
		return "", nil
	case "admin", "org_admin", "administrator", "administrateur":
		return jmapcloud.RoleAdmin, nil
	}
	r, err := output.ParseRole(role)
	if err != nil {
		return "", errkind.Usagef("invalid role %q: use admin, editor or viewer (or administrateur, éditeur, lecteur)", role)
	}
	return r, nil
}

func runMembers(ctx context.Context, opts *membersOptions) error {
	lang := opts.Printer
	p, err := newPrinter(lang, opts.IO, opts.Format, output.Spec{Command: "members", Shape: output.Records}, opts.NoHeaders, opts.Script)
	if err != nil {
		return err
	}
	role, err := memberRoleFilter(opts.Role)
	if err != nil {
		return err
	}
	opts.IO.StartProgress(func() string { return lang.Text("Fetching members…") })
	defer opts.IO.StopProgress()
	api, err := opts.API(ctx)
	if err != nil {
		return err
	}
	members, err := api.Members(ctx)
	opts.IO.StopProgress()
	if err != nil {
		return err
	}
	kept := []jmapcloud.Member{}
	for _, m := range members {
		if role == "" || m.HasRole(role) {
			if m.Roles == nil {
				m.Roles = []string{}
			}
			kept = append(kept, m)
		}
	}
	sort.SliceStable(kept, func(i, j int) bool { return strings.ToLower(kept[i].Name) < strings.ToLower(kept[j].Name) })
	empty := func() string {
		if role == "" {
			return lang.Text("The organization has no members.")
		}
		return lang.Text("No members match.")
	}
	if saidEmpty(opts.IO, p.Format(), len(kept), empty) {
		return nil
	}
	var titles *l10n.Printer // the plain table of a pipe, which scripts read, stays English
	if opts.IO.IsStdoutTTY() {
		titles = lang
	}
	return paged(opts.IO, lang, func() error {
		return p.Print(output.Result{Data: kept, Rows: output.TableOf(memberColumns(titles), kept)})
	})
}

// memberColumns are the columns of `members`: the JSON keys, roles joined by commas, titled
// in lang's language for a terminal's table (nil: English). The headers of CSV and TSV are
// the JSON keys in every language, and so are the roles.
func memberColumns(lang *l10n.Printer) []output.Column[jmapcloud.Member] {
	var title [4]string // "": the header in upper case; "ID" is French too (and no message: go-i18n reserves the key)
	if lang.Lang() != l10n.English {
		title = [4]string{"ID", lang.Text("NAME"), lang.Text("EMAIL"), lang.Text("ROLES")}
	}
	return []output.Column[jmapcloud.Member]{
		{Header: "id", Title: title[0], Value: func(m jmapcloud.Member) string { return m.ID }},
		{Header: "name", Title: title[1], Value: func(m jmapcloud.Member) string { return m.Name }, Fit: output.ColumnFit{Shrink: true}},
		{Header: "email", Title: title[2], Value: func(m jmapcloud.Member) string { return m.Email }, Fit: output.ColumnFit{Shrink: true, Drop: 1}},
		// Hidden first on a narrow terminal: who is who matters more than the role list.
		{Header: "roles", Title: title[3], Value: func(m jmapcloud.Member) string { return strings.Join(m.Roles, ",") }, Fit: output.ColumnFit{Drop: 2}},
	}
}
