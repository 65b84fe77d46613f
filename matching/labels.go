package matching

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// ReadLabels reads labelled pairs: a CSV with the columns record_id_l (or
// unique_id_l), record_id_r (or unique_id_r) and match (or
// clerical_match_score; ≥ 0.5 means a match).
func ReadLabels(path string) ([]LabelledPair, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open labels: %w", err)
	}
	defer fh.Close()
	r := csv.NewReader(fh)
	hdr, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("read labels %s: %w", path, err)
	}
	col := func(names ...string) int {
		for i, h := range hdr {
			for _, n := range names {
				if strings.EqualFold(strings.TrimSpace(h), n) {
					return i
				}
			}
		}
		return -1
	}
	a, bb, m := col("record_id_l", "unique_id_l"), col("record_id_r", "unique_id_r"), col("match", "clerical_match_score")
	if a < 0 || bb < 0 || m < 0 {
		return nil, fmt.Errorf("read labels %s: need record_id_l, record_id_r and match columns", path)
	}
	var out []LabelledPair
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read labels %s: %w", path, err)
		}
		var v float64
		if _, err := fmt.Sscan(rec[m], &v); err != nil {
			return nil, fmt.Errorf("read labels %s line %d column match: %q is not a number", path, line, rec[m])
		}
		out = append(out, LabelledPair{A: rec[a], B: rec[bb], Match: v >= 0.5})
	}
	return out, nil
}
