package coverage_test

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/dancu-vn/dancu/coverage"
)

func ExampleReport_WriteTable() {
	rep := &coverage.Report{
		Era: coverage.Old, Level: coverage.Province,
		Rows: []coverage.Row{
			{Kind: coverage.KindUnit, Code: "40", Name: "Tỉnh Nghệ An", Records: 1800, RecordsScanned: 600, Persons: 1000, PersonsWithID: 700,
				WithIDPct: 70, Population2024: 3472300, PersonsPct: 0.03},
			{Kind: coverage.KindUnresolved, Name: "(address not resolved)", Records: 2},
		},
		Total:   coverage.Row{Kind: "total", Name: "TOTAL", Records: 1802, RecordsScanned: 600, Persons: 1000, PersonsWithID: 700, WithIDPct: 70},
		Rejects: 3,
	}
	rep.WriteTable(os.Stdout, false)
	// Output:
	// code                province  records  scanned  persons  with id  with id %  cmnd only  children<6  <6 with id  conflicts open  decided  population  persons %
	//     40            Tỉnh Nghệ An     1800      600     1000      700      70.00          0           0           0               0        0     3472300       0.03
	//         (address not resolved)        2        0        0        0                     0           0           0               0        0
	//                          TOTAL     1802      600     1000      700      70.00          0           0           0               0        0
	// rejected rows: 3
}

func ExampleRenderMap() {
	var buf bytes.Buffer
	err := coverage.RenderMap(&buf, coverage.New, map[string]float64{"40": 72.5}, coverage.MapOptions{Max: 100})
	fmt.Println(err, strings.Count(buf.String(), "<path "), strings.Contains(buf.String(), `id="p-40" data-code="40" data-name="Tỉnh Nghệ An" data-value="72.50"`))
	// Output: <nil> 34 true
}
