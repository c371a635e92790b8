package cli

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/output"
	"github.com/k2geospatial/apikeys/internal/sandbox"
)

// In French, serve says where it listens in French on stderr; stdout, which a script reads
// for --api-url, is the same URL in every language.
func TestSandboxServeSpeaksFrenchOnStderrOnly(t *testing.T) {
	sb := &fakeSandbox{}
	var opened []sandbox.Options
	deps, streams := fakeSandboxDeps(sb, nil, output.Table, &opened)
	deps.Printer = l10n.For(l10n.French)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var addr net.Addr
	opts := &sandboxServeOptions{sandboxDeps: deps, Addr: "127.0.0.1:0", Data: "/srv/sb.db",
		Listen: func(network, address string) (net.Listener, error) {
			ln, err := net.Listen(network, address)
			if err == nil {
				addr = ln.Addr()
			}
			cancel()
			return ln, err
		}}
	if err := runSandboxServe(ctx, opts); err != nil {
		t.Fatal(err)
	}
	out, errOut := outputs(streams)
	wantErr := fmt.Sprintf("Bac à sable servi sur %s (données /srv/sb.db). Connectez-vous en tant que admin@acme.example / sandbox-password, ou voyez `apikeys sandbox info`. Ctrl-C l'arrête.\nBac à sable arrêté.\n", addr)
	if out != "http://"+addr.String()+"\n" || errOut != wantErr {
		t.Errorf("stdout %q, stderr %q\nwant stdout %q, stderr %q", out, errOut, "http://"+addr.String()+"\n", wantErr)
	}
}

// reset counts its generated keys in both languages: 1 key, 250 keys.
func TestSandboxResetCountsInBothLanguages(t *testing.T) {
	const nb = "\u00a0"
	for _, tc := range []struct {
		p      *l10n.Printer
		keys   int
		stderr string
	}{
		{nil, 0, "Sandbox reset (/env/sandbox.db): seeded organization restored.\n"},
		{nil, 1, "Sandbox reset (/env/sandbox.db): seeded organization restored with 1 generated key.\n"},
		{nil, 250, "Sandbox reset (/env/sandbox.db): seeded organization restored with 250 generated keys.\n"},
		{l10n.For(l10n.French), 0, "Bac à sable réinitialisé (/env/sandbox.db)" + nb + ": organisation préremplie restaurée.\n"},
		{l10n.For(l10n.French), 1, "Bac à sable réinitialisé (/env/sandbox.db)" + nb + ": organisation préremplie restaurée avec 1 clé générée.\n"},
		{l10n.For(l10n.French), 250, "Bac à sable réinitialisé (/env/sandbox.db)" + nb + ": organisation préremplie restaurée avec 250 clés générées.\n"},
	} {
		sb := &fakeSandbox{}
		var opened []sandbox.Options
		deps, streams := fakeSandboxDeps(sb, nil, output.Table, &opened)
		deps.Printer = tc.p
		if err := runSandboxReset(context.Background(), &sandboxResetOptions{sandboxDeps: deps, Keys: tc.keys}); err != nil {
			t.Fatal(err)
		}
		if out, errOut := outputs(streams); out != "" || errOut != tc.stderr {
			t.Errorf("%s, %d keys: stdout %q, stderr %q, want %q", tc.p.Lang(), tc.keys, out, errOut, tc.stderr)
		}
	}
}

// sandbox info's panel is labelled in the reader's language; its values (the password, the
// path) are as they are. (The colon after each label and the logins' table headers are the
// detail view's and the table's, shared by every command.)
func TestSandboxInfoPanelInFrench(t *testing.T) {
	info := sandbox.Info{OrganizationName: "Acme Geospatial", OrganizationID: "org-1", Password: "sandbox-password", DataPath: "/srv/sb.db",
		Logins: []sandbox.Login{{Email: "a@b", Name: "A", Roles: []string{"ORG_ADMIN"}}}}
	for _, tc := range []struct {
		p     *l10n.Printer
		panel string
	}{
		{nil, "Organization:  Acme Geospatial (org-1)\nPassword:      sandbox-password (every login)\nData:          /srv/sb.db\n"},
		{l10n.For(l10n.French), "Organisation\u00a0:  Acme Geospatial (org-1)\nMot de passe\u00a0:  sandbox-password (tous les comptes)\nDonnées\u00a0:       /srv/sb.db\n"},
	} {
		var b strings.Builder
		if err := sandboxInfoResult(tc.p, info, output.TableOptions{}).Text(&b); err != nil {
			t.Fatal(err)
		}
		if got, _, _ := strings.Cut(b.String(), "\n\n"); got+"\n" != tc.panel {
			t.Errorf("%s panel:\n%q\nwant\n%q", tc.p.Lang(), got+"\n", tc.panel)
		}
	}
}
