package cli

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sort"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/k2geospatial/apikeys/internal/compcache"
	"github.com/k2geospatial/apikeys/internal/completion"
	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/output"
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

// The directives of the candidates: a whole value, after which the shell adds a space, or
// part of a value still being typed (a list's item, a filter's field or operator), which
// leaves the cursor on the word. Neither falls back to file names.
const (
	valueDone = cobra.ShellCompDirectiveNoFileComp
	valueMore = cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
)

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
func completeColumns(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return cobraCompletions(completion.Columns(completionPrinterOf(cmd), toComplete)), valueMore
}

// completeHide completes --hide.
func completeHide(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return cobraCompletions(completion.Fields(toComplete)), valueMore
}

// completeSort completes --sort.
func completeSort(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return cobraCompletions(completion.Sort(completionPrinterOf(cmd), toComplete)), valueMore
}

// completeFilter completes --filter.
func completeFilter(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	cands, more := completion.Filter(completionPrinterOf(cmd), toComplete)
	if more {
		return cobraCompletions(cands), valueMore
	}
	return cobraCompletions(cands), valueDone
}

// fixedChoices completes one of a fixed set of values.
func fixedChoices(choices []string) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return cobraCompletions(completion.Fixed(choices, toComplete)), valueDone
	}
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
	apiURLs := map[string]string{}
	for name := range v.GetStringMap("profiles") {
		apiURLs[name] = v.GetString("profiles." + name + ".api-url")
	}
	return cobraCompletions(completion.Profiles(apiURLs, toComplete)), valueDone
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
		return cobraCompletions(completion.Keys(completionPrinterOf(cmd), keys, args, toComplete, c.f.Now())), valueDone
	}
}

// editors completes --transfer-to with the emails of the members holding ORG_EDITOR
// (administrators included, roles being additive), described by their names.
func (c *completer) editors(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	members, err := c.editorMembers(cmd)
	if err != nil {
		completionDebug(err)
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return cobraCompletions(completion.Editors(members, toComplete)), valueDone
}

// keys returns the organization's keys for completion, from the cache when fresh.
func (c *completer) keys(cmd *cobra.Command) ([]completion.Key, error) {
	if err := c.prepare(cmd); err != nil {
		return nil, err
	}
	// A fresh cache answers without the deadline's goroutine, whose start costs the answer
	// a thread: the cache is a small regular file of our own (compcache refuses any other
	// kind, which could block). A file system that hangs on open is not guarded against here,
	// any more than for the configuration file read before.
	store, scope, err := c.cache()
	if err != nil {
		return nil, err
	}
	if keys, ok := store.LoadKeys(scope); ok {
		return keys, nil
	}
	return withDeadline(cmd.Context(), c.timeout(), func(ctx context.Context) ([]completion.Key, error) {
		sess, err := c.f.Session(ctx)
		if err != nil {
			return nil, err
		}
		list, err := sess.ListKeys(ctx)
		if err != nil {
			return nil, err
		}
		keys := make([]completion.Key, 0, len(list))
		for _, k := range list {
			keys = append(keys, completion.Key{ID: k.ID, Title: k.Title, Role: k.Role, Expires: k.ExpirationDate})
		}
		// Cached in candidate order, so that each later completion's sort finds it sorted.
		slices.SortFunc(keys, completion.CompareKeys)
		if err := store.SaveKeys(scope, keys); err != nil {
			completionDebug(err)
		}
		return keys, nil
	})
}

// editorMembers returns the members holding ORG_EDITOR, from the cache when fresh.
func (c *completer) editorMembers(cmd *cobra.Command) ([]completion.Editor, error) {
	if err := c.prepare(cmd); err != nil {
		return nil, err
	}
	store, scope, err := c.cache()
	if err != nil {
		return nil, err
	}
	if editors, ok := store.LoadEditors(scope); ok {
		return editors, nil
	}
	return withDeadline(cmd.Context(), c.timeout(), func(ctx context.Context) ([]completion.Editor, error) {
		sess, err := c.f.Session(ctx)
		if err != nil {
			return nil, err
		}
		list, err := sess.Members(ctx)
		if err != nil {
			return nil, err
		}
		editors := []completion.Editor{}
		for _, m := range list {
			if m.HasRole(jmapcloud.RoleEditor) {
				editors = append(editors, completion.Editor{Email: m.Email, Name: m.Name})
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

// cobraCompletions gives the candidates to cobra: "value", or "value\tdescription" when
// there is one, as cobra.CompletionWithDesc writes it (descriptions are already on one line,
// so the tab cannot split one).
func cobraCompletions(cands []completion.Candidate) []cobra.Completion {
	if cands == nil {
		return nil
	}
	out := make([]cobra.Completion, len(cands))
	for i, c := range cands {
		out[i] = c.Line()
	}
	return out
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

// completionPrinter is the printer of one completion's answer, in the language of the
// command line being completed: cobra gathers the flags' usages and the commands' short
// descriptions itself, with no call of ours once it has parsed the line, so the --profile
// and --config that choose the profile (and its language) are read here first, from args
// (`__complete`, the words, and the word being typed).
func completionPrinter(f *Factory, args []string) *l10n.Printer {
	if len(args) > 2 {
		scratch := pflag.NewFlagSet("completion", pflag.ContinueOnError)
		scratch.ParseErrorsAllowlist.UnknownFlags = true
		scratch.SetOutput(io.Discard)
		scratch.Usage = func() {}
		given := map[string]*string{"profile": scratch.String("profile", "", ""), "config": scratch.String("config", "", "")}
		if scratch.Parse(args[1:len(args)-1]) == nil {
			for name, v := range given {
				if scratch.Changed(name) {
					_ = f.rootFlags.Set(name, *v)
				}
			}
		}
	}
	return f.Printer()
}

// printerKey is the context key of a completion's printer (withCompletionPrinter).
type printerKey struct{}

// withCompletionPrinter is ctx carrying the printer of a completion's answer, which the
// completion functions, given only the command, read with completionPrinterOf.
func withCompletionPrinter(ctx context.Context, p *l10n.Printer) context.Context {
	return context.WithValue(ctx, printerKey{}, p)
}

// completionPrinterOf is the printer of the completion cmd answers: English (nil) when the
// command was not run for a completion.
func completionPrinterOf(cmd *cobra.Command) *l10n.Printer {
	if cmd == nil || cmd.Context() == nil {
		return nil
	}
	p, _ := cmd.Context().Value(printerKey{}).(*l10n.Printer)
	return p
}
