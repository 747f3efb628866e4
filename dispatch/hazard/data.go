package hazard

import (
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	"math"
	"strconv"

	"gopkg.in/yaml.v3"
)

//go:embed data
var dataFS embed.FS

// tables holds every embedded table, parsed once. The data is part of the
// program: a malformed file is a build defect, caught by the package's tests.
var tables = mustLoad()

type coef struct{ A, B, P float64 }

type briggsRow struct{ Y, Z coef }

type pgZRow struct {
	XMaxKm float64 `yaml:"xMaxKm"`
	A, B   float64
}

type puffRow struct{ YA, YB, ZA, ZB float64 }

type sigmaData struct {
	Briggs struct {
		Source, Verified string
		Rural, Urban     map[string]briggsRow
	}
	PasquillGifford struct {
		Source, Verified string
		Y                map[string]struct{ C, D float64 }
		Z                map[string][]pgZRow
	} `yaml:"pasquillGifford"`
	Puff struct {
		Source, Verified string
		Classes          map[string]puffRow `yaml:",inline"`
	}
}

type thermalData struct {
	Thomas struct {
		Source, Verified string
		A, B             float64
	}
	Mudan struct {
		Source, Verified string
		MaxKWM2          float64 `yaml:"maxKWM2"`
		SootKWM2         float64 `yaml:"sootKWM2"`
		SPerM            float64 `yaml:"sPerM"`
	}
	Transmissivity struct {
		Source, Verified string
		A, B             float64
		PsatC1           float64 `yaml:"psatC1"`
		PsatC2           float64 `yaml:"psatC2"`
		PsatC3           float64 `yaml:"psatC3"`
	}
	Fireball struct {
		Source, Verified   string
		DiameterCoef       float64 `yaml:"diameterCoef"`
		ShortDurationCoef  float64 `yaml:"shortDurationCoef"`
		LongDurationCoef   float64 `yaml:"longDurationCoef"`
		SplitKg            float64 `yaml:"splitKg"`
		RobertsCoef        float64 `yaml:"robertsCoef"`
		RobertsExp         float64 `yaml:"robertsExp"`
		DefaultSEPKWM2     float64 `yaml:"defaultSEPKWM2"`
		CentreHeightFactor float64 `yaml:"centreHeightFactor"`
	}
}

type blastData struct {
	TNT struct {
		Source, Verified string
		EnergyMJKg       float64 `yaml:"energyMJKg"`
	}
	KingeryBulmash struct {
		Source, Verified string
		ZMin             float64 `yaml:"zMin"`
		ZMax             float64 `yaml:"zMax"`
		U, C             []float64
	} `yaml:"kingeryBulmash"`
	SwisdakFar struct {
		Source, Verified string
		ZMax             float64 `yaml:"zMax"`
		A, B             float64
	} `yaml:"swisdakFar"`
	KinneyGraham struct {
		Source, Verified  string
		K, Z1, Z2, Z3, Z4 float64
		ZMin              float64 `yaml:"zMin"`
		ZMax              float64 `yaml:"zMax"`
		AmbientKPa        float64 `yaml:"ambientKPa"`
	} `yaml:"kinneyGraham"`
}

type ergData struct {
	Source      string
	WindClasses struct {
		Verified    string
		LowBelowMS  float64 `yaml:"lowBelowMS"`
		HighAboveMS float64 `yaml:"highAboveMS"`
	} `yaml:"windClasses"`
	Containers []struct{ Code, Name string }
	Bleve      struct {
		Verified    string
		CapacitiesL []float64 `yaml:"capacitiesL"`
	}
}

type allTables struct {
	stability [][]string // rows of stability.csv after the header
	sigma     sigmaData
	puff      map[string]puffRow
	thermal   thermalData
	blast     blastData
	ergMeta   ergData
	fuels     map[string]Fuel
	fuelNames []string
	chemicals map[string]Chemical
	endpoints map[string][]Endpoint
	erg       map[int][]ERGEntry
	ergGuides map[int]ERGEntry
}

func mustLoad() *allTables {
	t, err := load()
	if err != nil {
		panic(fmt.Sprintf("hazard: embedded data: %v", err))
	}
	return t
}

func load() (*allTables, error) {
	t := &allTables{}
	for name, v := range map[string]any{"sigma.yaml": &t.sigma, "thermal.yaml": &t.thermal,
		"blast.yaml": &t.blast, "erg.yaml": &t.ergMeta} {
		if err := readYAML(name, v); err != nil {
			return nil, err
		}
	}
	t.puff = t.sigma.Puff.Classes
	var err error
	if t.stability, err = readCSV("stability.csv"); err != nil {
		return nil, err
	}
	if err := loadFuels(t); err != nil {
		return nil, err
	}
	if err := loadChemicals(t); err != nil {
		return nil, err
	}
	if err := loadERG(t); err != nil {
		return nil, err
	}
	return t, check(t)
}

// check refuses tables with a class, coefficient or row missing, so that a
// model never looks up a zero.
func check(t *allTables) error {
	for _, c := range []string{"A", "B", "C", "D", "E", "F"} {
		_, r := t.sigma.Briggs.Rural[c]
		_, u := t.sigma.Briggs.Urban[c]
		_, y := t.sigma.PasquillGifford.Y[c]
		z := t.sigma.PasquillGifford.Z[c]
		_, p := t.puff[c]
		if !r || !u || !y || !p || len(z) == 0 || !math.IsInf(z[len(z)-1].XMaxKm, 1) {
			return fmt.Errorf("sigma.yaml: class %s incomplete", c)
		}
	}
	if len(t.stability) != 5 {
		return fmt.Errorf("stability.csv: %d rows, want 5", len(t.stability))
	}
	for i, r := range t.stability {
		if len(r) != 6 {
			return fmt.Errorf("stability.csv: row %d: %d columns, want 6", i+2, len(r))
		}
	}
	kb := t.blast.KingeryBulmash
	if len(kb.U) != 2 || len(kb.C) != 12 || t.blast.TNT.EnergyMJKg <= 0 || t.blast.KinneyGraham.K <= 0 {
		return fmt.Errorf("blast.yaml: coefficients missing")
	}
	th := t.thermal
	if th.Thomas.A <= 0 || th.Mudan.MaxKWM2 <= 0 || th.Transmissivity.A <= 0 || th.Fireball.DiameterCoef <= 0 {
		return fmt.Errorf("thermal.yaml: constants missing")
	}
	if len(t.ergMeta.Containers) != 6 || len(t.ergMeta.Bleve.CapacitiesL) == 0 {
		return fmt.Errorf("erg.yaml: containers or BLEVE capacities missing")
	}
	return nil
}

func readYAML(name string, v any) error {
	b, err := dataFS.ReadFile("data/" + name)
	if err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// readCSV returns the rows of a data file after its header, skipping
// comment lines that start with '#'.
func readCSV(name string) ([][]string, error) {
	b, err := dataFS.ReadFile("data/" + name)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.Comment = '#'
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("%s: no rows", name)
	}
	return rows[1:], nil
}

// num parses a cell, naming the file, row and column when it cannot.
func num(file string, row int, col, s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: row %d: %s: %w", file, row+2, col, err)
	}
	return v, nil
}

func readCSVBytes(b []byte) ([][]string, error) {
	r := csv.NewReader(bytes.NewReader(b))
	r.Comment = '#'
	return r.ReadAll()
}
