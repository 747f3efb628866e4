package dispatch

import (
	"fmt"
	"math"

	"parktwin/twin"
	"parktwin/twin/spatial"
)

// Requirement is something an incident needs, sized from the twin: a
// quantity of an equipment type (foam concentrate, SCBA sets) or of
// water, with the numbers it was computed from and the rule behind it.
type Requirement struct {
	What     string         `json:"what"`
	Quantity float64        `json:"quantity"`
	Unit     string         `json:"unit"`
	Basis    map[string]any `json:"basis"`
	Reason   string         `json:"reason"`
}

// CoolingWater names the cooling-water requirement, which fire
// apparatus carry rather than warehouses.
const CoolingWater = "cooling-water"

// TankFire returns what a fire on tank t needs: foam concentrate for its
// roof type (alcohol-resistant when its chemical mixes with water),
// supplementary hose streams, and cooling water for it and its
// neighbours within the rules' radius.
func (r *Rules) TankFire(s *twin.Snapshot, t *twin.Tank) []Requirement {
	var out []Requirement
	app := r.Foam.ByTank[t.Type.String()]
	area := math.Pi * t.DiameterM * t.DiameterM / 4
	areaName := "cross-section π·D²/4"
	if app.Area == "seal" {
		area = math.Pi * t.DiameterM * app.SealWidthM
		areaName = fmt.Sprintf("seal ring π·D·%.1f m", app.SealWidthM)
	}
	solution := app.RateLPerMinM2 * area * app.Minutes
	equipment, kind := r.Foam.Equipment, "foam concentrate"
	chemical := ""
	if c, ok := twin.Lookup[*twin.Chemical](s, t.Chemical); ok {
		chemical = c.NameZh
		if c.WaterSoluble {
			equipment, kind = r.Foam.AlcoholResistant, "alcohol-resistant foam concentrate"
		}
	}
	concentrate := solution * r.Foam.Concentration
	out = append(out, Requirement{
		What: equipment, Quantity: math.Ceil(concentrate), Unit: "L",
		Basis: map[string]any{
			"tank": t.ID, "tankType": t.Type.String(), "diameterM": t.DiameterM, "area": app.Area,
			"areaM2": round(area, 1), "rateLPerMinM2": app.RateLPerMinM2, "minutes": app.Minutes,
			"solutionL": math.Ceil(solution), "concentration": r.Foam.Concentration, "concentrateL": math.Ceil(concentrate),
		},
		Reason: fmt.Sprintf("%s for %s (%s, %s, D %.1f m): %s %.1f m² × %.1f L/(min·m²) × %.0f min = %.0f L solution, × %.0f %% = %.0f L (%s)",
			kind, t.ID, chemical, t.Type, t.DiameterM, areaName, area, app.RateLPerMinM2, app.Minutes,
			math.Ceil(solution), r.Foam.Concentration*100, math.Ceil(concentrate), app.Source),
	})
	if h := r.Foam.HoseStreams; h.Count > 0 {
		sol := float64(h.Count) * h.LPerMin * h.Minutes
		c := sol * r.Foam.Concentration
		out = append(out, Requirement{
			What: equipment, Quantity: math.Ceil(c), Unit: "L",
			Basis: map[string]any{"hoseStreams": h.Count, "lPerMin": h.LPerMin, "minutes": h.Minutes,
				"solutionL": math.Ceil(sol), "concentration": r.Foam.Concentration, "concentrateL": math.Ceil(c)},
			Reason: fmt.Sprintf("supplementary hose streams: %d × %.0f L/min × %.0f min = %.0f L solution, × %.0f %% = %.0f L (%s)",
				h.Count, h.LPerMin, h.Minutes, math.Ceil(sol), r.Foam.Concentration*100, math.Ceil(c), h.Source),
		})
	}
	out = append(out, r.cooling(s, t))
	return out
}

// cooling sizes the cooling water of a tank fire: the burning tank's
// circumference and that of every tank whose shell lies within the
// rules' radius (in diameters of the burning tank) of its shell.
func (r *Rules) cooling(s *twin.Snapshot, t *twin.Tank) Requirement {
	c := r.Cooling
	secs := c.Hours * 3600
	burning := math.Pi * t.DiameterM * c.BurningLPerSM * secs
	reach := c.RadiusDiameters * t.DiameterM
	var neighbours []string
	neighbourL := 0.0
	for o := range twin.All[*twin.Tank](s) {
		if o.ID == t.ID {
			continue
		}
		gap := spatial.Distance(t.Position, o.Position) - t.DiameterM/2 - o.DiameterM/2
		if gap <= reach {
			neighbours = append(neighbours, o.ID)
			neighbourL += math.Pi * o.DiameterM * c.AdjacentLPerSM * secs
		}
	}
	total := burning + neighbourL
	return Requirement{
		What: CoolingWater, Quantity: math.Ceil(total), Unit: "L",
		Basis: map[string]any{"tank": t.ID, "circumferenceM": round(math.Pi*t.DiameterM, 1),
			"burningLPerSM": c.BurningLPerSM, "hours": c.Hours, "burningL": math.Ceil(burning),
			"radiusM": round(reach, 1), "neighbours": neighbours, "adjacentLPerSM": c.AdjacentLPerSM,
			"neighboursL": math.Ceil(neighbourL)},
		Reason: fmt.Sprintf("cooling water for %.0f h: the burning tank π·%.1f m × %.1f L/(s·m) = %.0f L, and %d tanks within %.1f m of its shell × %.1f L/(s·m) = %.0f L",
			c.Hours, t.DiameterM, c.BurningLPerSM, math.Ceil(burning), len(neighbours), reach, c.AdjacentLPerSM, math.Ceil(neighbourL)),
	}
}

// ToxicRelease returns the protection a toxic release of a level needs:
// equipment per responder and per incident.
func (r *Rules) ToxicRelease(level string) []Requirement {
	n := r.Toxic.RespondersByLevel[level]
	var out []Requirement
	for _, need := range r.Toxic.PerResponder {
		q := need.Count * float64(n)
		out = append(out, Requirement{What: need.Equipment, Quantity: q, Unit: "set",
			Basis:  map[string]any{"responders": n, "perResponder": need.Count, "level": level},
			Reason: fmt.Sprintf("%s: %d responders at level %s × %.0f each = %.0f", need.Equipment, n, level, need.Count, q)})
	}
	return append(out, perIncident(r.Toxic.PerIncident, "toxic release")...)
}

// ConfinedSpaceRescue returns the equipment a confined-space rescue needs.
func (r *Rules) ConfinedSpaceRescue() []Requirement {
	return perIncident(r.ConfinedSpace.PerIncident, "confined-space rescue")
}

func perIncident(needs []Need, what string) []Requirement {
	var out []Requirement
	for _, need := range needs {
		out = append(out, Requirement{What: need.Equipment, Quantity: need.Count, Unit: "set",
			Basis:  map[string]any{"perIncident": need.Count},
			Reason: fmt.Sprintf("%s: %.0f per %s", need.Equipment, need.Count, what)})
	}
	return out
}

func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}
