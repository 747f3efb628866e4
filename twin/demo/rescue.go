package demo

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/paulmach/orb"

	"parktwin/twin"
)

// facility is a rescue base or a warehouse on a vacant parcel of the
// park, with its own gate on the street.
type facility struct {
	cell *cell
	u    float64 // its gate's u in the cell
}

// The facilities of one scale unit, in the order they are reserved; the
// special-duty station shares its parcel with the district warehouse.
const (
	facStation = iota
	facDistrictWarehouse
	facChemRescue
	facHazmat
	facEnvironment
	facMedical
	facWarehouseWest
	facWarehouseEast
	facilitiesPerUnit
)

// reserveFacilities keeps a vacant parcel for every facility of every
// scale unit before the enterprises take theirs: the nearest free one to
// where the facility is wanted, each unit's spread over its share of the
// park from west to east.
func (g *gen) reserveFacilities() {
	span := 2 * gridHalfW / float64(g.scale)
	for k := range g.scale {
		cx := -gridHalfW + (float64(k)+0.5)*span
		anchors := [facilitiesPerUnit]orb.Point{
			facStation:           {cx, 0},
			facChemRescue:        {cx + 0.25*span, -1200},
			facHazmat:            {cx - 0.25*span, 1200},
			facEnvironment:       {cx + 0.3*span, 1500},
			facMedical:           {cx - 0.3*span, -1500},
			facWarehouseWest:     {cx - 0.4*span, -300},
			facWarehouseEast:     {cx + 0.4*span, 300},
			facDistrictWarehouse: {cx, 0},
		}
		var station *cell
		for f, a := range anchors {
			c := station
			if f != facDistrictWarehouse {
				c = g.nearestFreeCell(a)
				c.taken = true
			}
			if f == facStation {
				station = c
			}
			slot := 0.28
			if f == facDistrictWarehouse {
				slot = 0.68
			}
			if !c.north {
				slot += 0.04 // gates facing each other across the street never meet
			}
			g.facilities = append(g.facilities, &facility{cell: c, u: slot * c.width()})
		}
	}
}

func (g *gen) nearestFreeCell(p orb.Point) *cell {
	var best *cell
	bestD := math.Inf(1)
	for _, c := range g.cells {
		q := c.centre()
		if d := math.Hypot(q[0]-p[0], q[1]-p[1]); !c.taken && d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// site builds the facility's gate and entrance road and returns its base,
// a little way in from the gate.
func (g *gen) site(f *facility, name string) orb.Point {
	gate := f.cell.gate(f.u)
	g.net.add(piece{line: []orb.Point{gate, f.cell.at(f.u, 12)}, name: name + "出入口", class: twin.Access, speed: 20})
	return f.cell.at(f.u, 30)
}

// vehicle is the template of a rescue vehicle.
type vehicle struct {
	typ                  twin.VehicleType
	name                 string
	crew                 int
	water, pump, monitor float64
	foam                 twin.FoamType
	foamL                float64
}

// The vehicles of domain.md §8: foam tenders of about 8,000 L water and
// 4,000 L foam, heavy water tenders of about 15,000 L, an aerial platform,
// a high-flow monitor of 200 L/s.
var (
	foamTender    = vehicle{typ: twin.FoamTender, name: "泡沫消防车", crew: 6, water: 8000, pump: 4800, monitor: 3600, foam: twin.AFFF3, foamL: 4000}
	arFoamTender  = vehicle{typ: twin.FoamTender, name: "抗溶泡沫消防车", crew: 6, water: 8000, pump: 4800, monitor: 3600, foam: twin.ARAFFF3, foamL: 4000}
	waterTender   = vehicle{typ: twin.WaterTender, name: "重型水罐消防车", crew: 5, water: 15000, pump: 4800, monitor: 3600}
	aerial        = vehicle{typ: twin.AerialPlatform, name: "54米登高平台消防车", crew: 3, pump: 3600, monitor: 3600}
	highFlow      = vehicle{typ: twin.HighFlowMonitor, name: "大流量泡沫炮消防车", crew: 3, pump: 12000, monitor: 12000, foam: twin.ARAFFF3, foamL: 6000}
	hazmat        = vehicle{typ: twin.HazmatVehicle, name: "危险化学品侦检车", crew: 4}
	decon         = vehicle{typ: twin.DeconVehicle, name: "洗消车", crew: 4, water: 2000}
	gasProtection = vehicle{typ: twin.GasProtectionVehicle, name: "气防车", crew: 4}
	command       = vehicle{typ: twin.CommandVehicle, name: "通信指挥车", crew: 3}
	rescue        = vehicle{typ: twin.RescueVehicle, name: "抢险救援车", crew: 5}
	plugging      = vehicle{typ: twin.RescueVehicle, name: "堵漏抢险车", crew: 4}
	ambulance     = vehicle{typ: twin.Ambulance, name: "负压救护车", crew: 3}
	envMonitor    = vehicle{typ: twin.EnvironmentalVehicle, name: "环境应急监测车", crew: 3}
	brigadeFoam   = vehicle{typ: twin.FoamTender, name: "泡沫消防车", crew: 6, water: 5000, pump: 3600, monitor: 2400, foam: twin.AFFF3, foamL: 2000}
	brigadeWater  = vehicle{typ: twin.WaterTender, name: "水罐消防车", crew: 5, water: 8000, pump: 3600, monitor: 2400}
)

// rescueForces creates every scale unit's ten teams and four warehouses:
// the special-duty fire station with the district warehouse beside it,
// the provincial chemical rescue team, four enterprise brigades, the
// hazmat, environmental and medical teams, the district fire station
// south of the park, two park warehouses and an enterprise warehouse.
func (g *gen) rescueForces() {
	brigades := g.chooseBrigades()
	for k := range g.scale {
		suffix := ""
		if g.scale > 1 {
			suffix = "（" + cnNum(k+1) + "）"
		}
		fac := g.facilities[k*facilitiesPerUnit : (k+1)*facilitiesPerUnit]

		name := "园区特勤消防站" + suffix
		g.team(name, twin.SpecialDutyStation, g.site(fac[facStation], name), 50, nil,
			[]twin.Capability{twin.CapFirefighting, twin.CapFoam, twin.CapCooling, twin.CapHazmatDetection,
				twin.CapLeakSealing, twin.CapDecontamination, twin.CapConfinedSpaceRescue, twin.CapGasProtection,
				twin.CapHighAngleRescue, twin.CapCommand},
			foamTender, arFoamTender, waterTender, waterTender, aerial, highFlow, hazmat, decon, gasProtection, command)
		name = "浙江省化工专业应急救援队上虞队" + suffix
		g.team(name, twin.ChemicalRescue, g.site(fac[facChemRescue], name), 36, nil,
			[]twin.Capability{twin.CapFirefighting, twin.CapFoam, twin.CapHazmatDetection, twin.CapLeakSealing,
				twin.CapDecontamination, twin.CapConfinedSpaceRescue, twin.CapGasProtection},
			arFoamTender, rescue, hazmat, decon)
		for i, e := range brigades[4*k : 4*k+4] {
			foam := brigadeFoam
			if e.arFoam {
				foam.name, foam.foam = "抗溶泡沫消防车", twin.ARAFFF3
			}
			vs := []vehicle{foam, brigadeWater}
			if i%2 == 0 {
				vs = append(vs, gasProtection)
			}
			base := e.cell.at(e.us+24, e.front*0.7)
			g.team(e.short+"专职消防队", twin.EnterpriseBrigade, base, 16+g.r.IntN(8), e, []twin.Capability{
				twin.CapFirefighting, twin.CapFoam, twin.CapCooling, twin.CapGasProtection}, vs...)
		}
		name = "园区危化品应急处置队" + suffix
		g.team(name, twin.HazmatTeam, g.site(fac[facHazmat], name), 16, nil,
			[]twin.Capability{twin.CapHazmatDetection, twin.CapLeakSealing, twin.CapDecontamination}, hazmat, plugging)
		name = "上虞区环境应急监测队" + suffix
		g.team(name, twin.EnvironmentalTeam, g.site(fac[facEnvironment], name), 10, nil,
			[]twin.Capability{twin.CapEnvironmentalMonitoring}, envMonitor)
		name = "园区医疗急救站" + suffix
		g.team(name, twin.MedicalTeam, g.site(fac[facMedical], name), 12, nil,
			[]twin.Capability{twin.CapMedical}, ambulance, ambulance)
		name = "上虞区消防救援大队" + g.placeName() + "消防救援站"
		site := g.stations[k]
		g.link(site[0], site, name+"连接路", twin.Branch, 40, false)
		g.team(name, twin.FireStation, site, 32, nil,
			[]twin.Capability{twin.CapFirefighting, twin.CapFoam, twin.CapCooling, twin.CapHighAngleRescue},
			foamTender, waterTender, rescue)

		g.warehouse("上虞区危险化学品应急救援共享装备库"+suffix, twin.TierDistrict, "上虞区应急管理局", nil,
			g.site(fac[facDistrictWarehouse], "上虞区应急救援共享装备库"+suffix), 1)
		name = "园区应急物资储备库（西）" + suffix
		g.warehouse(name, twin.TierPark, "园区管委会", nil, g.site(fac[facWarehouseWest], name), 0.35)
		name = "园区应急物资储备库（东）" + suffix
		g.warehouse(name, twin.TierPark, "园区管委会", nil, g.site(fac[facWarehouseEast], name), 0.35)
		e := brigades[4*k]
		g.warehouse(e.short+"应急物资库", twin.TierEnterprise, e.ent.Name, e, e.cell.at(e.us-28, e.front*0.8), 0.15)
	}
}

// chooseBrigades picks the enterprises with a full-time fire brigade:
// four a scale unit, from the half of the enterprises with the most tanks.
func (g *gen) chooseBrigades() []*ent {
	byTanks := slices.Clone(g.ents)
	slices.SortStableFunc(byTanks, func(a, b *ent) int { return b.tankCount() - a.tankCount() })
	pool := byTanks[:len(byTanks)/2]
	var bs []*ent
	for _, i := range g.r.Perm(len(pool))[:4*g.scale] {
		bs = append(bs, pool[i])
	}
	for _, e := range bs {
		e.ent.FireBrigade = true
	}
	return bs
}

// team creates a team at base (in metres) with its vehicles.
func (g *gen) team(name string, typ twin.TeamType, base orb.Point, extra int, e *ent, caps []twin.Capability, vs ...vehicle) {
	num := len(g.teams) + 1
	t := &twin.Team{
		ID:           fmt.Sprintf("TEAM-%02d", num),
		Name:         name,
		Type:         typ,
		Base:         g.ll(base),
		Phone:        g.phone(),
		Capabilities: caps,
		Status:       twin.Available,
	}
	if e != nil {
		t.Enterprise = e.ent.ID
	}
	crew := 0
	for i, v := range vs {
		foam := []twin.FoamLoad{}
		if v.foam != 0 {
			foam = append(foam, twin.FoamLoad{Type: v.foam, Litres: v.foamL})
		}
		t.Vehicles = append(t.Vehicles, twin.Vehicle{
			ID:             fmt.Sprintf("VEH-%02d-%02d", num, i+1),
			Name:           v.name,
			Type:           v.typ,
			Plate:          g.plate(),
			Crew:           v.crew,
			WaterL:         v.water,
			Foam:           foam,
			PumpLPerMin:    v.pump,
			MonitorLPerMin: v.monitor,
			Status:         twin.Available,
		})
		crew += v.crew
	}
	// Personnel covers the crews on shift and those off the vehicles.
	t.Personnel = max(crew+4, extra)
	g.teams = append(g.teams, t)
}

// plate returns a new Shaoxing number plate.
func (g *gen) plate() string {
	const chars = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
	return g.unique(func() string {
		b := []byte("浙D·")
		for i := range 5 {
			n := 10
			if i == 0 {
				n = len(chars)
			}
			b = append(b, chars[g.r.IntN(n)])
		}
		return string(b)
	})
}

// specialDutyFleet completes each special-duty station (特勤站) with the
// vehicles such a station has (domain.md §8) and the dispatch rules' run
// cards ask for: a rescue vehicle (抢险救援车: leak sealing, confined-space
// rescue) and a second high-flow monitor (the level I tank-fire card
// asks for two). It runs after the park is built, numbering them after
// the station's own vehicles, with plates of a series of their own and
// drawing nothing from the generator, so that no other ID moves.
func (g *gen) specialDutyFleet() {
	k := 0
	plate := func() string {
		for {
			k++
			p := fmt.Sprintf("浙D·T%04d", k)
			if !g.used[p] {
				g.used[p] = true
				return p
			}
		}
	}
	for _, t := range g.teams {
		if t.Type != twin.SpecialDutyStation {
			continue
		}
		for _, v := range []vehicle{rescue, highFlow} {
			foam := []twin.FoamLoad{}
			if v.foam != 0 {
				foam = append(foam, twin.FoamLoad{Type: v.foam, Litres: v.foamL})
			}
			t.Vehicles = append(t.Vehicles, twin.Vehicle{
				ID: fmt.Sprintf("%s-%02d", strings.Replace(t.ID, "TEAM", "VEH", 1), len(t.Vehicles)+1), Name: v.name,
				Type: v.typ, Plate: plate(), Crew: v.crew, WaterL: v.water, Foam: foam, PumpLPerMin: v.pump,
				MonitorLPerMin: v.monitor, Status: twin.Available,
			})
			t.Personnel += v.crew
		}
	}
}
