package demo

import (
	"fmt"
	"math"
	"slices"

	"parktwin/twin"
)

// gasFarmGases are the farms' substances that GB/T 50493-2019 asks fixed
// detectors for and the generator's farms did not get them: the
// liquefied flammable gases of the spheres (LPG, vinyl chloride,
// butadiene), ethylene oxide and benzene. All are combustible; the toxic
// ones also get toxic-gas detectors, first alarm at 100 % and second at
// 200 % of their GBZ 2.1-2019 PC-TWA (vinyl chloride 10 mg/m³, ethylene
// oxide 2, benzene 6, butadiene 5) [unverified: recalled, not read].
var gasFarmGases = map[string]struct {
	zh    string
	toxic *watchedGas
}{
	"68476-85-7": {zh: "液化石油气"},
	"75-01-4":    {zh: "氯乙烯", toxic: &watchedGas{formula: "C2H3Cl", zh: "氯乙烯", mgH: 10, mgHH: 20, molarGMol: 62.50}},
	"106-99-0":   {zh: "丁二烯", toxic: &watchedGas{formula: "C4H6", zh: "丁二烯", mgH: 5, mgHH: 10, molarGMol: 54.09}},
	"75-21-8":    {zh: "环氧乙烷", toxic: &watchedGas{formula: "C2H4O", zh: "环氧乙烷", mgH: 2, mgHH: 4, molarGMol: 44.05}},
	"71-43-2":    {zh: "苯", toxic: &watchedGas{formula: "C6H6", zh: "苯", mgH: 6, mgHH: 12, molarGMol: 78.11}},
}

// gasFarmDetectors rings every farm holding one of gasFarmGases with
// fixed detectors as farmDetectors does the toxic gases' farms: a
// combustible-gas ring (25 and 50 % LEL, GB/T 50493-2019 §5 [section
// unverified]) unless the farm has one, and a toxic-gas ring for the
// toxic ones. It runs after the park is built, drawing nothing from the
// generator, so that no ID before them moves (only the weather station's,
// which comes after every other sensor).
func (g *gen) gasFarmDetectors() {
	unitOf := map[string]string{}
	for _, u := range g.units {
		for _, id := range u.Tanks {
			unitOf[id] = u.ID
		}
	}
	combustible := map[string]bool{} // subjects already watched for combustible gas
	for _, s := range g.sensors {
		if s.Type == twin.CombustibleGas {
			combustible[s.Subject] = true
		}
	}
	for _, e := range g.ents {
		for _, f := range e.farms {
			var seen []string
			for _, t := range f.tanks {
				gas, ok := gasFarmGases[t.Chemical]
				if !ok || slices.Contains(seen, t.Chemical) {
					continue
				}
				seen = append(seen, t.Chemical)
				subject := t.ID
				if u, ok := unitOf[t.ID]; ok {
					subject = u
				}
				ring := g.detectorRing(f, t.Chemical)
				if !slices.ContainsFunc(f.tanks, func(o *twin.Tank) bool { return combustible[o.ID] }) && !combustible[subject] {
					for i, p := range ring {
						g.addSensor(&twin.Sensor{
							Name:    fmt.Sprintf("%s %d#%s可燃气体探测器", f.name, i+1, gas.zh),
							Subject: subject, Type: twin.CombustibleGas,
							Limits: limits(math.NaN(), math.NaN(), 25, 50), Deadband: 2, OnDelayS: 3, Position: g.ll(p),
						})
					}
				}
				if gas.toxic != nil {
					lim, db := gas.toxic.limits()
					for i, p := range ring {
						g.addSensor(&twin.Sensor{
							Name:    fmt.Sprintf("%s %d#%s探测器", f.name, i+1, gas.toxic.zh),
							Subject: subject, Type: twin.ToxicGas, Gas: gas.toxic.formula,
							Limits: lim, Deadband: db, OnDelayS: 3, Position: g.ll(p),
						})
					}
				}
			}
		}
	}
}
