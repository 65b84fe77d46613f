package synth

import (
	"fmt"
	"io/fs"

	"github.com/dancu-vn/dancu/internal/refdata"
)

func fsReadFile(name string) ([]byte, error) {
	b, err := fs.ReadFile(refdata.FS(), name)
	if err != nil {
		return nil, fmt.Errorf("read reference file %s: %w", name, err)
	}
	return b, nil
}

func refdataLoad(name string) (*refdata.Table, error) { return refdata.Load(name) }
