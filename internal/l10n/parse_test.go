package l10n

import (
	"errors"
	"os"
	"os/exec"
	"testing"
)

// TestEnglishNeverParsesTheCatalog: the French catalog costs nothing to a run in English,
// whatever it prints, and is parsed by the first French text. It runs in a process of its
// own (this test binary again), where no other test has parsed the catalog yet.
func TestEnglishNeverParsesTheCatalog(t *testing.T) {
	if os.Getenv("L10N_PARSE_CHILD") == "1" {
		englishThenFrench(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestEnglishNeverParsesTheCatalog$", "-test.v")
	cmd.Env = append(os.Environ(), "L10N_PARSE_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
}

func englishThenFrench(t *testing.T) {
	if catalogParsed.Load() {
		t.Fatal("the catalog was parsed before any text was asked for")
	}
	p := For(English)
	_ = p.Sprintf("%d keys", 3)
	_ = p.Plural(2, "%d key", "%d keys", 2)
	_ = p.Text("Usage:")
	_ = p.Error(Errorf("x: %w", errors.New("y")))
	_ = M("m %s", "a").Localize(p)
	var nilPrinter *Printer
	_ = nilPrinter.Sprintf("%d keys", 3)
	if catalogParsed.Load() {
		t.Error("an English printer parsed the French catalog")
	}
	_ = For(French).Text("Usage:")
	if !catalogParsed.Load() {
		t.Error("a French text did not parse the catalog")
	}
}
