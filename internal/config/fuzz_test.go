package config

import (
	"errors"
	"testing"
)

// FuzzResolveConfigFile feeds random profile files to the settings resolution: no panic, and
// either settings or an error naming the file, so the user knows which file to fix.
func FuzzResolveConfigFile(f *testing.F) {
	for _, s := range []string{
		"profiles:\n  default:\n    api-url: https://api.jmapcloud.io\n    org: 76ba117c-63e9-4b5e-82ce-01862e86eebf\n",
		"profiles:\n  qa: {api-url: 'https://api.qa.jmapcloud.io', timeout: 5s}\n",
		"profiles: [1, 2]\n",
		"timeout: forever\n",
		"session-store: vault\n",
		"api-url: :\n\t- x",
		"{{{{",
		"",
	} {
		f.Add([]byte(s), "default")
	}
	f.Fuzz(func(t *testing.T, data []byte, profile string) {
		v, err := NewViper(nil)
		if err != nil {
			t.Fatal(err)
		}
		name, err := ProfileName(profile)
		if err != nil {
			return
		}
		const path = "/nonexistent/config.yaml"
		s, err := resolve(v, &Settings{Profile: name, ConfigFile: path}, data)
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) || fe.Path != path {
				t.Fatalf("error %T %v does not name the file", err, err)
			}
			return
		}
		if s.APIURL == "" || s.Timeout < 0 || (s.SessionStore != StoreFile && s.SessionStore != StoreKeyring && s.SessionStore != StoreAuto) {
			t.Fatalf("inconsistent settings: %+v", s)
		}
	})
}

// FuzzDecodeSession feeds random session files to the store: no panic; a session either
// decodes complete or is refused with a SessionError.
func FuzzDecodeSession(f *testing.F) {
	for _, s := range []string{
		`{"format":1,"apiUrl":"http://127.0.0.1:1","organization":{"id":"o"},"accessToken":"a","refreshToken":"r"}`,
		`{"accessToken":1}`,
		`null`,
		`[]`,
		``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := decodeSession("/x/default.json", data)
		if err != nil {
			var se *SessionError
			if !errors.As(err, &se) {
				t.Fatalf("a bad session file gave %T %v, want a SessionError", err, err)
			}
			return
		}
		if s.APIURL == "" || s.Organization.ID == "" || s.AccessToken == "" || s.RefreshToken == "" {
			t.Fatalf("an incomplete session decoded: %+v", s)
		}
	})
}
