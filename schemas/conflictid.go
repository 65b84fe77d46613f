package schemas

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"
)

// ConflictKey is what a conflict's id is made of: its kind, the numbers
// and the persons involved — not its records, so that a new record of the
// same persons re-emits the same conflict (which keeps the status the
// review desk gave it), and only new evidence (another person, another
// number) raises a new one.
func ConflictKey(kind, numbers string, persons []string) string {
	nums := strings.Split(numbers, ";")
	sort.Strings(nums)
	ps := append([]string(nil), persons...)
	sort.Strings(ps)
	return kind + "\x00" + strings.Join(nums, ";") + "\x00" + strings.Join(ps, ";")
}

// ConflictID is the id of the conflict ConflictKey describes (Conflict.ConflictID).
func ConflictID(kind, numbers string, persons []string) string {
	h := sha256.Sum256([]byte(ConflictKey(kind, numbers, persons)))
	return "c" + hex.EncodeToString(h[:12])
}
