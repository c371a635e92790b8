package cli

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/k2geospatial/apikeys/internal/compcache"
	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/output"
	"github.com/k2geospatial/apikeys/internal/sanitize"
	"github.com/k2geospatial/apikeys/internal/session"
)

// completionTimeout bounds everything one dynamic completion does (configuration, cache, login,
// requests): a shell waits for the answer, so a slow or unreachable API must cost the user a
// short pause and no candidates, never a hung prompt line.
const completionTimeout = 2 * time.Second

// completionCacheTTL is how long fetched key and member lists answer completions without a
// request, so pressing TAB several times while typing one command costs one round trip.
const completionCacheTTL = 30 * time.Second

// completer answers the dynamic completions of one command tree. Each newXCmd registers its
// arguments' and flags' completions with the functions below; building the closures costs
// little, and they run only when the shell asks (`apikeys __complete ...`).
type completer struct {
	f *Factory
}

func newCompleter(f *Factory) *completer { return &completer{f: f} }

// timeout is the deadline of one dynamic completion: completionTimeout unless a test set its own.
func (c *completer) timeout() time.Duration {
	if c.f.completionTimeout > 0 {
		return c.f.completionTimeout
	}
	return completionTimeout
}

// completeFlag registers the completion of the flag name of cmd (its own or a persistent
// one). A missing or doubly registered flag is a mistake in the command's wiring, found by
// any test that builds the tree.
func completeFlag(cmd *cobra.Command, name string, fn cobra.CompletionFunc) {
	if err := cmd.RegisterFlagCompletionFunc(name, fn); err != nil {
		panic(err)
	}
}

// completeFiles marks the flag name of cmd as taking a file, with one of exts when given: the
// shell's own file name completion answers it.
func completeFiles(cmd *cobra.Command, name string, exts ...string) {
	var err error
	if cmd.PersistentFlags().Lookup(name) != nil {
		err = cmd.MarkPersistentFlagFilename(name, exts...)
	} else {
		err = cmd.MarkFlagFilename(name, exts...)
	}
	if err != nil {
		panic(err)
	}
}

// noValues completes a flag or argument that takes free text (a title, a duration, a URL):
// nothing to offer, and no file names either.
var noValues cobra.CompletionFunc = cobra.NoFileCompletions

// completeFormat completes -o with the output formats.
func completeFormat(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return fixedChoices(output.FormatNames())(cmd, args, toComplete)
}

// completeKeyRole completes a key's role (create --role).
func completeKeyRole(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return fixedChoices([]string{output.RoleEditor, output.RoleViewer})(cmd, args, toComplete)
}

// completeMemberRole completes a member's role (members --role), administrators included.
func completeMemberRole(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return fixedChoices([]string{"admin", output.RoleEditor, output.RoleViewer})(cmd, args, toComplete)
}

// completeColumns completes --columns.
func completeColumns(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return columnCandidates(toComplete), cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}

// completeHide completes --hide.
func completeHide(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return listCandidates(toComplete, plainChoices(output.KeyFieldNames())), cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}

// completeSort completes --sort.
func completeSort(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return sortCandidates(toComplete), cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}

// completeFilter completes --filter.
func completeFilter(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return filterCandidates(toComplete)
}

// fixedChoices completes one of a fixed set of values.
func fixedChoices(choices []string) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var out []cobra.Completion
		for _, ch := range choices {
			if hasPrefixFold(ch, toComplete) {
				out = append(out, ch)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// choice is one candidate item of a list, with an optional description.
type choice struct{ value, desc string }

func plainChoices(values []string) []choice {
	out := make([]choice, len(values))
	for i, v := range values {
		out[i] = choice{value: v}
	}
	return out
}

// splitLast splits a comma-separated list being typed into what is complete (up to and
// including the last comma) and the item being typed.
func splitLast(toComplete string) (head, cur string) {
	if i := strings.LastIndexByte(toComplete, ','); i >= 0 {
		return toComplete[:i+1], toComplete[i+1:]
	}
	return "", toComplete
}

// usedItems are the list items already given, lower-cased, with any '-' of a sort key removed.
func usedItems(head string) map[string]bool {
	used := map[string]bool{}
	for item := range strings.SplitSeq(head, ",") {
		item = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(item), "-"))
		if item != "" {
			used[item] = true
		}
	}
	return used
}

// listCandidates completes the item after the last comma of a list: each candidate is the
// whole list so far plus one item not yet listed, so the shell replaces the word as usual.
func listCandidates(toComplete string, choices []choice) []cobra.Completion {
	head, cur := splitLast(toComplete)
	used := usedItems(head)
	var out []cobra.Completion
	for _, ch := range choices {
		if used[strings.ToLower(strings.TrimPrefix(ch.value, "-"))] || !hasPrefixFold(ch.value, cur) {
			continue
		}
		out = append(out, withDesc(head+ch.value, ch.desc))
	}
	return out
}

// columnCandidates completes --columns: the key vocabulary, or "all" as the only item.
func columnCandidates(toComplete string) []cobra.Completion {
	choices := plainChoices(output.KeyFieldNames())
	if !strings.Contains(toComplete, ",") {
		choices = append(choices, choice{value: "all", desc: "every column"})
	}
	return listCandidates(toComplete, choices)
}

// sortCandidates completes --sort: each key ascending, or descending with a '-' prefix. The
// descending forms are offered once the item being typed starts with '-', or when it is empty.
func sortCandidates(toComplete string) []cobra.Completion {
	_, cur := splitLast(toComplete)
	var choices []choice
	for _, name := range output.KeyFieldNames() {
		if !strings.HasPrefix(cur, "-") {
			choices = append(choices, choice{value: name, desc: "ascending"})
		}
	}
	if cur == "" || strings.HasPrefix(cur, "-") {
		for _, name := range output.KeyFieldNames() {
			choices = append(choices, choice{value: "-" + name, desc: "descending"})
		}
	}
	return listCandidates(toComplete, choices)
}

// filterValues are the values worth offering after a field's operator; the other fields take
// free text or dates.
var filterValues = map[string][]string{
	"role":   {output.RoleEditor, output.RoleViewer},
	"status": {output.StatusActive, output.StatusExpiring, output.StatusExpired},
}

// filterCandidates completes a --filter expression in three steps: the field name, then the
// field with each operator, then (for role and status) the value. The first two leave the
// cursor on the word (no space), since the expression goes on.
func filterCandidates(toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	const more = cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	// Operators are shell metacharacters, so the expression is often quoted; fish passes the
	// quotes on (see unquoteShellWord).
	toComplete = unquoteShellWord(toComplete)
	n := 0
	for n < len(toComplete) && unicode.IsLetter(rune(toComplete[n])) {
		n++
	}
	field, rest := toComplete[:n], toComplete[n:]
	var out []cobra.Completion
	if rest == "" {
		for _, name := range output.KeyFieldNames() {
			switch {
			case strings.EqualFold(name, field):
				operators, _ := output.FilterOperators(name)
				for _, op := range operators {
					out = append(out, withDesc(field+op.Symbol, op.Meaning))
				}
			case hasPrefixFold(name, field):
				out = append(out, name)
			}
		}
		return out, more
	}
	operators, ok := output.FilterOperators(field)
	if !ok {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	opText := strings.TrimLeft(rest, " ")
	op := ""
	for _, o := range operators {
		if strings.HasPrefix(opText, o.Symbol) && len(o.Symbol) > len(op) {
			op = o.Symbol
		}
	}
	value := strings.TrimLeft(opText[len(op):], " ")
	if op == "" || value == "" {
		// Offer the operators the text may still become ("!" → "!=", "!~"; "<" → "<", "<="),
		// unless one operator is complete and nothing longer extends it: then the values.
		var ops []output.FilterOperator
		for _, o := range operators {
			if strings.HasPrefix(o.Symbol, opText) {
				ops = append(ops, o)
			}
		}
		if op == "" && len(ops) == 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp // "expires~": no operator of the field starts so
		}
		if op == "" || len(ops) > 1 {
			base := toComplete[:len(toComplete)-len(opText)]
			for _, o := range ops {
				out = append(out, withDesc(base+o.Symbol, o.Meaning))
			}
			return out, more
		}
	}
	prefix := toComplete[:len(toComplete)-len(value)]
	for _, v := range filterValues[strings.ToLower(field)] {
		if hasPrefixFold(v, value) {
			out = append(out, prefix+v)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// profiles completes --profile with the profiles of the configuration file (--config,
// APIKEYS_CONFIG, or the default path), described by their API URL. It reads the file with a
// viper instance of its own and never the network.
func (c *completer) profiles(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	path := c.configPath(cmd)
	if path == "" {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	v := viper.New()
	v.SetConfigFile(path)
	v.SetConfigType("yaml")
	if err := v.ReadInConfig(); err != nil {
		completionDebug(err)
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	names := make([]string, 0)
	for name := range v.GetStringMap("profiles") {
		names = append(names, name)
	}
	sort.Strings(names)
	var out []cobra.Completion
	for _, name := range names {
		if sanitize.Safe(name) && hasPrefixFold(name, toComplete) {
			out = append(out, withDesc(name, oneLine(v.GetString("profiles."+name+".api-url"))))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// configPath is the configuration file completion reads: --config, APIKEYS_CONFIG, else the
// default file in config.Dir().
func (c *completer) configPath(cmd *cobra.Command) string {
	if fl := cmd.Flag("config"); fl != nil && fl.Value.String() != "" {
		return fl.Value.String()
	}
	if p := c.f.Getenv("APIKEYS_CONFIG"); p != "" {
		return p
	}
	dir, err := config.Dir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "config.yaml")
}

// keyArgs completes KEY arguments with key IDs and unambiguous titles; multi allows several
// keys (delete) and leaves out those already named.
func (c *completer) keyArgs(multi bool) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if !multi && len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		keys, err := c.keys(cmd)
		if err != nil {
			completionDebug(err)
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return keyCandidates(keys, args, toComplete, c.f.Now()), cobra.ShellCompDirectiveNoFileComp
	}
}

// editors completes --transfer-to with the emails of the members holding ORG_EDITOR
// (administrators included, roles being additive), described by their names. An email the
// terminal would act on is not offered: escaped it would name nobody, raw it would reach the
// shell and the screen.
func (c *completer) editors(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	members, err := c.editorMembers(cmd)
	if err != nil {
		completionDebug(err)
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	for _, m := range members {
		if m.Email != "" && sanitize.Safe(m.Email) && hasPrefixFold(m.Email, toComplete) {
			out = append(out, withDesc(m.Email, oneLine(m.Name)))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completionKey and completionMember are what completion keeps of a key and of an Editor.
type (
	completionKey    = compcache.Key
	completionMember = compcache.Editor
)

// keyCandidates builds the KEY candidates matching toComplete: every ID, described as
// "title · role · expiry", and every title that names one key only (an ambiguous title would
// be refused by the command), described as "role · expiry · ID". Keys already in taken are
// left out. Titles a shell cannot take as one word safely (control or bidi characters, a
// leading '-') are offered by ID only, and an ID that is not safe text is not offered.
func keyCandidates(keys []completionKey, taken []string, toComplete string, now time.Time) []cobra.Completion {
	given := map[string]bool{}
	for _, t := range taken {
		given[strings.ToLower(t)] = true
	}
	// Lower-case each title once: sorting with ToLower in the comparison was most of the time
	// a completion of 1,000 keys took.
	type entry struct {
		key   completionKey
		lower string
	}
	sorted := make([]entry, len(keys))
	titles := make(map[string]int, len(keys))
	for i, k := range keys {
		sorted[i] = entry{key: k, lower: strings.ToLower(k.Title)}
		titles[sorted[i].lower]++
	}
	// (title, ID) is a total order, IDs being unique, so an unstable sort is deterministic.
	slices.SortFunc(sorted, func(a, b entry) int {
		if c := strings.Compare(a.lower, b.lower); c != 0 {
			return c
		}
		return strings.Compare(a.key.ID, b.key.ID)
	})
	unquoted := unquoteShellWord(toComplete)
	var byTitle, byID []cobra.Completion
	for _, e := range sorted {
		k := e.key
		if len(given) > 0 && (given[strings.ToLower(k.ID)] || given[e.lower]) {
			continue
		}
		role, expiry := output.RoleName(k.Role), expiryText(k.Expires, now)
		if usableTitle(k.Title) && titles[e.lower] == 1 && (hasPrefixFold(k.Title, toComplete) || hasPrefixFold(k.Title, unquoted)) {
			desc := role + " · " + expiry
			if k.ID != "" {
				desc += " · " + k.ID
			}
			byTitle = append(byTitle, withDesc(k.Title, oneLine(desc)))
		}
		if k.ID != "" && sanitize.Safe(k.ID) && hasPrefixFold(k.ID, toComplete) {
			byID = append(byID, withDesc(k.ID, oneLine(k.Title+" · "+role+" · "+expiry)))
		}
	}
	return append(byTitle, byID...)
}

// compareCompletionKeys is the candidates' order: title case-insensitively, then ID.
func compareCompletionKeys(a, b completionKey) int {
	if c := strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// unquoteShellWord removes the shell quoting of a word being typed: backslash escapes and
// single or double quotes, closed or not. Bash and zsh's cobra scripts pass the word unquoted,
// but fish's passes it as typed ("GeoServer\ s", "'Public web"), so a title with spaces
// would otherwise stop completing after its first word in fish.
func unquoteShellWord(s string) string {
	var b strings.Builder
	var quote rune
	escaped := false
	for _, r := range s {
		switch {
		case escaped:
			b.WriteRune(r)
			escaped = false
		case r == '\\' && quote != '\'':
			escaped = true
		case quote == 0 && (r == '\'' || r == '"'):
			quote = r
		case quote != 0 && r == quote:
			quote = 0
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func usableTitle(t string) bool {
	return t != "" && !strings.HasPrefix(t, "-") && sanitize.Safe(t)
}

// expiryText says when a key expires, as a date (descriptions stay short and stable).
func expiryText(t, now time.Time) string {
	switch {
	case t.IsZero():
		return "no expiry"
	case !t.After(now):
		return "expired " + t.UTC().Format("2006-01-02")
	}
	return "expires " + t.UTC().Format("2006-01-02")
}

// keys returns the organization's keys for completion, from the cache when fresh.
func (c *completer) keys(cmd *cobra.Command) ([]completionKey, error) {
	if err := c.prepare(cmd); err != nil {
		return nil, err
	}
	return withDeadline(cmd.Context(), c.timeout(), func(ctx context.Context) ([]completionKey, error) {
		store, scope, err := c.cache()
		if err != nil {
			return nil, err
		}
		if keys, ok := store.LoadKeys(scope); ok {
			return keys, nil
		}
		sess, err := c.f.Session(ctx)
		if err != nil {
			return nil, err
		}
		list, err := sess.ListKeys(ctx)
		if err != nil {
			return nil, err
		}
		keys := make([]completionKey, 0, len(list))
		for _, k := range list {
			keys = append(keys, completionKey{ID: k.ID, Title: k.Title, Role: k.Role, Expires: k.ExpirationDate})
		}
		// Cached in candidate order, so that each later completion's sort finds it sorted.
		slices.SortFunc(keys, compareCompletionKeys)
		if err := store.SaveKeys(scope, keys); err != nil {
			completionDebug(err)
		}
		return keys, nil
	})
}

// editorMembers returns the members holding ORG_EDITOR, from the cache when fresh.
func (c *completer) editorMembers(cmd *cobra.Command) ([]completionMember, error) {
	if err := c.prepare(cmd); err != nil {
		return nil, err
	}
	return withDeadline(cmd.Context(), c.timeout(), func(ctx context.Context) ([]completionMember, error) {
		store, scope, err := c.cache()
		if err != nil {
			return nil, err
		}
		if editors, ok := store.LoadEditors(scope); ok {
			return editors, nil
		}
		sess, err := c.f.Session(ctx)
		if err != nil {
			return nil, err
		}
		list, err := sess.Members(ctx)
		if err != nil {
			return nil, err
		}
		editors := []completionMember{}
		for _, m := range list {
			if m.HasRole(jmapcloud.RoleEditor) {
				editors = append(editors, completionMember{Email: m.Email, Name: m.Name})
			}
		}
		sort.Slice(editors, func(i, j int) bool { return editors[i].Email < editors[j].Email })
		if err := store.SaveEditors(scope, editors); err != nil {
			completionDebug(err)
		}
		return editors, nil
	})
}

// cache is the completion cache and the scope of the current settings. Without a cache
// directory the store is disabled: completion still answers, by asking the API.
func (c *completer) cache() (compcache.Store, compcache.Scope, error) {
	s, err := c.f.Settings()
	if err != nil {
		return compcache.Store{}, compcache.Scope{}, err
	}
	store := compcache.Store{TTL: completionCacheTTL, Now: c.f.Now}
	if store.Dir, err = compcache.DefaultDir(); err != nil {
		completionDebug(err)
		store.TTL = 0
	}
	scope, err := completionScope(s)
	return store, scope, err
}

// completionScope is whose lists the cache holds for the settings: the profile, API URL and
// organization (and user, when credentials come from APIKEYS_USERNAME); the sandbox is known
// by its data file.
func completionScope(s *config.Settings) (compcache.Scope, error) {
	api := s.APIURL
	if s.Sandbox {
		path, err := session.SandboxDataPath(s)
		if err != nil {
			return compcache.Scope{}, err
		}
		api = "sandbox:" + path
	}
	return compcache.Scope{Profile: s.Profile, API: api, Org: s.Org, Username: s.Username}, nil
}

// prepare readies the factory for a completion that may open a session: prompts are
// disabled and stdout is discarded (cobra writes the candidates to the writer the root
// command was given, not to f.IO.Out).
func (c *completer) prepare(*cobra.Command) error {
	c.f.IO.SetPromptDisabled(true)
	c.f.IO.Out = io.Discard
	return nil
}

// withDeadline runs fn under a deadline of d and gives up when it passes, even when fn is
// blocked in something that ignores its context (the sandbox's file lock, say). The process
// ends right after answering the shell, so an abandoned fn costs nothing.
func withDeadline[T any](parent context.Context, d time.Duration, fn func(context.Context) (T, error)) (T, error) {
	if parent == nil {
		parent = context.Background()
	}
	ctx, cancel := context.WithTimeout(parent, d)
	defer cancel()
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := fn(ctx)
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, fmt.Errorf("completion gave up: %w", ctx.Err())
	}
}

// completionDebug logs why a completion has no candidates to $BASH_COMP_DEBUG_FILE when the
// user set it; the shell never sees it.
func completionDebug(err error) {
	cobra.CompDebugln("apikeys completion: "+err.Error(), false)
}

func withDesc(value, desc string) cobra.Completion {
	if desc == "" {
		return value
	}
	return cobra.CompletionWithDesc(value, desc)
}

// oneLine keeps a description on one line, as the completion protocol needs (a tab or line
// break would split the candidate), and shows server text safely, as everywhere else.
func oneLine(s string) string { return sanitize.Text(s) }

// hasPrefixFold reports whether s starts with prefix, ignoring case.
func hasPrefixFold(s, prefix string) bool {
	return strings.HasPrefix(strings.ToLower(s), strings.ToLower(prefix))
}

// forgetKeysAfter makes cmd (create, delete) drop the cached key list of the profile in use
// once it has run, whatever the outcome (a delete that failed on one key may have deleted
// others), so the next TAB offers the keys as they are now rather than as they were up to
// completionCacheTTL ago. Other profiles' lists stay. Best effort: a stale entry only costs a
// slightly old candidate list.
func forgetKeysAfter(f *Factory, cmd *cobra.Command) {
	run := cmd.RunE
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		err := run(cmd, args)
		if store, scope, cerr := newCompleter(f).cache(); cerr == nil {
			if ferr := store.ForgetKeys(scope); ferr != nil {
				completionDebug(ferr)
			}
		}
		return err
	}
}
