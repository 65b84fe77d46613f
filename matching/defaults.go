package matching

import (
	"crypto/sha256"
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

//go:embed settings/*.yaml
var settingsFS embed.FS

// ModelVersion names the content of s's model: settings name, settings
// version and a hash of the model (m, u, λ, term frequencies).
func ModelVersion(s *Settings) string {
	if s.Model == nil {
		return ""
	}
	m := *s.Model
	m.Version = ""
	b, _ := json.Marshal(m)
	h := sha256.Sum256(b)
	return fmt.Sprintf("%s-v%d-%x", s.Name, s.withDefaults().Version, h[:6])
}

// DefaultSettings returns an embedded settings document by name: febrl or
// fake_1000, the settings of the public benchmarks, which mapping files
// name (settings: febrl). The Vietnamese settings are package
// matching/vietnamese's, beside the adapter whose fields they read.
func DefaultSettings(name string) (*Settings, error) {
	b, err := settingsFS.ReadFile("settings/" + name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("settings %q: not embedded (have %s)", name, strings.Join(settingsNames(), ", "))
	}
	s, err := ParseSettings(b)
	if err != nil {
		return nil, fmt.Errorf("embedded settings %s: %w", name, err)
	}
	return s, nil
}

// SettingsNames lists the embedded settings.
func settingsNames() []string {
	es, _ := settingsFS.ReadDir("settings")
	var out []string
	for _, e := range es {
		out = append(out, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(out)
	return out
}
