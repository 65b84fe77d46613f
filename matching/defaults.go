package matching

import (
	"embed"
	"fmt"
	"sort"
	"strings"
)

//go:embed settings/*.yaml
var settingsFS embed.FS

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
