package prompt

import (
	"strings"
	"testing"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/core"

	"github.com/k2geospatial/apikeys/internal/l10n"
)

// In English the prompts' templates are survey's own, character for character: what an
// English prompt draws did not change when the words became the prompter's language's.
func TestEnglishTemplatesAreSurveys(t *testing.T) {
	if got := confirmTemplate(nil); got != survey.ConfirmQuestionTemplate {
		t.Errorf("the English confirmation's template:\n%s\nsurvey's:\n%s", got, survey.ConfirmQuestionTemplate)
	}
	if got := selectTemplate(nil); got != survey.SelectQuestionTemplate {
		t.Errorf("the English list's template:\n%s\nsurvey's:\n%s", got, survey.SelectQuestionTemplate)
	}
	w := confirmWordsFor(nil)
	if w.answered != [2]string{"No", "Yes"} {
		t.Errorf("English answers drawn: %q", w.answered)
	}
	if got, want := w.invalid("maybe").Error(), `"maybe" is not a valid answer, please try again.`; got != want {
		t.Errorf("English invalid answer: %q, want survey's %q", got, want)
	}
}

// The French confirmation understands oui and non in any case, o and n, and still y, yes
// and no; nothing else.
func TestFrenchAnswers(t *testing.T) {
	w := confirmWordsFor(l10n.For(l10n.French))
	for _, yes := range []string{"o", "O", "oui", "Oui", "OUI", "y", "Y", "yes", "YES"} {
		if !w.yes.MatchString(yes) || w.no.MatchString(yes) {
			t.Errorf("%q is not understood as yes", yes)
		}
	}
	for _, no := range []string{"n", "N", "non", "Non", "NON", "no", "No"} {
		if !w.no.MatchString(no) || w.yes.MatchString(no) {
			t.Errorf("%q is not understood as no", no)
		}
	}
	for _, other := range []string{"", "ou", "oui!", "nn", "nonn", "ja", " o"} {
		if w.yes.MatchString(other) || w.no.MatchString(other) {
			t.Errorf("%q is understood", other)
		}
	}
	if w.answered != [2]string{"Non", "Oui"} {
		t.Errorf("French answers drawn: %q", w.answered)
	}
}

// The "? for help" hints, drawn when a question has help, in French.
func TestFrenchHelpHints(t *testing.T) {
	fr := l10n.For(l10n.French)
	config := &survey.PromptConfig{HelpInput: "?", Icons: survey.IconSet{
		Question:    survey.Icon{Text: "?"},
		Help:        survey.Icon{Text: "i"},
		SelectFocus: survey.Icon{Text: ">"},
	}}
	_, confirm, err := core.RunTemplate(confirmTemplate(fr), survey.ConfirmTemplateData{
		Confirm: survey.Confirm{Message: "Continuer\u00a0?", Help: "aide"}, Config: config,
	})
	if want := "? Continuer\u00a0? [? pour l'aide] (o/N) "; err != nil || confirm != want {
		t.Errorf("confirmation: %q, %v; want %q", confirm, err, want)
	}
	data := survey.SelectTemplateData{
		Select:      survey.Select{Message: "Rôle\u00a0:", Help: "aide"},
		PageEntries: core.OptionAnswerList([]string{"Éditeur", "Lecteur"}),
		Config:      config,
	}
	_, list, err := core.RunTemplate(selectTemplate(fr), data)
	if want := "? Rôle\u00a0:  [↑↓ ou tapez pour filtrer, ? pour plus d'aide]\n> Éditeur\n  Lecteur\n"; err != nil || list != want {
		t.Errorf("list: %q, %v; want %q", list, err, want)
	}
}

// The French templates are survey's with every English hint replaced: none is left when
// survey's wording moves (the replacement would silently miss it).
func TestFrenchTemplatesReplaceEveryHint(t *testing.T) {
	fr := l10n.For(l10n.French)
	for name, tmpl := range map[string]string{"confirm": confirmTemplate(fr), "select": selectTemplate(fr)} {
		for _, english := range []string{"Use arrows to move", "for more help", "for help]", "(Y/n)", "(y/N)"} {
			if strings.Contains(tmpl, english) {
				t.Errorf("the French %s template still says %q:\n%s", name, english, tmpl)
			}
		}
	}
}

// paginate keeps the selection on the page, centred where the list allows, as survey does.
func TestPaginate(t *testing.T) {
	choices := core.OptionAnswerList([]string{"a", "b", "c", "d", "e", "f", "g"})
	for _, c := range []struct {
		size, sel     int
		first, cursor string
	}{
		{10, 3, "a", "d"}, {3, 0, "a", "a"}, {3, 1, "a", "b"}, {3, 3, "c", "d"}, {3, 6, "e", "g"}, {4, 5, "d", "f"}, {7, 6, "a", "g"},
	} {
		page, cursor := paginate(c.size, choices, c.sel)
		if len(page) != min(c.size, len(choices)) || page[0].Value != c.first || page[cursor].Value != c.cursor {
			t.Errorf("paginate(%d, 7 choices, %d) = %v, cursor %d", c.size, c.sel, page, cursor)
		}
	}
}
