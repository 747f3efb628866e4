package demo

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/paulmach/orb"

	"parktwin/twin"
)

// industry is one of the zone's industries (domain.md §8): how often it
// occurs, what its companies are called, which farms they keep and which
// hazardous processes they run.
type industry struct {
	name      string
	words     []string // in a company's name: 上虞澄泽<word>有限公司
	weight    int
	farms     [numFarmKinds]int // weights of the farm kinds
	processes []twin.Process
}

var industries = []industry{
	{name: "精细化工", words: []string{"化工", "精细化工", "化学"}, weight: 20,
		farms:     [numFarmKinds]int{classA: 8, classB: 5, classC: 2, acidBase: 4, chlorine: 3, ammonia: 2, liquefied: 1},
		processes: []twin.Process{twin.Chlorination, twin.Nitration, twin.Hydrogenation, twin.Oxidation, twin.Sulfonation, twin.Amination}},
	{name: "染料及中间体", words: []string{"染料化工", "染化", "化工"}, weight: 16,
		farms:     [numFarmKinds]int{classA: 2, classB: 4, classC: 5, acidBase: 6, chlorine: 3, ammonia: 2},
		processes: []twin.Process{twin.Nitration, twin.Diazotization, twin.Sulfonation, twin.Chlorination, twin.Hydrogenation, twin.Azo}},
	{name: "医药及中间体", words: []string{"药业", "医药化工", "制药"}, weight: 16,
		farms:     [numFarmKinds]int{classA: 9, classB: 4, classC: 1, acidBase: 2, chlorine: 1, ammonia: 2, toxicGas: 1},
		processes: []twin.Process{twin.Hydrogenation, twin.Oxidation, twin.Chlorination, twin.Amination, twin.Fluorination, twin.Diazotization}},
	{name: "颜料", words: []string{"颜料", "色素"}, weight: 8,
		farms:     [numFarmKinds]int{classA: 1, classB: 3, classC: 4, acidBase: 5, chlorine: 2},
		processes: []twin.Process{twin.Diazotization, twin.Azo, twin.Chlorination, twin.Sulfonation, twin.Oxidation}},
	{name: "高分子材料", words: []string{"新材料", "高分子材料"}, weight: 8,
		farms:     [numFarmKinds]int{classA: 4, classB: 4, acidBase: 1, liquefied: 5},
		processes: []twin.Process{twin.Polymerization, twin.Oxidation}},
	{name: "无机化工", words: []string{"化学", "化工"}, weight: 6,
		farms:     [numFarmKinds]int{acidBase: 8, chlorine: 3, ammonia: 3, toxicGas: 2},
		processes: []twin.Process{twin.Electrolysis, twin.Oxidation}},
	{name: "生物化工", words: []string{"生物科技", "生物化工"}, weight: 6,
		farms:     [numFarmKinds]int{classA: 5, acidBase: 4, ammonia: 1},
		processes: []twin.Process{twin.Oxidation}},
	{name: "纺织印染助剂", words: []string{"助剂", "纺织化学"}, weight: 6,
		farms:     [numFarmKinds]int{classA: 3, classB: 3, classC: 2, acidBase: 4, liquefied: 1},
		processes: []twin.Process{twin.Polymerization, twin.Sulfonation}},
	{name: "危险化学品仓储", words: []string{"石化仓储", "化工物流"}, weight: 4,
		farms: [numFarmKinds]int{classA: 5, classB: 2, liquefied: 2, bulk: 6}},
}

// Syllables of invented trade names, chosen to be unlike the zone's real
// companies.
var (
	tradeFirst  = []rune("澄沁瀚睿骏岚璟昱翔泓锦钧鼎弘湛煜溢臻铭朗禾晟嘉宏")
	tradeSecond = []rune("泽川源晖元泰诺达盈恒禧润辰骐航峰澜拓熙岳")
)

// ent is an enterprise while the park is built.
type ent struct {
	ent   *twin.Enterprise
	num   int
	short string // trade name and industry word, for labels
	ind   *industry
	cell  *cell
	farms []*farm
	pool  *twin.SewagePool
	store *twin.WasteStore

	us     float64 // the spine's u in the cell
	front  float64 // depth of the front yard, by the gate
	arFoam bool    // stores water-soluble flammables, which need AR foam

	// What placeEnterprise leaves free, for a farm added once the park is
	// built (drillfarm.go): the side of the spine that holds no farm (its
	// span of u; zero when both sides hold one), the farm zone's span of
	// v, and where the first farm's link leaves the spine.
	spare, zone [2]float64
	firstLink   float64
}

func (e *ent) tankIDs() []string {
	var ids []string
	for _, f := range e.farms {
		for _, t := range f.tanks {
			ids = append(ids, t.ID)
		}
	}
	return ids
}

func (e *ent) tankCount() int {
	n := 0
	for _, f := range e.farms {
		n += f.n
	}
	return n
}

// planEnterprises chooses the enterprises' cells, names and industries,
// and their farms: the counts of enterprises, farms and tanks are exact
// multiples of the scale, shared out at random.
func (g *gen) planEnterprises() {
	var free []*cell
	for _, c := range g.cells {
		if !c.taken {
			free = append(free, c)
		}
	}
	n := enterprisesPerUnit * g.scale
	if len(free) < n {
		panic(fmt.Sprintf("demo: %d free parcels for %d enterprises", len(free), n))
	}
	picked := g.r.Perm(len(free))[:n]
	slices.Sort(picked) // number the enterprises across the park in grid order
	weights := make([]int, len(industries))
	for i, ind := range industries {
		weights[i] = ind.weight
	}
	for i, p := range picked {
		c := free[p]
		c.taken = true
		ind := &industries[g.weighted(weights)]
		e := &ent{num: i + 1, ind: ind, cell: c}
		e.ent = &twin.Enterprise{
			ID:         fmt.Sprintf("ENT-%04d", e.num),
			Name:       g.companyName(e),
			CreditCode: g.creditCode(),
			Grade:      twin.Grade(1 + g.weighted([]int{2, 4, 3, 1})),
			Industry:   ind.name,
			DutyPhone:  g.phone(),
		}
		e.farms = []*farm{{}}
		g.ents = append(g.ents, e)
	}

	// One farm each, the rest shared out, at most three to an enterprise.
	for range (farmsPerUnit - enterprisesPerUnit) * g.scale {
		for {
			e := g.ents[g.r.IntN(len(g.ents))]
			if len(e.farms) < 3 {
				e.farms = append(e.farms, &farm{})
				break
			}
		}
	}
	var farms []*farm
	for _, e := range g.ents {
		g.planFarms(e)
		farms = append(farms, e.farms...)
	}

	// Two tanks a farm, the rest shared out up to each kind's maximum.
	open := make([]*farm, 0, len(farms))
	for _, f := range farms {
		f.n = 2
		open = append(open, f)
	}
	for range tanksPerUnit*g.scale - 2*len(farms) {
		if len(open) == 0 {
			panic("demo: the farms cannot hold the tanks")
		}
		i := g.r.IntN(len(open))
		f := open[i]
		f.n++
		if f.n == farmKinds[f.kind].maxTanks {
			open = slices.Delete(open, i, i+1)
		}
	}

	for _, e := range g.ents {
		e.ent.Processes = g.processes(e)
		e.ent.PeopleOnShift = 8 + 2*e.tankCount() + g.r.IntN(40)
	}
}

// planFarms chooses the kind of each of an enterprise's farms from its
// industry, never two of a single-chemical kind, and names them.
func (g *gen) planFarms(e *ent) {
	seen := [numFarmKinds]int{}
	for _, f := range e.farms {
		k := farmKind(g.weighted(e.ind.farms[:]))
		for try := 0; seen[k] > 0 && farmKinds[k].single; try++ {
			k = farmKind(g.weighted(e.ind.farms[:]))
			if try == 10 {
				k = acidBase // every industry can keep acids
			}
		}
		seen[k]++
		f.kind = k
		g.planFarm(f)
		info := farmKinds[k]
		if info.single {
			f.name = tankLabel(f.chems[0]) + info.name
		} else {
			f.name = info.name + string(rune('A'+seen[k]-1))
		}
		for _, c := range f.chems {
			if c.WaterSoluble && c.FlashPointC != nil {
				e.arFoam = true
			}
		}
	}
}

// processes returns the enterprise's hazardous processes: those its
// chemicals imply (chlorine for chlorination, nitric acid for nitration…)
// and one or two of its industry's, in order.
func (g *gen) processes(e *ent) []twin.Process {
	ps := []twin.Process{} // written as [], not null, when there are none
	for _, f := range e.farms {
		for _, c := range f.chems {
			switch c.CAS {
			case "7782-50-5":
				ps = append(ps, twin.Chlorination)
			case "7697-37-2":
				ps = append(ps, twin.Nitration)
			case "7664-41-7":
				ps = append(ps, twin.Amination)
			case "7664-39-3":
				ps = append(ps, twin.Fluorination)
			case "106-99-0", "75-01-4":
				ps = append(ps, twin.Polymerization)
			}
		}
	}
	if len(e.ind.processes) > 0 {
		k := min(len(e.ind.processes), 1+g.r.IntN(2))
		for _, i := range g.r.Perm(len(e.ind.processes))[:k] {
			ps = append(ps, e.ind.processes[i])
		}
	}
	slices.Sort(ps)
	return slices.Compact(ps)
}

// companyName invents a company name in the zone's style.
func (g *gen) companyName(e *ent) string {
	return g.unique(func() string {
		trade := string(tradeFirst[g.r.IntN(len(tradeFirst))]) + string(tradeSecond[g.r.IntN(len(tradeSecond))])
		e.short = trade + e.ind.words[g.r.IntN(len(e.ind.words))]
		prefix := []string{"上虞", "浙江", "绍兴上虞"}[g.weighted([]int{6, 3, 1})]
		suffix := "有限公司"
		if g.chance(0.2) {
			suffix = "股份有限公司"
		}
		return prefix + e.short + suffix
	})
}

// creditCode invents a unified social credit code (GB 32100) of an
// enterprise legal person registered in Shangyu: 9 1 330604, then an
// organisation code with its GB 11714 check character, then the code's
// own check character.
func (g *gen) creditCode() string {
	const chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	return g.unique(func() string {
		var b strings.Builder
		b.WriteString("MA2")
		for range 5 {
			b.WriteByte(chars[g.r.IntN(len(chars))])
		}
		org := b.String()
		first17 := "91330604" + org + string(orgCheck(org))
		c, _ := twin.CreditCheck(first17)
		return first17 + string(c)
	})
}

// orgCheck returns the GB 11714 check character of an 8-character
// organisation code.
func orgCheck(code string) byte {
	weights := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range 8 {
		c := code[i]
		v := int(c - '0')
		if c >= 'A' {
			v = int(c-'A') + 10
		}
		sum += v * weights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}

// placeEnterprises lays out every enterprise on its parcel: the parcel,
// the gate and spine road, the tank farms with their fire lanes, the
// sewage pool and the waste store.
func (g *gen) placeEnterprises() {
	for _, e := range g.ents {
		g.placeEnterprise(e)
	}
}

func (g *gen) placeEnterprise(e *ent) {
	c := e.cell
	cw, cd := c.width(), c.depth()
	w := min(cw, 600*g.between(0.6, 1))
	d := min(cd, 560*g.between(0.6, 1))
	pu0, pu1 := (cw-w)/2, (cw+w)/2
	e.ent.Parcel = g.polygon(c.rect(pu0, pu1, 0, d))

	// The gate sits a little off the parcel's middle, east or west by the
	// side of the street, so that gates facing each other never meet.
	e.us = cw/2 - 0.08*cw
	if c.north {
		e.us = cw/2 + 0.08*cw
	}
	e.front = min(55, 0.3*d)
	gate := c.gate(e.us)

	// Farms stand in the back of the parcel, stacked on either side of the
	// spine, the wider side taking the first and the third.
	fz0, fz1 := e.front+10, d-10
	left, right := [2]float64{pu0 + 10, e.us - 8}, [2]float64{e.us + 8, pu1 - 10}
	sides := [2][2]float64{right, left}
	if left[1]-left[0] > right[1]-right[0] {
		sides = [2][2]float64{left, right}
	}
	perSide := [2]int{(len(e.farms) + 1) / 2, len(e.farms) / 2}
	e.zone = [2]float64{fz0, fz1}
	if perSide[1] == 0 {
		e.spare = sides[1]
	}
	stacked := [2]int{}
	type junction struct {
		v    float64
		link orb.Point
	}
	var js []junction
	for fi, f := range e.farms {
		s := fi % 2
		k := perSide[s]
		slotD := (fz1 - fz0 - 8*float64(k-1)) / float64(k)
		v0 := fz0 + float64(stacked[s])*(slotD+8)
		stacked[s]++
		side := sides[s]
		l := g.arrange(f, side[1]-side[0], slotD)
		rw, rd := l.size()
		// The farm stands anywhere in its slot, its ring's near side facing
		// the spine across its link.
		off := g.between(0, 0.5*(side[1]-side[0]-rw))
		v0 += g.between(0, slotD-rd)
		u0, near, far, lv := e.us+8+off, e.us+8+off, e.us+8+off+rw, v0+0.4*rd
		if side[0] < e.us {
			u0, near, far, lv = e.us-8-off-rw, e.us-8-off, e.us-8-off-rw, v0+0.5*rd
		}
		for _, j := range js {
			if abs(j.v-lv) < 2 {
				lv += 3
			}
		}
		if fi == 0 {
			e.firstLink = lv
		}
		g.makeTanks(e, fi, f, l, u0, v0)
		f.ring = c.rect(u0, u0+rw, v0, v0+rd)

		link := c.at(near, lv)
		js = append(js, junction{lv, link})
		lane := e.short + f.name + "消防车道"
		corners := []orb.Point{link, c.at(near, v0+rd), c.at(far, v0+rd), c.at(far, v0), c.at(near, v0), link}
		for i := 0; i+1 < len(corners); i++ {
			g.net.add(piece{line: []orb.Point{corners[i], corners[i+1]}, name: lane, class: twin.Access, speed: 15})
		}
	}

	// The spine runs from the gate past every farm's link.
	slices.SortFunc(js, func(a, b junction) int { return cmp.Compare(a.v, b.v) })
	spine := e.short + "厂区道路"
	prev := gate
	for _, j := range js {
		p := c.at(e.us, j.v)
		g.net.add(piece{line: []orb.Point{prev, p}, name: spine, class: twin.Access, speed: 20})
		g.net.add(piece{line: []orb.Point{p, j.link}, name: spine, class: twin.Access, speed: 15})
		prev = p
	}

	num := e.ent.ID[len("ENT-"):]
	covered := g.chance(0.6)
	e.pool = &twin.SewagePool{
		ID:            "SWP-" + num + "-01",
		Name:          "事故应急池",
		Enterprise:    e.ent.ID,
		VolumeM3:      float64(100 * g.intBetween(5, 30)),
		ConfinedSpace: covered,
		Covered:       covered,
		Position:      g.ll(c.at(e.us-24, e.front*0.4)),
	}
	if g.chance(0.4) {
		e.pool.Name, e.pool.VolumeM3, e.pool.Covered, e.pool.ConfinedSpace =
			"污水处理站调节池", float64(100*g.intBetween(2, 15)), true, true
	}
	e.store = &twin.WasteStore{
		ID:            "HWS-" + num + "-01",
		Name:          "危险废物贮存库",
		Enterprise:    e.ent.ID,
		CapacityT:     float64(10 * g.intBetween(2, 20)),
		ThermalCamera: g.chance(0.85),
		Footprint:     g.polygon(c.rect(e.us+12, e.us+36, 8, 20)),
	}
}

func abs(v float64) float64 { return max(v, -v) }
