package vietnamese

import (
	_ "embed"
	"fmt"

	"github.com/dancu-vn/dancu/matching/settings"
)

// settingsYAML is the Vietnamese settings document: columns derived by
// the Adapter, blocking rules, comparisons, guards and thresholds.
//
//go:embed settings.yaml
var settingsYAML []byte

// trainedYAML is the same settings with the model trained without labels
// by dancu train on dancu gen data (see TRAINING.md).
//
//go:embed trained.yaml
var trainedYAML []byte

// Settings returns the Vietnamese settings without a model: dancu link
// trains one on its input when given no other settings.
func Settings() (*settings.Settings, error) {
	s, err := settings.Parse(settingsYAML)
	if err != nil {
		return nil, fmt.Errorf("embedded settings vietnamese: %w", err)
	}
	return s, nil
}

// Trained returns the shipped trained model: the Vietnamese settings with
// m, u and λ trained without labels and term frequencies frozen (see
// TRAINING.md). Every score instance loads the same artefact; none trains
// on its own first batch.
func Trained() (*settings.Settings, error) {
	s, err := settings.Parse(trainedYAML)
	if err != nil {
		return nil, fmt.Errorf("embedded trained settings vietnamese: %w", err)
	}
	if s.Model == nil {
		return nil, fmt.Errorf("embedded trained settings vietnamese: no model")
	}
	return s, nil
}
