package synth_test

import (
	"context"
	"fmt"
	"os"

	"github.com/dancu-vn/dancu/internal/synth"
)

func ExampleGenerate() {
	dir, _ := os.MkdirTemp("", "synth")
	defer os.RemoveAll(dir)
	m, err := synth.Generate(context.Background(), synth.Config{
		Persons: 100, Seed: 1, OutDir: dir, Formats: []string{"csv", "jsonl"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Persons, m.Records > m.Persons)
	// Output: 100 true
}

func ExampleAddressSample() {
	for _, a := range synth.AddressSample(42, 2) {
		fmt.Println(len(a.CommuneCode), len(a.NewCommuneCode), a.Text != "")
	}
	// Output:
	// 5 5 true
	// 5 5 true
}
