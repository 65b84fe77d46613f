package vn

import "testing"

// TestParseNameInAsParseName: ParseNameIn gives ParseName's name, its
// strings made in the room given (after what the room held, which stays
// as it was), for names each step of ParseName takes: joined syllables,
// a capital inside a word, a given name written first, a clan name
// written last (clanLast), combining marks, one word, nothing.
func TestParseNameInAsParseName(t *testing.T) {
	names := []string{"Nguyễn Văn An", "  TRẦN   thị  bình ", "HuỳnhHoa", "Nguyễn Thị Ngọcanh", "Nguyen Thi Thulinh",
		"An Nguyễn Văn", "Nguye\u0302\u0303n Văn An", "Hoa", "", "   ", "Lê Thị", "Phạm Thị Thu Hà", "Nguyễn V. An",
		"H' Nhi Byă", "Y Bôn Niê", "H'Hen Niê"}
	room := []byte("before")
	for _, s := range names {
		want := ParseName(s)
		got := ParseNameIn(s, &room)
		if got != want {
			t.Errorf("ParseNameIn(%q) = %+v, want %+v", s, got, want)
		}
	}
	if string(room[:6]) != "before" {
		t.Errorf("the room's first bytes were written over: %q", room[:6])
	}
	if len(room) == 6 {
		t.Errorf("no name was made in the room")
	}
}
