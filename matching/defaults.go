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

//go:embed trained/*.yaml
var trainedFS embed.FS

// TrainedSettings returns the shipped trained model of an embedded
// settings document (only vietnamese has one: trained without labels by
// dancu train on dancu gen data, term frequencies frozen, see
// trained/README.md). Every score instance loads the same artefact; none
// trains on its own first batch.
func TrainedSettings(name string) (*Settings, error) {
	b, err := trainedFS.ReadFile("trained/" + name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("settings %q: no trained model embedded", name)
	}
	s, err := ParseSettings(b)
	if err != nil {
		return nil, fmt.Errorf("embedded trained settings %s: %w", name, err)
	}
	if s.Model == nil {
		return nil, fmt.Errorf("embedded trained settings %s: no model", name)
	}
	return s, nil
}

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

// DefaultSettings returns an embedded settings document by name:
// vietnamese (the default for canonical records), febrl or fake_1000.
func DefaultSettings(name string) (*Settings, error) {
	b, err := settingsFS.ReadFile("settings/" + name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("settings %q: not embedded (have %s)", name, strings.Join(SettingsNames(), ", "))
	}
	s, err := ParseSettings(b)
	if err != nil {
		return nil, fmt.Errorf("embedded settings %s: %w", name, err)
	}
	return s, nil
}

// SettingsNames lists the embedded settings.
func SettingsNames() []string {
	es, _ := settingsFS.ReadDir("settings")
	var out []string
	for _, e := range es {
		out = append(out, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(out)
	return out
}
