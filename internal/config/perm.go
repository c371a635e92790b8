package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/l10n"
)

// PermissionError is a configuration path that someone other than the user could have
// written: apikeys reads nothing from it. (An api-url planted in a configuration file would
// receive the password at the next `auth login`; a planted session, the user's keys.)
type PermissionError struct {
	Path    string
	Problem l10n.Msg // e.g. "it is writable by group or others (mode 0777)"
	Fix     string   // the command to run
}

func (e *PermissionError) Error() string { return e.Localize(nil) }

// Localize is Error in p's language.
func (e *PermissionError) Localize(p *l10n.Printer) string {
	return p.Sprintf("refusing to use %s: %s, so another user could have written what apikeys would read\nrun `%s`, or pass --config with a path of your own", e.Path, e.Problem, e.Fix)
}

// ErrorKind makes it a usage error: the user fixes the path.
func (e *PermissionError) ErrorKind() errkind.Kind { return errkind.Usage }

// checkOwnPath refuses path when it exists and another user could have written it: owned
// by someone other than the user (or root), or writable by group or others. A directory
// with the sticky bit (/tmp) is accepted, since others cannot replace what the user owns in
// it, unless strict (the sessions directory, which holds only the user's files). A path that
// does not exist passes: nothing will be read from it.
func checkOwnPath(path string, strict bool) error {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if uid, ok := fileOwner(info); ok && uid != currentUID() && uid != 0 {
		return &PermissionError{Path: path,
			Problem: l10n.M("it is owned by another user (uid %d, not %d)", uid, currentUID()),
			Fix:     fmt.Sprintf("sudo chown %d %s", currentUID(), path)}
	}
	mode := info.Mode()
	sticky := info.IsDir() && mode&os.ModeSticky != 0 && !strict
	if ownerCheckable && mode.Perm()&0o022 != 0 && !sticky {
		return &PermissionError{Path: path,
			Problem: l10n.M("it is writable by group or others (mode %04o)", mode.Perm()),
			Fix:     "chmod go-w " + path}
	}
	return nil
}
