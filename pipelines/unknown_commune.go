package pipelines

import (
	"cmp"
	"slices"
	"strings"
	"sync"

	"github.com/dancu-vn/dancu/address"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/vn"
)

// UnknownCommune is a commune a file's addresses name by its type word
// ("Xã Thạch Bằng") that no list of the gazetteer holds
// (address.UnknownCommune): most often one merged before February 2021,
// the earliest list dancu has, which nothing maps to its successor. Its
// records keep the codes of the units above it the text gives (district,
// province), none of a commune: coverage counts them in the district.
type UnknownCommune struct {
	Commune string   `json:"commune"`          // the commune's part of the address, as written
	Within  string   `json:"within,omitempty"` // the units it was read in: "Huyện Lộc Hà, Tỉnh Hà Tĩnh"
	Column  string   `json:"column"`           // perm_address or cur_address
	Sheet   string   `json:"sheet,omitempty"`
	Rows    []uint32 `json:"rows"`  // up to MaxUnknownCommuneRows of the rows naming it
	Count   int      `json:"count"` // how many records name it
}

// MaxUnknownCommuneRows bounds UnknownCommune.Rows.
const MaxUnknownCommuneRows = 10

// CommuneCheck collects the unknown communes of a file's records (Check,
// safe for concurrent use: the import's publishing goroutines call it).
// Each distinct address text is looked at once.
type CommuneCheck struct {
	mu     sync.Mutex
	byText map[string]string // address text (and era) → the unknown commune's part, "" none
	within map[string]string
	found  map[[4]string]*UnknownCommune
}

// Check looks at r's addresses whose commune has no code (all of them,
// before ResolveAddresses fills the codes: a dry run) and counts each
// that names an unknown commune.
func (c *CommuneCheck) Check(r *schemas.Record) {
	c.check(r, "perm_address", r.PermAddress, r.PermCommuneCode, r.PermNewCommuneCode)
	if r.CurAddress != r.PermAddress {
		c.check(r, "cur_address", r.CurAddress, r.CurCommuneCode, r.CurNewCommuneCode)
	}
}

func (c *CommuneCheck) check(r *schemas.Record, column, text, oldCode, newCode string) {
	if text == "" || oldCode != "" && newCode != "" {
		return
	}
	post := !r.SourceDate.IsZero() && !r.SourceDate.Before(address.ReformDate)
	key := text
	if post {
		key = "\x00" + text
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	name, seen := c.byText[key]
	if !seen {
		if c.byText == nil {
			c.byText, c.within, c.found = map[string]string{}, map[string]string{}, map[[4]string]*UnknownCommune{}
		}
		n, res, ok := address.UnknownCommune(text, r.SourceDate)
		if ok {
			name = n
			var units []string
			for _, u := range []address.Unit{res.District, res.Province} {
				if !u.IsZero() {
					units = append(units, u.Name)
				}
			}
			if len(units) == 0 && !res.NewProvince.IsZero() {
				units = append(units, res.NewProvince.Name)
			}
			c.within[key] = strings.Join(units, ", ")
		}
		c.byText[key] = name
	}
	if name == "" {
		return
	}
	within := c.within[key]
	k := [4]string{r.Sheet, column, vn.Fold(name), within}
	u := c.found[k]
	if u == nil {
		u = &UnknownCommune{Commune: name, Within: within, Column: column, Sheet: r.Sheet}
		c.found[k] = u
	}
	u.Count++
	if len(u.Rows) < MaxUnknownCommuneRows {
		u.Rows = append(u.Rows, r.Row)
	}
}

// Found returns the unknown communes counted, by sheet and first row.
func (c *CommuneCheck) Found() []UnknownCommune {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]UnknownCommune, 0, len(c.found))
	for _, u := range c.found {
		x := *u
		x.Rows = slices.Clone(u.Rows)
		slices.Sort(x.Rows)
		out = append(out, x)
	}
	slices.SortFunc(out, func(a, b UnknownCommune) int {
		return cmp.Or(cmp.Compare(a.Sheet, b.Sheet), cmp.Compare(a.Rows[0], b.Rows[0]), cmp.Compare(a.Column, b.Column))
	})
	return out
}
