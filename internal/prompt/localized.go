package prompt

import (
	"errors"
	"regexp"
	"strings"
	"sync"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/core"
	"github.com/AlecAivazis/survey/v2/terminal"

	"github.com/k2geospatial/apikeys/internal/l10n"
)

// survey writes words of its own beside the questions: the confirmation's "(y/N)", its
// "Yes" once answered and the error of another answer, the list's "[Use arrows to move,
// type to filter]", the "? for help" hints. They are in its templates and its Confirm and
// Select code, which are package variables read at every prompt: changing them for a
// French prompt would change them for every prompt of the process (prompts of parallel
// tests included). The confirmation and the list are therefore prompts of this package,
// drawn by survey's renderer from templates of their own, made for the prompter's
// language. In English the templates are survey's, word for word, and the bytes drawn are
// those survey draws.

// confirmPrompt is survey.Confirm in the words of a language: the hint, the answer shown,
// the answers understood and the error of another answer.
type confirmPrompt struct {
	survey.Confirm
	words confirmWords
}

// confirmWords are a confirmation's words in one language.
type confirmWords struct {
	template string         // survey.ConfirmQuestionTemplate with the language's hints
	yes, no  *regexp.Regexp // the answers that mean yes and no
	answered [2]string      // the answer drawn once given: no, yes
	invalid  func(answer string) error
}

// The answers survey understands, and in French also oui and non (o, n): y, yes and no
// are still understood, a French reader may type them too. Case is ignored. Compiled on
// first use: a package-level regexp costs every start, `apikeys version` included.
var (
	englishYes = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile("^(?i:y(?:es)?)$") })
	englishNo  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile("^(?i:n(?:o)?)$") })
	frenchYes  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile("^(?i:o(?:ui)?|y(?:es)?)$") })
	frenchNo   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile("^(?i:n(?:on?)?)$") })
)

func confirmWordsFor(p *l10n.Printer) confirmWords {
	w := confirmWords{
		template: confirmTemplate(p),
		yes:      englishYes(),
		no:       englishNo(),
		answered: [2]string{p.Text("No"), p.Text("Yes")},
		invalid: func(answer string) error {
			return errors.New(p.Sprintf("%q is not a valid answer, please try again.", answer))
		},
	}
	if p.Lang() == l10n.French {
		w.yes, w.no = frenchYes(), frenchNo()
	}
	return w
}

// confirmTemplate is survey.ConfirmQuestionTemplate with its words in p's language: survey's
// own template, read when the prompt is made, with its three hints replaced, so that a newer
// survey's layout is kept (and English is survey's, byte for byte).
func confirmTemplate(p *l10n.Printer) string {
	if p.Lang() == l10n.English {
		return survey.ConfirmQuestionTemplate
	}
	return strings.NewReplacer(
		"[{{ .Config.HelpInput }} for help]", "["+p.Sprintf("%s for help", "{{ .Config.HelpInput }}")+"]",
		"(Y/n)", p.Text("(Y/n)"),
		"(y/N)", p.Text("(y/N)"),
	).Replace(survey.ConfirmQuestionTemplate)
}

func (c *confirmPrompt) render(data survey.ConfirmTemplateData) error {
	return c.Render(c.words.template, data)
}

// Prompt is survey.Confirm.Prompt with the prompt's words.
func (c *confirmPrompt) Prompt(config *survey.PromptConfig) (any, error) {
	if err := c.render(survey.ConfirmTemplateData{Confirm: c.Confirm, Config: config}); err != nil {
		return "", err
	}
	return c.getBool(config)
}

// getBool reads answers until one is understood, as survey.Confirm does.
func (c *confirmPrompt) getBool(config *survey.PromptConfig) (bool, error) {
	cursor := c.NewCursor()
	rr := c.NewRuneReader()
	_ = rr.SetTermMode()
	defer func() { _ = rr.RestoreTermMode() }()
	showHelp := false
	for {
		line, err := rr.ReadLine(0)
		if err != nil {
			return false, err
		}
		// back up a line over the \n the terminal echoed
		_ = cursor.PreviousLine(1)
		val := string(line)
		switch {
		case c.words.yes.MatchString(val):
			return true, nil
		case c.words.no.MatchString(val):
			return false, nil
		case val == "":
			return c.Default, nil
		case val == config.HelpInput && c.Help != "":
			showHelp = true
		default:
			if err := c.Error(config, c.words.invalid(val)); err != nil {
				return c.Default, err
			}
		}
		if err := c.render(survey.ConfirmTemplateData{Confirm: c.Confirm, ShowHelp: showHelp, Config: config}); err != nil {
			return c.Default, err
		}
	}
}

// Cleanup draws the question with its answer, in the prompt's words.
func (c *confirmPrompt) Cleanup(config *survey.PromptConfig, val any) error {
	answer := c.words.answered[0]
	if val.(bool) {
		answer = c.words.answered[1]
	}
	return c.render(survey.ConfirmTemplateData{Confirm: c.Confirm, Answer: answer, Config: config})
}

// selectPrompt is survey.Select with its hint in the words of a language. Its keys are
// survey's: arrows (and Tab) move, typing filters, Backspace and Ctrl-W/Ctrl-U edit the
// filter, Enter chooses, Esc toggles survey's vim mode.
type selectPrompt struct {
	survey.Select
	template string // survey.SelectQuestionTemplate with the language's hint

	filter        string
	selectedIndex int
	showingHelp   bool
}

// selectTemplate is survey.SelectQuestionTemplate with its words in p's language, made as
// confirmTemplate is.
func selectTemplate(p *l10n.Printer) string {
	if p.Lang() == l10n.English {
		return survey.SelectQuestionTemplate
	}
	return strings.NewReplacer(
		"[Use arrows to move, type to filter", "["+p.Text("Use arrows to move, type to filter"),
		", {{ .Config.HelpInput }} for more help", ", "+p.Sprintf("%s for more help", "{{ .Config.HelpInput }}"),
	).Replace(survey.SelectQuestionTemplate)
}

// Prompt is survey.Select.Prompt with the prompt's template.
func (s *selectPrompt) Prompt(config *survey.PromptConfig) (any, error) {
	if len(s.Options) == 0 {
		return "", errors.New("please provide options to select from")
	}
	s.selectedIndex = 0
	if i, ok := s.Default.(int); ok && i >= 0 && i < len(s.Options) {
		s.selectedIndex = i
	}
	opts, idx := paginate(s.pageSize(config), core.OptionAnswerList(s.Options), s.selectedIndex)

	cursor := s.NewCursor()
	_ = cursor.Save() // for proper cursor placement during selection
	_ = cursor.Hide()
	defer func() {
		_ = cursor.Restore() // clear any accessibility offsetting
		_ = cursor.Show()
	}()

	if err := s.RenderWithCursorOffset(s.template, s.data(config, opts, idx), opts, idx); err != nil {
		return "", err
	}
	rr := s.NewRuneReader()
	_ = rr.SetTermMode()
	defer func() { _ = rr.RestoreTermMode() }()
	for {
		r, _, err := rr.ReadRune()
		if err != nil {
			return "", err
		}
		if r == terminal.KeyInterrupt {
			return "", terminal.InterruptErr
		}
		if r == terminal.KeyEndTransmission || s.onChange(r, config) {
			break
		}
	}
	options := s.filterOptions(config)
	s.filter, s.FilterMessage = "", ""
	if s.selectedIndex < len(options) {
		return options[s.selectedIndex], nil
	}
	return options[0], nil
}

func (s *selectPrompt) pageSize(config *survey.PromptConfig) int {
	if s.PageSize == 0 {
		return config.PageSize
	}
	return s.PageSize
}

func (s *selectPrompt) data(config *survey.PromptConfig, page []core.OptionAnswer, idx int) survey.SelectTemplateData {
	return survey.SelectTemplateData{
		Select:        s.Select,
		SelectedIndex: idx,
		ShowHelp:      s.showingHelp,
		Description:   s.Description,
		PageEntries:   page,
		Config:        config,
	}
}

// onChange is survey.Select.OnChange: it acts on a key and redraws; it reports whether the
// choice is made.
func (s *selectPrompt) onChange(key rune, config *survey.PromptConfig) bool {
	options := s.filterOptions(config)
	oldFilter := s.filter
	switch {
	case key == terminal.KeyEnter || key == '\n':
		return len(options) > 0 && s.selectedIndex < len(options)
	case (key == terminal.KeyArrowUp || (s.VimMode && key == 'k')) && len(options) > 0:
		if s.selectedIndex == 0 {
			s.selectedIndex = len(options) - 1
		} else {
			s.selectedIndex--
		}
	case (key == terminal.KeyTab || key == terminal.KeyArrowDown || (s.VimMode && key == 'j')) && len(options) > 0:
		if s.selectedIndex == len(options)-1 {
			s.selectedIndex = 0
		} else {
			s.selectedIndex++
		}
	case string(key) == config.HelpInput && s.Help != "":
		s.showingHelp = true
	case key == terminal.KeyEscape:
		s.VimMode = !s.VimMode
	case key == terminal.KeyDeleteWord || key == terminal.KeyDeleteLine:
		s.filter = ""
	case key == terminal.KeyDelete || key == terminal.KeyBackspace:
		if r := []rune(s.filter); len(r) > 0 {
			s.filter = string(r[:len(r)-1])
		}
	case key >= terminal.KeySpace:
		s.filter += string(key)
		s.VimMode = false
	}
	s.FilterMessage = ""
	if s.filter != "" {
		s.FilterMessage = " " + s.filter
	}
	if oldFilter != s.filter {
		options = s.filterOptions(config)
		if len(options) > 0 && len(options) <= s.selectedIndex {
			s.selectedIndex = len(options) - 1
		}
	}
	opts, idx := paginate(s.pageSize(config), options, s.selectedIndex)
	_ = s.RenderWithCursorOffset(s.template, s.data(config, opts, idx), opts, idx)
	return false
}

// filterOptions are the options the filter typed so far keeps, with their indexes.
func (s *selectPrompt) filterOptions(config *survey.PromptConfig) []core.OptionAnswer {
	if s.filter == "" {
		return core.OptionAnswerList(s.Options)
	}
	filter := s.Filter
	if filter == nil {
		filter = config.Filter
	}
	answers := []core.OptionAnswer{}
	for i, opt := range s.Options {
		if filter(s.filter, opt, i) {
			answers = append(answers, core.OptionAnswer{Index: i, Value: opt})
		}
	}
	return answers
}

// Cleanup draws the question with the option chosen.
func (s *selectPrompt) Cleanup(config *survey.PromptConfig, val any) error {
	_ = s.NewCursor().Restore()
	return s.Render(s.template, survey.SelectTemplateData{
		Select:      s.Select,
		Answer:      val.(core.OptionAnswer).Value,
		ShowAnswer:  true,
		Description: s.Description,
		Config:      config,
	})
}

// paginate is the page of at most pageSize choices that shows sel, with sel as near its
// middle as the list allows, and sel's place on it.
func paginate(pageSize int, choices []core.OptionAnswer, sel int) ([]core.OptionAnswer, int) {
	if len(choices) <= pageSize {
		return choices, sel
	}
	start := min(max(sel-pageSize/2, 0), len(choices)-pageSize)
	return choices[start : start+pageSize], sel - start
}
