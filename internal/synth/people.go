package synth

import (
	"fmt"
	"math/rand"
	"strconv"
)

// PeopleSet is a generated dedupe set in the shape of a public benchmark
// (not Vietnamese): a header and rows, the true person in the last
// column ("cluster"). Such sets are for measuring the generic matching
// engine with settings written from its documentation; they are never
// read while writing those settings.
type PeopleSet struct {
	Header []string
	Rows   [][]string
}

var (
	westFirst = []string{"James", "John", "Robert", "Michael", "William", "David", "Richard", "Joseph", "Thomas", "Charles",
		"Mary", "Elizabeth", "Margaret", "Anne", "Catherine", "Jane", "Sarah", "Ellen", "Alice", "Emily",
		"George", "Henry", "Edward", "Arthur", "Frederick", "Albert", "Alfred", "Walter", "Harold", "Ernest",
		"Johann", "Friedrich", "Karl", "Heinrich", "Wilhelm", "Ludwig", "Otto", "Hermann", "Franz", "Ernst",
		"Jean", "Pierre", "Louis", "Jacques", "François", "Marie", "Jeanne", "Louise", "Marguerite", "Madeleine",
		"Giovanni", "Giuseppe", "Antonio", "Francesco", "Carlo", "Maria", "Anna", "Giulia", "Rosa", "Teresa",
		"Isaac", "Samuel", "Benjamin", "Daniel", "Nathaniel", "Matthew", "Andrew", "Peter", "Paul", "Stephen",
		"Hugh", "Ralph", "Roger", "Simon", "Philip", "Francis", "Anthony", "Christopher", "Nicholas", "Martin",
		"Isabella", "Charlotte", "Caroline", "Harriet", "Florence", "Agnes", "Edith", "Dorothy", "Frances", "Ada",
		"Augustus", "Horace", "Cecil", "Percy", "Herbert", "Reginald", "Lionel", "Rupert", "Gilbert", "Edmund",
		"Hans", "Gustav", "Max", "Paul", "Fritz", "Emil", "Oskar", "Kurt", "Georg", "August",
		"Victor", "Henri", "Émile", "Charles", "Auguste", "Claude", "André", "Paul", "Marcel", "René"}
	westLast = []string{"Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
		"Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall",
		"Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill",
		"Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen",
		"James", "Scott", "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young", "Griffiths",
		"Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy",
		"Miller", "Cox", "Richards", "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh",
		"Begum", "Wilkinson", "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali",
		"Hunt", "Hussain", "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight",
		"Lloyd", "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey",
		"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
		"Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun",
		"Martin", "Bernard", "Dubois", "Durand", "Lefebvre", "Leroy", "Moreau", "Simon", "Laurent", "Michel",
		"Garnier", "Faure", "Rousseau", "Blanc", "Guerin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin",
		"Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
		"Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi", "Moretti",
		"Ashworth", "Blackwood", "Cartwright", "Fairfax", "Greenwood", "Hawthorne", "Lockwood", "Montague", "Pemberton", "Whitmore",
		"Abernathy", "Beaumont", "Chamberlain", "Devereux", "Fitzgerald", "Gainsborough", "Hargreaves", "Kingsley", "Livingstone", "Wentworth"}
	placesPostcode = []struct{ place, area string }{{"London", "SW"}, {"London", "E"}, {"London", "N"}, {"London", "W"},
		{"Manchester", "M"}, {"Liverpool", "L"}, {"Birmingham", "B"}, {"Leeds", "LS"}, {"Sheffield", "S"}, {"Bristol", "BS"},
		{"Edinburgh", "EH"}, {"Glasgow", "G"}, {"Cardiff", "CF"}, {"Belfast", "BT"}, {"Newcastle upon Tyne", "NE"},
		{"Nottingham", "NG"}, {"Leicester", "LE"}, {"Oxford", "OX"}, {"Cambridge", "CB"}, {"York", "YO"}, {"Bath", "BA"},
		{"Norwich", "NR"}, {"Exeter", "EX"}, {"Plymouth", "PL"}, {"Southampton", "SO"}, {"Brighton", "BN"},
		{"Canterbury", "CT"}, {"Aberdeen", "AB"}, {"Dundee", "DD"}, {"Swansea", "SA"}, {"Hull", "HU"}, {"Derby", "DE"},
		{"Coventry", "CV"}, {"Stoke-on-Trent", "ST"}, {"Wolverhampton", "WV"}, {"Preston", "PR"}, {"Bolton", "BL"},
		{"Sunderland", "SR"}, {"Ipswich", "IP"}, {"Lincoln", "LN"}}
	occupations = []string{"politician", "painter", "writer", "poet", "composer", "actor", "physician", "lawyer",
		"priest", "soldier", "military officer", "engineer", "architect", "mathematician", "physicist", "chemist",
		"botanist", "historian", "philosopher", "journalist", "banker", "merchant", "diplomat", "judge", "sculptor",
		"musician", "singer", "teacher", "university teacher", "surgeon", "naval officer", "explorer", "novelist",
		"playwright", "economist", "clergyman", "civil servant", "cricketer", "footballer", "rower"}
	nicknames = map[string]string{"William": "Will", "Robert": "Rob", "Richard": "Dick", "Thomas": "Tom", "Charles": "Charlie",
		"Margaret": "Maggie", "Elizabeth": "Eliza", "Catherine": "Kate", "Frederick": "Fred", "Albert": "Bert",
		"Alfred": "Alf", "Edward": "Ted", "Henry": "Harry", "James": "Jim", "John": "Jack", "Joseph": "Joe",
		"Benjamin": "Ben", "Samuel": "Sam", "Nicholas": "Nick", "Christopher": "Chris", "Anthony": "Tony"}
)

// KeyboardSlip makes one keyboard slip in s, drawn with r: two
// neighbouring letters transposed, a letter dropped, doubled or replaced
// by one of letters (never the first letter). A word of fewer than
// minRunes letters (at least 3) is left as it is. Historical and the
// matching tests' held-out generators share it.
func KeyboardSlip(r *rand.Rand, s string, minRunes int, letters string) string {
	rs := []rune(s)
	if len(rs) < max(minRunes, 3) {
		return s
	}
	i := 1 + r.Intn(len(rs)-2)
	switch r.Intn(4) {
	case 0:
		rs[i], rs[i+1] = rs[i+1], rs[i]
	case 1:
		rs = append(rs[:i], rs[i+1:]...)
	case 2:
		rs = append(rs[:i+1], rs[i:]...)
	default:
		rs[i] = rune(letters[r.Intn(len(letters))])
	}
	return string(rs)
}

// typoIn is Historical's keyboard slip.
func typoIn(r *rand.Rand, s string) string { return KeyboardSlip(r, s, 3, "aeiounrstlh") }

// Historical generates n records of historical persons in the shape of a
// public "historical persons" benchmark: first_name, surname, dob
// (YYYY-MM-DD, sometimes the year only), birth_place, postcode,
// occupation. A share dupRate of the records are copies of another
// person's record with one to three errors: typos in a name or the
// place, first name and surname swapped, a nickname or an initial for
// the first name, the date blank, known to the year only, a year off or
// day and month swapped, the place or postcode blank or another postcode
// of the place, the occupation blank or another one (people have
// several). Truth is the cluster column.
func Historical(n int, dupRate float64, seed int64) *PeopleSet {
	r := rand.New(rand.NewSource(seed))
	t := &PeopleSet{Header: []string{"id", "first_name", "surname", "dob", "birth_place", "postcode", "occupation", "cluster"}}
	postcode := func(area string) string {
		return fmt.Sprintf("%s%d %d%c%c", area, 1+r.Intn(20), r.Intn(10), 'A'+rune(r.Intn(26)), 'A'+rune(r.Intn(26)))
	}
	var people [][]string
	nOrig := int(float64(n) * (1 - dupRate))
	for i := 0; i < nOrig; i++ {
		p := placesPostcode[r.Intn(len(placesPostcode))]
		y, m, d := 1600+r.Intn(340), 1+r.Intn(12), 1+r.Intn(28)
		dob := fmt.Sprintf("%04d-%02d-%02d", y, m, d)
		if r.Intn(10) == 0 {
			dob = strconv.Itoa(y)
		}
		row := []string{fmt.Sprintf("h%d", i), westFirst[r.Intn(len(westFirst))], westLast[r.Intn(len(westLast))], dob,
			p.place, postcode(p.area), occupations[r.Intn(len(occupations))], strconv.Itoa(i)}
		if r.Intn(20) == 0 {
			row[3] = ""
		}
		people = append(people, row)
		t.Rows = append(t.Rows, row)
	}
	for i := nOrig; i < n; i++ {
		src := people[r.Intn(len(people))]
		row := append([]string(nil), src...)
		row[0] = fmt.Sprintf("h%d", i)
		for e := 1 + r.Intn(3); e > 0; e-- {
			switch r.Intn(12) {
			case 0:
				row[1] = typoIn(r, row[1])
			case 1:
				row[2] = typoIn(r, row[2])
			case 2:
				row[1], row[2] = row[2], row[1]
			case 3:
				if nick, ok := nicknames[row[1]]; ok && r.Intn(2) == 0 {
					row[1] = nick
				} else if row[1] != "" {
					row[1] = string([]rune(row[1])[:1]) + "."
				}
			case 4:
				row[3] = ""
			case 5:
				if len(row[3]) >= 4 {
					row[3] = row[3][:4]
				}
			case 6:
				if y, err := strconv.Atoi(row[3][:min(4, len(row[3]))]); err == nil {
					row[3] = strconv.Itoa(y+1-2*r.Intn(2)) + row[3][min(4, len(row[3])):]
				}
			case 7:
				if len(row[3]) == 10 && row[3][8:] <= "12" {
					row[3] = row[3][:5] + row[3][8:] + "-" + row[3][5:7]
				}
			case 8:
				row[4+r.Intn(2)] = ""
			case 9:
				for _, p := range placesPostcode {
					if p.place == row[4] {
						row[5] = postcode(p.area)
						break
					}
				}
			case 10:
				row[4] = typoIn(r, row[4])
			default:
				if r.Intn(2) == 0 {
					row[6] = ""
				} else {
					row[6] = occupations[r.Intn(len(occupations))]
				}
			}
		}
		t.Rows = append(t.Rows, row)
	}
	r.Shuffle(len(t.Rows), func(i, j int) { t.Rows[i], t.Rows[j] = t.Rows[j], t.Rows[i] })
	return t
}
