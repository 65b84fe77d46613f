package registry

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/dancu-vn/dancu/schemas"
)

// TestLastOutputFormats: the last output is stored compressed and
// smaller than its JSON, reads back the same, and an output stored as
// plain JSON by an earlier dancu still reads (a re-flush after an
// upgrade).
func TestLastOutputFormats(t *testing.T) {
	var want Output
	for i := 0; i < 200; i++ {
		id := PersonID(string(rune('a'+i%26)) + string(rune('0'+i%10)))
		want.Persons = append(want.Persons, schemas.Person{PersonID: id, FullName: "Nguyễn Văn An", BirthYear: 1990, RecordCount: 2})
		want.Links = append(want.Links, schemas.Link{RecordID: "f/r" + id, PersonID: id, MatchProbability: 0.99, MatchRule: "fellegi-sunter"})
	}
	js, err := json.Marshal(&want)
	if err != nil {
		t.Fatal(err)
	}
	token := make([]byte, 32)
	v := encodeLast(token, js)
	if len(v) >= len(token)+len(js)/2 {
		t.Errorf("stored output %d bytes for %d bytes of JSON, want under half", len(v)-len(token), len(js))
	}
	for name, rest := range map[string][]byte{"compressed": v[len(token):], "plain JSON": js} {
		var got Output
		if err := decodeLast(rest, &got); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: read back another output", name)
		}
	}
	if err := decodeLast(append([]byte{lastS2}, "not s2"...), new(Output)); err == nil {
		t.Error("a damaged output read without an error")
	}
}
