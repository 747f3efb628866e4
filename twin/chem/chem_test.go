package chem_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"parktwin/twin"
	"parktwin/twin/chem"
)

func TestCatalogueValid(t *testing.T) {
	cs := chem.Catalogue()
	if len(cs) < 40 {
		t.Fatalf("got %d chemicals, want at least 40", len(cs))
	}
	seen := map[string]bool{}
	for _, c := range cs {
		if !twin.ValidCAS(c.CAS) {
			t.Errorf("%s (%s): not a valid CAS number", c.CAS, c.NameEn)
		}
		if err := c.Validate(); err != nil {
			t.Errorf("%s (%s): %v", c.CAS, c.NameEn, err)
		}
		if seen[c.CAS] {
			t.Errorf("%s: listed twice", c.CAS)
		}
		seen[c.CAS] = true
		// Anhydrous formaldehyde above 90 % has no UN number of its own
		// (the solutions and paraformaldehyde have theirs).
		if c.UN == 0 && c.CAS != "50-00-0" {
			t.Errorf("%s (%s): no UN number", c.CAS, c.NameEn)
		}
		if (c.CriticalQT > 0) != (c.HazardClass != "") {
			t.Errorf("%s (%s): criticalQT %v with hazard class %q: both or neither", c.CAS, c.NameEn, c.CriticalQT, c.HazardClass)
		}
		if c.Phase == twin.Liquid && c.DensityKgM3 < 500 {
			t.Errorf("%s (%s): liquid density %v kg/m³ is not a liquid's", c.CAS, c.NameEn, c.DensityKgM3)
		}
	}
	if !slices.IsSortedFunc(cs, func(a, b *twin.Chemical) int { return strings.Compare(a.CAS, b.CAS) }) {
		t.Error("not sorted by CAS")
	}
}

// TestCatalogueFigures spot-checks the catalogue against domain.md §2 and
// §8.
func TestCatalogueFigures(t *testing.T) {
	type figures struct {
		UN       int
		Q, Beta  float64
		Class    string
		Phase    twin.Phase
		ToxicGas bool
	}
	tests := []struct {
		cas  string
		want figures
	}{
		{"7782-50-5", figures{1017, 5, 4, "J3", twin.LiquefiedGas, true}},      // chlorine
		{"7664-41-7", figures{1005, 10, 2, "W2", twin.LiquefiedGas, true}},     // ammonia
		{"67-56-1", figures{1230, 500, 1, "W5.3", twin.Liquid, false}},         // methanol
		{"71-43-2", figures{1114, 50, 1, "W5.3", twin.Liquid, false}},          // benzene
		{"75-44-5", figures{1076, 0.3, 20, "J1", twin.LiquefiedGas, true}},     // phosgene
		{"7783-06-4", figures{1053, 5, 5, "J3", twin.LiquefiedGas, true}},      // hydrogen sulfide
		{"68476-85-7", figures{1075, 50, 1.5, "W2", twin.LiquefiedGas, false}}, // LPG
		{"7647-01-0", figures{1050, 20, 3, "J3", twin.LiquefiedGas, true}},     // hydrogen chloride
		{"108-90-7", figures{1134, 5000, 1, "W5.4", twin.Liquid, false}},       // chlorobenzene
		// Acute toxicity category 3, flash point above 60 °C: outside GB
		// 18218-2018 Table 2 (J5 is category 2), so no class, Q or β
		// (issue 13, point 11).
		{"98-95-3", figures{1662, 0, 0, "", twin.Liquid, false}},   // nitrobenzene
		{"62-53-3", figures{1547, 0, 0, "", twin.Liquid, false}},   // aniline
		{"108-95-2", figures{2312, 0, 0, "", twin.Liquid, false}},  // phenol
		{"7664-93-9", figures{1830, 0, 0, "", twin.Liquid, false}}, // sulfuric acid
		{"1310-73-2", figures{1824, 0, 0, "", twin.Liquid, false}}, // caustic soda
	}
	byCAS := map[string]*twin.Chemical{}
	for _, c := range chem.Catalogue() {
		byCAS[c.CAS] = c
	}
	for _, tt := range tests {
		t.Run(tt.cas, func(t *testing.T) {
			c, ok := byCAS[tt.cas]
			if !ok {
				t.Fatalf("%s missing", tt.cas)
			}
			got := figures{c.UN, c.CriticalQT, c.Beta, c.HazardClass, c.Phase, c.ToxicGas}
			if diff := cmp.Diff(got, tt.want); diff != "" {
				t.Errorf("%s (-got +want):\n%s", c.NameEn, diff)
			}
		})
	}
}

// TestCatalogueTable1 checks that every chemical of GB 18218 Table 1 in
// domain.md §2 is there with its Q.
func TestCatalogueTable1(t *testing.T) {
	table1 := map[string]float64{
		"7782-50-5": 5, "7664-41-7": 10, "1333-74-0": 5, "68476-85-7": 50, "74-82-8": 50,
		"67-56-1": 500, "64-17-5": 500, "67-64-1": 500, "71-43-2": 50, "108-88-3": 500,
		"100-42-5": 500, "107-13-1": 50, "7783-06-4": 5, "75-44-5": 0.3, "7446-09-5": 20,
		"74-90-8": 1, "75-21-8": 10, "75-56-9": 10, "75-01-4": 50, "86290-81-5": 200,
		"7697-37-2": 100, "7647-01-0": 20, "7664-39-3": 1, "50-00-0": 5, "106-89-8": 20,
		"26471-62-5": 100, "106-99-0": 5, "110-82-7": 500, "141-78-6": 500, "110-54-3": 500,
		"75-15-0": 50, "7782-44-7": 200,
	}
	got := map[string]float64{}
	for _, c := range chem.Catalogue() {
		if _, ok := table1[c.CAS]; ok {
			got[c.CAS] = c.CriticalQT
		}
	}
	if diff := cmp.Diff(got, table1); diff != "" {
		t.Errorf("Table 1 critical quantities (-got +want):\n%s", diff)
	}
}

// TestCatalogueBeta checks β against the named toxic gases and the
// hazard-class rule of domain.md §2.
func TestCatalogueBeta(t *testing.T) {
	named := map[string]float64{
		"7664-41-7": 2, "7446-09-5": 2, "75-21-8": 2, "7647-01-0": 3, "7782-50-5": 4,
		"7783-06-4": 5, "7664-39-3": 5, "74-90-8": 10, "75-44-5": 20,
	}
	byClass := map[string]float64{
		"J1": 4, "J2": 1, "J3": 2, "J4": 2, "J5": 1, "W2": 1.5, "W4": 1, "W5.1": 1.5,
		"W5.2": 1, "W5.3": 1, "W5.4": 1, "W9.2": 1, "W10": 1,
	}
	for _, c := range chem.Catalogue() {
		if c.CriticalQT == 0 {
			continue
		}
		want, ok := named[c.CAS]
		if !ok {
			want, ok = byClass[c.HazardClass]
		}
		if !ok {
			t.Errorf("%s (%s): no β known for class %q", c.CAS, c.NameEn, c.HazardClass)
			continue
		}
		if c.Beta != want {
			t.Errorf("%s (%s): got β %v, want %v", c.CAS, c.NameEn, c.Beta, want)
		}
	}
}

func TestCatalogueFresh(t *testing.T) {
	a := chem.Catalogue()
	a[0].NameZh = "changed"
	for _, c := range a {
		if c.FlashPointC != nil {
			*c.FlashPointC = 999
		}
	}
	b := chem.Catalogue()
	if b[0].NameZh == "changed" {
		t.Error("a change to one catalogue shows in the next")
	}
	for _, c := range b {
		if c.FlashPointC != nil && *c.FlashPointC == 999 {
			t.Errorf("%s: a changed flash point shows in the next catalogue", c.CAS)
		}
	}
}

// GB 18218-2018 Table 1 lists formaldehyde above 90 % (CAS 50-00-0, Q 5 t):
// the gas, not paraformaldehyde (CAS 30525-89-4, UN 2213, a flammable
// solid), whose UN number and class it used to carry.
func TestFormaldehydeIsNotParaformaldehyde(t *testing.T) {
	for _, c := range chem.Catalogue() {
		if c.CAS != "50-00-0" {
			continue
		}
		if c.UN == 2213 || c.Phase == twin.Solid || c.HazardClass != "J3" || c.CriticalQT != 5 {
			t.Errorf("formaldehyde > 90 %%: UN %d, %s, class %s, Q %v", c.UN, c.Phase, c.HazardClass, c.CriticalQT)
		}
		return
	}
	t.Fatal("no formaldehyde in the catalogue")
}

// GB 18218-2018: a chemical of a hazard class has its critical quantity;
// one without a Q has no β, and β is never negative.
func TestChemicalWithoutQOrWithNegativeBetaRefusedGB18218(t *testing.T) {
	base := func() twin.Chemical {
		return twin.Chemical{CAS: "67-56-1", NameZh: "甲醇", NameEn: "Methanol", UN: 1230, Phase: twin.Liquid,
			DensityKgM3: 791, HazardClass: "W5.3", CriticalQT: 500, Beta: 1}
	}
	for name, change := range map[string]func(c *twin.Chemical){
		"class without Q": func(c *twin.Chemical) { c.CriticalQT = 0; c.Beta = 0 },
		"β without Q":     func(c *twin.Chemical) { c.CriticalQT, c.HazardClass = 0, "" },
		"negative β":      func(c *twin.Chemical) { c.Beta = -1 },
		"Q without β":     func(c *twin.Chemical) { c.Beta = 0 },
		"negative Q":      func(c *twin.Chemical) { c.CriticalQT = -5 },
	} {
		c := base()
		change(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	c := base()
	if err := c.Validate(); err != nil {
		t.Errorf("methanol: %v", err)
	}
}
