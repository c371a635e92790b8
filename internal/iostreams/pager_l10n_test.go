package iostreams

import (
	"testing"

	"github.com/k2geospatial/apikeys/internal/l10n"
)

// A pager that cannot be run is said once, in the reader's language, and the output stays
// the terminal's.
func TestPagerThatCannotRunIsSaidInTheReadersLanguage(t *testing.T) {
	for _, tc := range []struct {
		lang *l10n.Printer
		want string
	}{
		{nil, "Warning: cannot run the pager \"no-such-pager-for-apikeys -x\" (exec: \"no-such-pager-for-apikeys\": executable file not found in $PATH): printing without it. Set APIKEYS_PAGER to another pager, or to nothing to turn paging off.\n"},
		{l10n.For(l10n.French), "Avertissement\u00a0: impossible de lancer le paginateur «\u00a0no-such-pager-for-apikeys -x\u00a0» (exec: \"no-such-pager-for-apikeys\": executable file not found in $PATH)\u00a0: affichage sans lui. Donnez à APIKEYS_PAGER un autre paginateur, ou une valeur vide pour ne plus paginer.\n"},
	} {
		s, _, out, errOut := Test()
		s.SetTTY(true, true, true)
		s.SetPagerEnv(func(k string) (string, bool) { return "no-such-pager-for-apikeys -x", k == "APIKEYS_PAGER" }, func() []string { return nil })
		for range 2 {
			s.StartPager(tc.lang)
			if _, err := s.Out.Write([]byte("table\n")); err != nil {
				t.Fatal(err)
			}
			s.StopPager()
		}
		if errOut.String() != tc.want {
			t.Errorf("stderr %q\nwant   %q", errOut.String(), tc.want)
		}
		if out.String() != "table\ntable\n" {
			t.Errorf("stdout %q, want the table twice", out.String())
		}
	}
}
