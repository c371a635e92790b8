package cli

import (
	"errors"
	"net/http"
	"strings"
	"syscall"
	"testing"

	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/l10n"
)

// Every hint has its French, with the values it names (a URL, a command) as they are.
func TestEveryHintHasFrench(t *testing.T) {
	fr := l10n.For(l10n.French)
	qa := &config.Settings{Profile: "qa", APIURL: "https://api.qa.jmapcloud.io"}
	api := func(status int) error { return &jmapcloud.APIError{Method: "GET", Path: "/x", StatusCode: status} }
	for _, tc := range []struct {
		err  error
		s    *config.Settings
		want string
	}{
		{&jmapcloud.RedirectError{SuggestedURL: "https://api.example"}, nil, "si l'API a été déplacée à cette adresse, passez --api-url https://api.example"},
		{&jmapcloud.RedirectError{}, nil, "faites pointer --api-url sur l'adresse finale de l'API"},
		{&jmapcloud.TooLargeError{}, nil, "vérifiez que --api-url pointe sur l'API JMap Cloud"},
		{&jmapcloud.DecodeError{Err: jmapcloud.ErrWebPage}, nil, "vérifiez que --api-url pointe sur l'API JMap Cloud\u00a0; derrière un proxy qui demande de vous identifier, ouvrez d'abord l'URL de l'API dans un navigateur et identifiez-vous"},
		{&jmapcloud.DecodeError{Err: errors.New("x")}, qa, "vérifiez que --api-url pointe sur l'API JMap Cloud\u00a0; `apikeys doctor` montre ce que contiennent ses réponses"},
		{api(http.StatusUnauthorized), nil, "la session est absente ou expirée\u00a0: exécutez `apikeys auth login` (ou utilisez --sandbox)"},
		{api(http.StatusUnauthorized), qa, "la session est absente ou expirée\u00a0: exécutez `apikeys auth login --profile qa --api-url https://api.qa.jmapcloud.io` (ou utilisez --sandbox)"},
		{api(http.StatusUnauthorized), &config.Settings{Token: "t"}, "le serveur a refusé le jeton d'accès de APIKEYS_TOKEN\u00a0: donnez-lui un jeton valide, ou retirez-le pour utiliser la session du profil"},
		{api(http.StatusUnauthorized), &config.Settings{Username: "u", Password: "p"}, "le serveur a refusé les identifiants de APIKEYS_USERNAME et APIKEYS_PASSWORD\u00a0: vérifiez-les, ou retirez-les pour utiliser la session du profil"},
		{api(http.StatusUnauthorized), &config.Settings{Sandbox: true}, "le serveur a refusé les identifiants de --sandbox\u00a0: vérifiez-les, ou retirez-les pour utiliser la session du profil"},
		{api(http.StatusForbidden), nil, "gérer les clés API demande le rôle ORG_ADMIN dans cette organisation\u00a0; connectez-vous en tant qu'administrateur de l'organisation"},
		{api(http.StatusTooManyRequests), nil, "le serveur limite les requêtes et a demandé une attente plus longue que celle que fait apikeys\u00a0; réessayez plus tard"},
		{api(http.StatusBadGateway), nil, "le serveur a échoué\u00a0; réessayez dans un moment"},
		{&jmapcloud.NetworkError{Err: syscall.ECONNREFUSED}, qa, "connexion refusée\u00a0: rien ne répond à https://api.qa.jmapcloud.io\u00a0; vérifiez --api-url, et que le serveur fonctionne"},
		{&jmapcloud.NetworkError{Err: errors.New("reset")}, nil, "vérifiez le réseau et --api-url, puis réessayez"},
	} {
		h := hint(tc.err, tc.s)
		if got := h.Localize(fr); got != tc.want {
			t.Errorf("hint of %T (%v):\n got %q\nwant %q", tc.err, tc.err, got, tc.want)
		}
		if strings.Contains(h.String(), "\u00a0") {
			t.Errorf("the English hint %q holds a non-breaking space", h.String())
		}
	}
	if h := hint(errors.New("plain"), nil); !h.IsZero() {
		t.Errorf("a plain error got the hint %q", h)
	}
}

// The typed errors of the client put their own words in French and the server's as sent.
func TestClientErrorsInFrench(t *testing.T) {
	fr := l10n.For(l10n.French)
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&jmapcloud.APIError{Method: "GET", Path: "/k", StatusCode: 400, Message: "title is required", Details: []string{"a", "b"}},
			"GET /k\u00a0: HTTP 400\u00a0: title is required (a; b)"},
		{&jmapcloud.RedirectError{Method: "GET", Path: "/k", StatusCode: 302},
			"GET /k\u00a0: le serveur a répondu HTTP 302, une redirection sans cible\u00a0; apikeys ne suit aucune redirection, qui enverrait les identifiants à une autre adresse"},
		{&jmapcloud.TooLargeError{Method: "GET", Path: "/k", Limit: 32 << 20},
			"GET /k\u00a0: la réponse du serveur dépasse 32 Mio, le maximum qu'apikeys lit d'une réponse\u00a0; elle n'a pas été utilisée"},
		{&jmapcloud.InsecureURLError{URL: "http://example.com/x"},
			"requête vers http://example.com/x refusée\u00a0: seul https est permis, ou http simple vers une adresse de bouclage comme un bac à sable local"},
		{&jmapcloud.InvalidIDError{What: "API key", ID: ".."},
			"ID de clé API invalide «\u00a0..\u00a0» (venu du serveur ou de la ligne de commande)\u00a0: un ID a de 1 à 128 lettres, chiffres ou - _ .\u00a0: ~, et n'est pas «\u00a0.\u00a0» ni «\u00a0..\u00a0»\u00a0; rien n'a été envoyé"},
		{&jmapcloud.DecodeError{Method: "GET", Path: "/k", Err: jmapcloud.ErrWebPage},
			"GET /k\u00a0: réponse illisible du serveur\u00a0: la réponse est une page web (HTML), pas du JSON\u00a0: autre chose que l'API JMap Cloud a répondu, comme la page d'identification d'un proxy"},
	} {
		if got := fr.Error(tc.err); got != tc.want {
			t.Errorf("%T:\n got %q\nwant %q", tc.err, got, tc.want)
		}
	}
}
