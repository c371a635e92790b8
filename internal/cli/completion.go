package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"

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

// completer answers the dynamic completions of one command tree.
type completer struct {
	f       *Factory
	timeout time.Duration
	ttl     time.Duration
}

// registerCompletions walks the tree and attaches completion by command and flag name, so the
// command files need not know about completion. A completion a command registered itself is
// kept. String flags without a completion of their own stop the shell from offering file
// names, except the flags that take a file (see takesFile).
func registerCompletions(root *cobra.Command, f *Factory) {
	f.completing = true
	c := &completer{f: f, timeout: completionTimeout, ttl: completionCacheTTL}
	if f.completionTimeout > 0 {
		c.timeout = f.completionTimeout
	}
	seen := map[*pflag.Flag]bool{}
	var walk func(cmd *cobra.Command)
	walk = func(cmd *cobra.Command) {
		if cmd.ValidArgsFunction == nil {
			topLevel := cmd.Parent() == root
			switch {
			case topLevel && cmd.Name() == "show":
				cmd.ValidArgsFunction = c.keyArgs(false)
			case topLevel && cmd.Name() == "delete":
				cmd.ValidArgsFunction = c.keyArgs(true)
			default:
				if cmd.Runnable() && !cmd.HasSubCommands() {
					cmd.ValidArgsFunction = cobra.NoFileCompletions
				}
			}
		}
		visit := func(fl *pflag.Flag) {
			if seen[fl] {
				return
			}
			seen[fl] = true
			if fn := c.flagCompletion(cmd, fl); fn != nil {
				// An error means the command registered its own completion: keep it.
				_ = cmd.RegisterFlagCompletionFunc(fl.Name, fn)
			}
		}
		cmd.PersistentFlags().VisitAll(visit)
		cmd.Flags().VisitAll(visit)
		for _, sub := range cmd.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// flagCompletion chooses the completion of one flag by its name (and, for --role, its command).
func (c *completer) flagCompletion(cmd *cobra.Command, fl *pflag.Flag) cobra.CompletionFunc {
	switch fl.Name {
	case "output":
		return fixedChoices(output.FormatNames())
	case "profile":
		return c.profiles
	case "transfer-to":
		return c.editors
	case "columns":
		return func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return columnCandidates(toComplete), cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
		}
	case "hide":
		return func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return listCandidates(toComplete, plainChoices(output.KeyFieldNames())), cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
		}
	case "sort":
		return func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return sortCandidates(toComplete), cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
		}
	case "filter":
		return func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return filterCandidates(toComplete)
		}
	case "role":
		if cmd.Name() == "members" {
			return fixedChoices([]string{"admin", output.RoleEditor, output.RoleViewer})
		}
		return fixedChoices([]string{output.RoleEditor, output.RoleViewer})
	case "config":
		return func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return []cobra.Completion{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
		}
	}
	if fl.Value.Type() == "bool" || takesFile(fl) {
		return nil
	}
	return cobra.NoFileCompletions
}

// takesFile reports whether a flag names a file or directory, so the shell's own file name
// completion is the right answer for it: the flags this package knows, plus any flag another
// command adds whose name says so.
func takesFile(fl *pflag.Flag) bool {
	if _, annotated := fl.Annotations[cobra.BashCompFilenameExt]; annotated {
		return true
	}
	if _, annotated := fl.Annotations[cobra.BashCompSubdirsInDir]; annotated {
		return true
	}
	for _, word := range []string{"file", "path", "dir", "data"} {
		if strings.Contains(fl.Name, word) {
			return true
		}
	}
	return false
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

// filterOperators are the --filter operators with what they mean, in the order offered.
var filterOperators = []choice{
	{"=", "equals"}, {"!=", "differs from"}, {"~", "contains, ignoring case"}, {"!~", "does not contain"},
	{"<", "less than, before"}, {"<=", "at most"}, {">", "greater than, after"}, {">=", "at least"},
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
				for _, op := range filterOperators {
					out = append(out, withDesc(field+op.value, op.desc))
				}
			case hasPrefixFold(name, field):
				out = append(out, name)
			}
		}
		return out, more
	}
	if !isField(field) {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	opText := strings.TrimLeft(rest, " ")
	op := ""
	for _, o := range filterOperators {
		if strings.HasPrefix(opText, o.value) && len(o.value) > len(op) {
			op = o.value
		}
	}
	value := strings.TrimLeft(opText[len(op):], " ")
	if op == "" || value == "" {
		// Offer the operators the text may still become ("!" → "!=", "!~"; "<" → "<", "<="),
		// unless one operator is complete and nothing longer extends it: then the values.
		var ops []choice
		for _, o := range filterOperators {
			if strings.HasPrefix(o.value, opText) {
				ops = append(ops, o)
			}
		}
		if op == "" || len(ops) > 1 {
			base := toComplete[:len(toComplete)-len(opText)]
			for _, o := range ops {
				out = append(out, withDesc(base+o.value, o.desc))
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

func isField(name string) bool {
	for _, f := range output.KeyFieldNames() {
		if strings.EqualFold(f, name) {
			return true
		}
	}
	return false
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

// completionKey is what completion keeps of an API key: no secret, no email.
type completionKey struct {
	ID      string    `json:"id"`
	Title   string    `json:"title"`
	Role    string    `json:"role"`
	Expires time.Time `json:"expires"`
}

// completionMember is what completion keeps of an Editor.
type completionMember struct {
	Email string `json:"email"`
	Name  string `json:"name"`
}

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
	return withDeadline(cmd.Context(), c.timeout, func(ctx context.Context) ([]completionKey, error) {
		var keys []completionKey
		err := c.cached(ctx, "keys", &keys, func(ctx context.Context, s *Session) error {
			list, err := s.ListKeys(ctx)
			if err != nil {
				return err
			}
			keys = make([]completionKey, 0, len(list))
			for _, k := range list {
				keys = append(keys, completionKey{ID: k.ID, Title: k.Title, Role: k.Role, Expires: k.ExpirationDate})
			}
			// Cached in candidate order, so that each later completion's sort finds it sorted.
			slices.SortFunc(keys, compareCompletionKeys)
			return nil
		})
		return keys, err
	})
}

// editorMembers returns the members holding ORG_EDITOR, from the cache when fresh.
func (c *completer) editorMembers(cmd *cobra.Command) ([]completionMember, error) {
	if err := c.prepare(cmd); err != nil {
		return nil, err
	}
	return withDeadline(cmd.Context(), c.timeout, func(ctx context.Context) ([]completionMember, error) {
		var members []completionMember
		err := c.cached(ctx, "editors", &members, func(ctx context.Context, s *Session) error {
			list, err := s.Members(ctx)
			if err != nil {
				return err
			}
			members = []completionMember{}
			for _, m := range list {
				if m.HasRole(jmapcloud.RoleEditor) {
					members = append(members, completionMember{Email: m.Email, Name: m.Name})
				}
			}
			sort.Slice(members, func(i, j int) bool { return members[i].Email < members[j].Email })
			return nil
		})
		return members, err
	})
}

// cached fills v from the cache entry kind of the current profile when it is fresh, else opens
// the session, calls fetch (which fills v) and saves v.
func (c *completer) cached(ctx context.Context, kind string, v any, fetch func(context.Context, *Session) error) error {
	s, err := c.f.Settings()
	if err != nil {
		return err
	}
	cache, err := c.newCache(s, kind)
	if err != nil {
		completionDebug(err) // no cache: still complete, by asking the API
	}
	if cache != nil && cache.load(v) {
		return nil
	}
	sess, err := c.f.Session(ctx)
	if err != nil {
		return err
	}
	if err := fetch(ctx, sess); err != nil {
		return err
	}
	if cache != nil {
		if err := cache.save(v); err != nil {
			completionDebug(err)
		}
	}
	return nil
}

// prepare readies the factory for a completion that may open a session: prompts are
// disabled and stdout is discarded (cobra writes the candidates to the writer the root
// command was given, not to f.IO.Out).
func (c *completer) prepare(*cobra.Command) error {
	c.f.IO.SetPromptDisabled(true)
	c.f.IO.Out = io.Discard
	return nil
}

// completionCache is one cache entry: a file in the user's cache directory
// ($XDG_CACHE_HOME/apikeys/completion), mode 0600, named after a hash of its scope. It holds
// key IDs, titles, roles and expiry dates, or Editors' names and emails — never a token,
// password or secret.
type completionCache struct {
	path  string
	scope string
	ttl   time.Duration
	now   func() time.Time
}

// cacheHeader is the entry's first line; Scope is checked on load so that a hash collision or
// a copied file never answers for another profile. The data follows on the next lines: one
// line per key for key lists (decoding a JSON array of 1,000 keys was a third of a
// completion's time), JSON for the rest.
type cacheHeader struct {
	Scope   string    `json:"scope"`
	SavedAt time.Time `json:"savedAt"`
}

// appendKeyLines writes one key per line: ID, role, expiry (Unix seconds, empty for none) and
// the title, quoted so that any title fits on one line.
func appendKeyLines(b []byte, keys []completionKey) []byte {
	for _, k := range keys {
		b = append(b, k.ID...)
		b = append(b, '\t')
		b = append(b, k.Role...)
		b = append(b, '\t')
		if !k.Expires.IsZero() {
			b = strconv.AppendInt(b, k.Expires.Unix(), 10)
		}
		b = append(b, '\t')
		b = strconv.AppendQuote(b, k.Title)
		b = append(b, '\n')
	}
	return b
}

// parseKeyLines reads what appendKeyLines wrote.
func parseKeyLines(data []byte) ([]completionKey, error) {
	keys := make([]completionKey, 0, bytes.Count(data, []byte{'\n'}))
	for len(data) > 0 {
		line, rest, _ := bytes.Cut(data, []byte{'\n'})
		data = rest
		f := strings.SplitN(string(line), "\t", 4)
		if len(f) != 4 {
			return nil, fmt.Errorf("malformed cache line %q", line)
		}
		title, err := strconv.Unquote(f[3])
		if err != nil {
			return nil, fmt.Errorf("malformed cache title %q", f[3])
		}
		k := completionKey{ID: f[0], Role: f[1], Title: title}
		if f[2] != "" {
			secs, err := strconv.ParseInt(f[2], 10, 64)
			if err != nil {
				return nil, fmt.Errorf("malformed cache expiry %q", f[2])
			}
			k.Expires = time.Unix(secs, 0).UTC()
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// newCache names the cache entry of kind for the current profile, API URL and organization
// (and user, when credentials come from APIKEYS_USERNAME); the sandbox is keyed by its file.
func (c *completer) newCache(s *config.Settings, kind string) (*completionCache, error) {
	if c.ttl <= 0 {
		return nil, nil
	}
	api := s.APIURL
	if s.Sandbox {
		path, err := session.SandboxDataPath(s)
		if err != nil {
			return nil, err
		}
		api = "sandbox:" + path
	}
	scope := strings.Join([]string{kind, s.Profile, api, s.Org, s.Username}, "\x00")
	dir, err := os.UserCacheDir()
	if err != nil {
		return nil, fmt.Errorf("no cache directory for completion: %w", err)
	}
	sum := sha256.Sum256([]byte(scope))
	name := kind + "-" + hex.EncodeToString(sum[:12]) + ".cache"
	return &completionCache{path: filepath.Join(dir, "apikeys", "completion", name), scope: scope, ttl: c.ttl, now: c.f.Now}, nil
}

// load fills v when the entry exists, belongs to this scope and is younger than the TTL.
func (cc *completionCache) load(v any) bool {
	b, err := os.ReadFile(cc.path)
	if err != nil {
		return false
	}
	head, data, _ := bytes.Cut(b, []byte{'\n'})
	var h cacheHeader
	if json.Unmarshal(head, &h) != nil || h.Scope != cc.scope {
		return false
	}
	if age := cc.now().Sub(h.SavedAt); age < 0 || age > cc.ttl {
		return false
	}
	if keys, ok := v.(*[]completionKey); ok {
		parsed, err := parseKeyLines(data)
		if err != nil {
			return false
		}
		*keys = parsed
		return true
	}
	return json.Unmarshal(data, v) == nil
}

// save writes the entry atomically (a temporary file renamed over it), so a concurrent
// completion reads the old entry or the new, never a part.
func (cc *completionCache) save(v any) error {
	b, err := json.Marshal(cacheHeader{Scope: cc.scope, SavedAt: cc.now().UTC()})
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if keys, ok := v.(*[]completionKey); ok {
		b = appendKeyLines(b, *keys)
	} else {
		data, err := json.Marshal(v)
		if err != nil {
			return err
		}
		b = append(b, data...)
	}
	dir := filepath.Dir(cc.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".tmp-*") // mode 0600
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), cc.path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
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

// forgetCompletedKeys drops every cached key list after a create or delete, so the next TAB
// offers the keys as they are now rather than as they were up to completionCacheTTL ago.
// Best effort: a stale entry only costs a slightly old candidate list.
func forgetCompletedKeys() {
	dir, err := os.UserCacheDir()
	if err != nil {
		return
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "apikeys", "completion", "keys-*"))
	for _, m := range matches {
		os.Remove(m)
	}
}
