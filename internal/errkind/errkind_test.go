package errkind

import (
	"errors"
	"fmt"
	"testing"
)

type selfKinded struct{}

func (selfKinded) Error() string   { return "bad column" }
func (selfKinded) ErrorKind() Kind { return Usage }

func TestOf(t *testing.T) {
	base := errors.New("boom")
	tests := []struct {
		name string
		err  error
		want Kind
	}{
		{"nil", nil, Failed},
		{"plain", base, Failed},
		{"usage", Usagef("bad %s", "flag"), Usage},
		{"not found wrapped by fmt", fmt.Errorf("show: %w", NotFoundf("no key %q", "x")), NotFound},
		{"auth", Authf("not logged in"), Auth},
		{"cancelled", Wrap(Cancelled, base), Cancelled},
		{"a type that knows its kind", fmt.Errorf("list: %w", selfKinded{}), Usage},
		{"the outermost kind wins", Wrap(Failed, Usagef("x")), Failed},
		{"reported", &Reported{Kind: NotFound}, NotFound},
	}
	for _, tc := range tests {
		if got := Of(tc.err); got != tc.want {
			t.Errorf("%s: Of = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestWrapKeepsMessageAndChain(t *testing.T) {
	base := errors.New("boom")
	err := Wrap(Auth, base)
	if err.Error() != "boom" || !errors.Is(err, base) || !Is(err, Auth) || Is(err, Usage) {
		t.Fatalf("Wrap(Auth, boom) = %q, Is base %v", err, errors.Is(err, base))
	}
	if Wrap(Usage, nil) != nil {
		t.Fatal("Wrap of nil must be nil")
	}
	if Is(nil, Failed) {
		t.Fatal("a nil error is of no kind")
	}
}
