package synth

import (
	"math/rand"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The pools of FakeStyle: given names and surnames of today's United
// Kingdom in rough order of frequency (drawn with weight 1/(rank+12) and
// 1/(rank+14), so that the commonest name is about 3% of the people, as
// Oliver and Jones are in fake_1000), and towns with London a quarter of
// the people.
var (
	fakeFirst = strings.Fields(`Oliver Jack Harry Jacob Charlie Thomas George Oscar James William Amelia Olivia Isla
		Emily Poppy Ava Noah Alfie Joshua Muhammad Henry Leo Archie Ethan Joseph Freddie Isabella Jessica Lily Sophie
		Grace Sophia Mia Evie Ruby Samuel Alexander Logan Daniel Isaac Max Benjamin Mason Lucas Edward Ella Scarlett
		Isabelle Chloe Sienna Freya Phoebe Charlotte Daisy Alice Harrison Jake Dylan Riley Finley Theo Sebastian Adam
		Zachary Arthur Florence Eva Sofia Millie Lucy Evelyn Elsie Rosie Imogen Lola Matilda Elizabeth Toby Jayden Luke
		Harley Lewis Tyler Harvey Matthew David Reuben Layla Holly Lilly Molly Erin Ellie Maisie Maya Abigail Eliza
		Michael Elijah Kian Tommy Blake Luca Theodore Stanley Jenson Nathan Georgia Jasmine Esme Willow Bella Annabelle
		Ivy Amber Emilia Emma Charles Frankie Jude Teddy Louie Louis Ryan Hugo Bobby Elliott Summer Hannah Eleanor Harriet
		Rose Amelie Lexi Megan Gracie Zara Dexter Ollie Alex Liam Kai Gabriel Connor Aaron Frederick Lacey Martha Anna
		Violet Darcy Maria Brooke Aisha Katie Callum Elliot Albert Leon Ronnie Rory Jamie Austin Seth Ibrahim Owen Caleb
		Leah Thea Darcie Hollie Amy Mollie Heidi Lottie Bethany Francesca Ellis Sonny Robert Joey Felix Finlay Jackson
		Faith Harper Nancy Beatrice Isabel Lydia Sarah Julia Victoria Zoe Robyn Paul Mark Andrew Richard Stephen Peter
		Christopher Simon Anthony Kevin Claire Lisa Karen Michelle Nicola Rachel Rebecca Laura Gemma Kelly Jennifer
		Helen Louise Joanne Samantha Stacey Natalie Ian Gary Darren Craig Lee Wayne Neil Martin Carl Dean Reggie Ronan
		Arlo Rowan Ezra Jasper Rupert Maddison Layton Jax Jaxon Ayaan Yusuf Omar Ali Hamza Musa Zayn Ada Aria Ayla
		Nova Mila Orla Iris Hallie Penelope Elodie Maeve Delilah Eden Rosa Mabel Edith Hazel Clara Lyla Margot Ruth`)
	fakeLast = strings.Fields(`Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson
		Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner Martin
		Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips Watson Davis
		Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy
		Miller Cox Richards Khan Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb
		Rogers Gray Mason Ali Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell
		Barker Fisher Stevens Jenkins Murray Dixon Harvey Graham Pearson Ahmed Fletcher Walsh Kaur Gibson Howard Andrews
		Stewart Elliott Reynolds Saunders Payne Fox Ford Pearce Day Brooks West Lawrence Cole Atkinson Bradley Spencer
		Gill Dawson Ball Burton O'Brien Watts Rose Booth Perry Ryan Grant Wells Armstrong Francis Rees Hayes Hart
		Hudson Newman Barrett Webster Hunter Gregory Carr Lowe Page Marsh Riley Dunn Woods Parsons Berry Stone Reid
		Holland Hawkins Harding Porter Robertson Newton Oliver Reed Kennedy Williamson Bird Gardner Shah Dean Lane
		Cooke Bates Henderson Parry Burgess Bishop Walton Burns Nicholson Shepherd Ross Cross Long Freeman Warren
		Nicholls Hamilton Byrne Sutton McDonald Yates Hodgson Robson Curtis Hopkins O'Connor Harper Coleman Watkins
		Moss McCarthy Chambers O'Neill Griffin Sharp Hardy Wheeler Potter Osborne Johnston Gordon Doyle Wallace George
		Jordan Hutchinson Rowe Burke May Pritchard Gilbert Willis Higgins Read Miles Stevenson Stephenson Hammond
		Arnold Buckley Walters Hewitt Barber Nelson Slater Austin Sullivan Whitehead Mann Frost Lambert Stephens Blake
		Akhtar Lynch Goodwin Barton Woodward Thomson Cunningham Quinn Barnett Baxter Bibi Clayton Nash Greenwood Jennings
		Holt Kemp Poole Gallagher Bond Stokes Tucker Davidson Fowler Heath Norman Middleton Lawson Banks French Stanley
		Jarvis Gibbs Ferguson Hayward Carroll Douglas Dickinson Todd Barlow Peters Lucas Knowles Hartley Miah Simmons
		Morrison Benson Duncan Macdonald Payne Humphreys Kirk`)
	fakeTowns = strings.Fields(`Birmingham Liverpool Manchester Leeds Bristol Sheffield Coventry Newcastle-upon-Tyne
		Bradford Nottingham Leicester Southampton Portsmouth Plymouth Hull Stoke-on-Trent Wolverhampton Derby Swansea
		Cardiff Sunderland Reading Luton Brighton Southend-on-Sea Norwich Oxford Cambridge York Exeter Lincoln
		Bournemouth Middlesbrough Milton-Keynes Northampton Peterborough Preston Bolton Blackpool Ipswich Telford
		Huddersfield Gloucester Watford Slough Colchester Crawley Basildon Swindon Warrington Oldham Stockport Rochdale
		Wigan Salford Gateshead Doncaster Rotherham Barnsley Wakefield Halifax Blackburn Burnley Chester Worcester
		Hereford Bath Cheltenham Poole Salisbury Canterbury Maidstone Chelmsford Guildford Woking Aylesbury Bedford
		Luton Harlow Stevenage Dudley Walsall Solihull Nuneaton Mansfield Chesterfield Lancaster Carlisle Durham
		Darlington Hartlepool Scunthorpe Grimsby Edinburgh Glasgow Aberdeen Dundee Inverness Belfast Derry Newport
		Wrexham Bangor Truro Taunton Yeovil Torquay Hastings Eastbourne Margate Dover Folkestone`)
	fakeFreeMail = []string{"gmail.com", "hotmail.co.uk", "yahoo.co.uk", "outlook.com", "btinternet.com", "hotmail.com"}
	fakeTLD      = []string{"com", "com", "com", "net", "org", "info", "biz"}
	fakeNick     = map[string]string{"Oliver": "Ollie", "Thomas": "Tom", "James": "Jim", "William": "Will",
		"Joshua": "Josh", "Joseph": "Joe", "Alexander": "Alex", "Daniel": "Dan", "Samuel": "Sam", "Benjamin": "Ben",
		"Edward": "Ed", "Matthew": "Matt", "Michael": "Mike", "Nathan": "Nate", "Frederick": "Fred",
		"Theodore": "Theo", "Robert": "Rob", "Christopher": "Chris", "Elizabeth": "Liz", "Isabella": "Bella",
		"Charlotte": "Lottie", "Jessica": "Jess", "Rebecca": "Becky", "Katie": "Kate", "Abigail": "Abi",
		"Eleanor": "Ellie", "Samantha": "Sam", "Anthony": "Tony", "Richard": "Rich", "Stephen": "Steve"}
)

// zipf draws from a pool ordered by frequency with weight 1/(rank+c).
type zipf struct {
	pool []string
	cum  []float64
}

func newZipf(pool []string, c float64) *zipf {
	z := &zipf{pool: pool, cum: make([]float64, len(pool))}
	s := 0.0
	for i := range pool {
		s += 1 / (float64(i+1) + c)
		z.cum[i] = s
	}
	for i := range z.cum {
		z.cum[i] /= s
	}
	return z
}

func (z *zipf) draw(r *rand.Rand) string {
	return z.pool[sort.SearchFloat64s(z.cum, r.Float64())]
}

// scramble makes one to three random slips anywhere in s, the first
// letter included: a letter inserted, dropped, replaced, or two
// neighbours swapped. Letters come from s itself or the alphabet, as in
// fake_1000 (Pootsmruth, nleaEor, Lonon, pMurphy, evihd56@earris-bailey.net).
func scramble(r *rand.Rand, s string) string {
	rs := []rune(s)
	ops := 1
	if x := r.Float64(); x < 0.15 {
		ops = 3
	} else if x < 0.45 {
		ops = 2
	}
	for ; ops > 0 && len(rs) > 1; ops-- {
		i := r.Intn(len(rs))
		letter := rs[r.Intn(len(rs))]
		if r.Intn(3) == 0 {
			letter = rune('a' + r.Intn(26))
		}
		switch r.Intn(4) {
		case 0:
			rs = append(rs[:i], append([]rune{letter}, rs[i:]...)...)
		case 1:
			rs = append(rs[:i], rs[i+1:]...)
		case 2:
			rs[i] = letter
		default:
			if i+1 < len(rs) {
				rs[i], rs[i+1] = rs[i+1], rs[i]
			} else {
				rs[i-1], rs[i] = rs[i], rs[i-1]
			}
		}
	}
	return string(rs)
}

// FakeStyle generates records for persons people in the shape of Splink's
// public fake_1000 (unique_id, first_name, surname, dob, city, email,
// cluster), its profile measured on that file (251 people, 1,000
// records): one to seven records a person, uniformly (mean 4); given
// names, surnames and towns drawn with skewed frequencies (the commonest
// name about 3% of the people, London a quarter of them); dates of birth
// from 1970 to 2023; an email per person from its name and a domain built
// from surnames or a free mail service. Every record independently has
// first name and surname blank about 17% and 18% of the time, the town
// 19%, the email 21%, the date never; the two names entered in each
// other's column 5.5%; a typo (one to three slips anywhere, the first
// letter included) in the first name 20%, the surname 23%, the town 28%,
// the email 27%; a nickname 3%; and the date of birth moved 33% of the
// time by about a month, a year or ten years (sometimes two of these, a
// few days' jitter) or a digit of the year mistyped — the rates at which
// fake_1000's values differ from their person's commonest value.
func FakeStyle(people int, seed int64) *PeopleSet {
	r := rand.New(rand.NewSource(seed))
	firsts, lasts := newZipf(fakeFirst, 12), newZipf(fakeLast, 14)
	towns := newZipf(fakeTowns, 6)
	t := &PeopleSet{Header: []string{"unique_id", "first_name", "surname", "dob", "city", "email", "cluster"}}
	base := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	span := int(time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC).Sub(base).Hours() / 24)
	id := 0
	for p := 0; p < people; p++ {
		first, last := firsts.draw(r), lasts.draw(r)
		dob := base.AddDate(0, 0, r.Intn(span))
		city := "London"
		if r.Intn(4) != 0 {
			city = towns.draw(r)
		}
		f, l := strings.ToLower(first), strings.ToLower(last)
		nn := strconv.Itoa(r.Intn(100))
		if r.Intn(3) == 0 {
			nn = ""
		}
		var user string
		switch r.Intn(6) {
		case 0:
			user = f + "." + l + nn
		case 1:
			user = f[:1] + "." + l + nn
		case 2:
			user = f[:1] + "." + l[:1] + nn
		case 3:
			user = f + l[:1] + nn
		case 4:
			user = f[:1] + l + nn
		default:
			user = f + "." + l[:1] + nn
		}
		var domain string
		switch x := r.Intn(10); {
		case x < 5:
			domain = strings.ToLower(lasts.draw(r)) + "." + fakeTLD[r.Intn(len(fakeTLD))]
		case x < 8:
			domain = strings.ToLower(lasts.draw(r)) + "-" + strings.ToLower(lasts.draw(r)) + "." + fakeTLD[r.Intn(len(fakeTLD))]
		default:
			domain = fakeFreeMail[r.Intn(len(fakeFreeMail))]
		}
		email := strings.ReplaceAll(user+"@"+domain, "'", "")
		for k, nrec := 0, 1+r.Intn(7); k < nrec; k++ {
			hit := func(p float64) bool { return r.Float64() < p }
			fn, ln, cy, em, d := first, last, city, email, dob
			if nick, ok := fakeNick[first]; ok && hit(0.1) {
				fn = nick
			}
			if hit(0.2) {
				fn = scramble(r, fn)
			}
			if hit(0.23) {
				ln = scramble(r, ln)
			}
			if hit(0.28) {
				cy = scramble(r, cy)
			}
			if hit(0.27) {
				em = scramble(r, em)
			}
			if hit(0.09) {
				fn, ln = ln, fn
			}
			if hit(0.33) {
				d = moveDate(r, d)
			}
			ds := d.Format("2006-01-02")
			if hit(0.03) { // a digit of the year mistyped
				ds = ds[:3] + strconv.Itoa(r.Intn(10)) + ds[4:]
			}
			row := []string{strconv.Itoa(id), fn, ln, ds, cy, em, strconv.Itoa(p)}
			for c, rate := range [...]float64{1: 0.17, 2: 0.18, 4: 0.19, 5: 0.21} {
				if rate > 0 && hit(rate) {
					row[c] = ""
				}
			}
			t.Rows = append(t.Rows, row)
			id++
		}
	}
	return t
}

// moveDate moves d by about a month, a year or ten years (30, 365 or
// 3,650 days) either way, a quarter of the time by two of these, with a
// few days' jitter three times in four.
func moveDate(r *rand.Rand, d time.Time) time.Time {
	days := 0
	for n := 1 + r.Intn(4)/3; n > 0; n-- {
		days += (1 - 2*r.Intn(2)) * []int{30, 365, 3650}[r.Intn(3)]
	}
	if r.Intn(4) != 0 {
		days += r.Intn(7) - 3
	}
	return d.AddDate(0, 0, days)
}
