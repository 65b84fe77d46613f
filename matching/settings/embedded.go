package settings

import (
	"crypto/sha256"
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

//go:embed *.yaml
var files embed.FS

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

// Default returns an embedded settings document by name: febrl or
// fake_1000, the settings of the public benchmarks, which mapping files
// name (settings: febrl). The Vietnamese settings are package
// matching/vietnamese's, beside the adapter whose fields they read.
func Default(name string) (*Settings, error) {
	b, err := files.ReadFile(name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("settings %q: not embedded (have %s)", name, strings.Join(names(), ", "))
	}
	s, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("embedded settings %s: %w", name, err)
	}
	return s, nil
}

// names lists the embedded settings.
func names() []string {
	es, _ := files.ReadDir(".")
	var out []string
	for _, e := range es {
		out = append(out, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(out)
	return out
}
