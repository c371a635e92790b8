package cli

import (
	"context"

	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/session"
)

// Session is the organization-scoped API of one invocation (internal/session's), under the
// name the command files use.
type Session = session.Session

// sessions is the session protocol with this invocation's clock, streams and clean-up.
// It is built on each use: completion sets f.completing after the factory is made.
func (f *Factory) sessions() *session.Manager {
	return &session.Manager{
		Version:    f.Version,
		DebugOut:   f.IO.ErrOutAfterProgress(),
		Now:        f.Now,
		Warn:       func(msg l10n.Msg) { f.Printer().Fprintf(f.IO.ErrOutAfterProgress(), "Warning: %s\n", msg) },
		RetrySleep: f.retrySleep,
		Completing: f.completing,
		OnClose:    f.onClose,
	}
}

// openSession opens the session of the current settings (see session.Manager.Open).
func (f *Factory) openSession(ctx context.Context) (*Session, error) {
	s, err := f.Settings()
	if err != nil {
		return nil, err
	}
	return f.sessions().Open(ctx, s)
}
