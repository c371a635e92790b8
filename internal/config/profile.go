package config

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/k2geospatial/apikeys/internal/l10n"
)

// profileLockWait bounds the wait for another process writing the configuration file.
const profileLockWait = 10 * time.Second

// SaveProfile sets keys (such as "api-url" and "org") of profile in the configuration file
// at path, creating the file (mode 0600) and its directory (0700) when missing. The rest of
// the file, comments included, is kept: the file is edited as a YAML tree, not re-rendered
// from settings. A file that is not valid YAML is a *FileError and is left untouched.
// Concurrent writers are serialised by a lock file beside it, and the file is replaced
// atomically, keeping its permissions.
func SaveProfile(ctx context.Context, path, profile string, keys map[string]string) error {
	if len(keys) == 0 {
		return nil
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return l10n.Errorf("creating %s: %w", dir, err)
	}
	if err := checkConfigPaths(path); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, profileLockWait)
	defer cancel()
	unlock, err := lockFile(ctx, path+".lock")
	if err != nil {
		return err
	}
	defer unlock()

	perm := os.FileMode(0o600)
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		data = nil
	case err != nil:
		return &FileError{Path: path, Err: err}
	default:
		if info, err := os.Stat(path); err == nil {
			perm = info.Mode().Perm()
		}
	}
	out, err := setProfileKeys(data, profile, keys)
	if err != nil {
		return &FileError{Path: path, Err: err}
	}
	if bytes.Equal(out, data) {
		return nil
	}
	if err := WriteFileAtomic(path, out, perm); err != nil {
		return l10n.Errorf("saving the profile %q in %s: %w", profile, path, err)
	}
	return nil
}

// setProfileKeys returns the YAML document data with profiles.<profile>.<key> set to each
// value. Profile names match case-insensitively, as viper reads them.
func setProfileKeys(data []byte, profile string, keys map[string]string) ([]byte, error) {
	var doc yaml.Node
	if len(bytes.TrimSpace(data)) > 0 {
		if err := yaml.Unmarshal(data, &doc); err != nil {
			return nil, err
		}
	}
	if doc.Kind == 0 {
		doc = yaml.Node{Kind: yaml.DocumentNode}
	}
	if doc.Kind != yaml.DocumentNode {
		return nil, l10n.Errorf("not a YAML document")
	}
	if len(doc.Content) == 0 {
		doc.Content = []*yaml.Node{{Kind: yaml.MappingNode}}
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, l10n.Errorf("the top level is not a mapping of settings")
	}
	profiles, err := mappingChild(root, "profiles", false)
	if err != nil {
		return nil, err
	}
	entry, err := mappingChild(profiles, profile, true)
	if err != nil {
		return nil, l10n.Errorf("profiles: %w", err)
	}
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		setScalar(entry, k, keys[k])
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// mappingChild returns the mapping under key in m, creating it when missing or null.
func mappingChild(m *yaml.Node, key string, foldCase bool) (*yaml.Node, error) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i].Value
		if k == key || (foldCase && strings.EqualFold(k, key)) {
			v := m.Content[i+1]
			if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
				*v = yaml.Node{Kind: yaml.MappingNode}
			}
			if v.Kind != yaml.MappingNode {
				return nil, l10n.Errorf("%q is not a mapping", k)
			}
			return v, nil
		}
	}
	v := &yaml.Node{Kind: yaml.MappingNode}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, v)
	return v, nil
}

// setScalar sets key to the string value in mapping m, keeping the key's comments.
func setScalar(m *yaml.Node, key, value string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			old := m.Content[i+1]
			m.Content[i+1] = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value,
				HeadComment: old.HeadComment, LineComment: old.LineComment, FootComment: old.FootComment}
			return
		}
	}
	m.Content = append(m.Content,
		&yaml.Node{Kind: yaml.ScalarNode, Value: key},
		&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value})
}
