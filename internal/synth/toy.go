package synth

import (
	"fmt"
	"math/rand"
)

// ToySettings is the settings document of the toy population: four
// fields compared, blocking on the last name and on the date of birth,
// guards on a code and the year span.
const ToySettings = `
version: 1
name: toy
columns:
  - {name: first, transforms: [lower]}
  - {name: last, transforms: [lower]}
  - {name: dob, kind: date}
  - {name: city, transforms: [lower]}
  - {name: nid, kind: code}
blocking:
  - {name: last, keys: [last]}
  - {name: dob, keys: [dob]}
comparisons:
  - name: first
    null_columns: [first]
    levels:
      - {label: exact, op: exact, column: first, tf: first}
      - {label: jw, op: jw, column: first, threshold: 0.88}
  - name: last
    null_columns: [last]
    levels:
      - {label: exact, op: exact, column: last}
      - {label: jw, op: jw, column: last, threshold: 0.88}
  - name: dob
    null_columns: [dob]
    levels:
      - {label: exact, op: date_exact, column: dob}
      - {label: year, op: date_year, column: dob}
  - name: city
    null_columns: [city]
    levels:
      - {label: exact, op: exact, column: city}
guards:
  - {kind: distinct, column: nid}
  - {kind: year_span, column: dob, max: 2}
`

// ToyFirsts, ToyLasts and ToyCities are the toy population's values.
var ToyFirsts = []string{"anna", "bui", "cuong", "dung", "em", "phuong", "giang", "hoa", "khanh", "lan", "minh", "nam", "oanh", "quang", "son", "tuan", "uyen", "vinh", "xuan", "yen"}
var ToyLasts = []string{"nguyen", "tran", "le", "pham", "hoang", "phan", "vu", "dang", "bui", "do", "ho", "ngo", "duong", "ly", "ksor", "mai", "trinh", "dinh", "lam", "ta", "quach", "luong", "kieu", "ha"}
var ToyCities = []string{"ha noi", "hue", "da nang", "can tho", "vinh", "hai phong"}

// ToyRows makes the toy population of the engine's tests: n entities with
// 1–3 noisy copies each (a letter pair transposed in the names, the city
// sometimes blank). truth maps row id to entity. The same seed gives the
// same rows.
func ToyRows(n int, seed int64) (rows []map[string]string, ids []string, truth map[string]string) {
	rng := rand.New(rand.NewSource(seed))
	truth = map[string]string{}
	typo := func(s string) string {
		if len(s) < 3 || rng.Float64() > 0.3 {
			return s
		}
		i := 1 + rng.Intn(len(s)-2)
		return s[:i] + s[i+1:i+2] + s[i:i+1] + s[i+2:]
	}
	for e := 0; e < n; e++ {
		base := map[string]string{
			"first": ToyFirsts[rng.Intn(len(ToyFirsts))], "last": ToyLasts[rng.Intn(len(ToyLasts))],
			"dob":  fmt.Sprintf("%04d-%02d-%02d", 1940+rng.Intn(70), 1+rng.Intn(12), 1+rng.Intn(28)),
			"city": ToyCities[rng.Intn(len(ToyCities))],
		}
		copies := 1 + rng.Intn(3)
		for c := 0; c < copies; c++ {
			r := map[string]string{}
			for k, v := range base {
				r[k] = v
			}
			r["first"], r["last"] = typo(r["first"]), typo(r["last"])
			if rng.Float64() < 0.1 {
				r["city"] = ""
			}
			id := fmt.Sprintf("e%d-%d", e, c)
			rows = append(rows, r)
			ids = append(ids, id)
			truth[id] = fmt.Sprint(e)
		}
	}
	return rows, ids, truth
}
