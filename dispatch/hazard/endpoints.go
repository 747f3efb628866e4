package hazard

import (
	"fmt"
	"sort"
	"strings"

	"parktwin/twin"
)

// Chemical is a substance with toxic endpoints.
type Chemical struct {
	CAS           string  `json:"cas"`
	Name          string  `json:"name"`
	UN            string  `json:"un,omitempty"`
	MolarMassGMol float64 `json:"molarMassGMol" unit:"g/mol"`
}

// Endpoint is one published toxic threshold of a chemical.
type Endpoint struct {
	Name string  `json:"endpoint" doc:"AEGL-1/2/3 (60 min), ERPG-1/2/3 or IDLH"`
	PPM  float64 `json:"ppm" unit:"ppm"`
	// MgM3 is PPM at 25 °C and 101.325 kPa.
	MgM3     float64 `json:"mgM3" unit:"mg/m³" doc:"the same at 25 °C, 101.325 kPa"`
	Source   string  `json:"source"`
	Verified string  `json:"verified" doc:"yes/secondary: where it was confirmed; no: not confirmed, check before relying on it"`
	Note     string  `json:"note,omitempty"`
}

func loadChemicals(t *allTables) error {
	rows, err := readCSV("chemicals.csv")
	if err != nil {
		return err
	}
	t.chemicals = map[string]Chemical{}
	for i, r := range rows {
		m, err := num("chemicals.csv", i, "molar_mass_g_mol", r[3])
		if err != nil {
			return err
		}
		t.chemicals[r[0]] = Chemical{CAS: r[0], Name: r[1], UN: r[2], MolarMassGMol: m}
	}
	rows, err = readCSV("endpoints.csv")
	if err != nil {
		return err
	}
	t.endpoints = map[string][]Endpoint{}
	for i, r := range rows {
		c, ok := t.chemicals[r[0]]
		if !ok {
			return fmt.Errorf("endpoints.csv: row %d: unknown CAS %s", i+2, r[0])
		}
		if r[2] == "" { // none published: kept in the file for the record
			continue
		}
		ppm, err := num("endpoints.csv", i, "ppm", r[2])
		if err != nil {
			return err
		}
		t.endpoints[r[0]] = append(t.endpoints[r[0]], Endpoint{Name: r[1], PPM: ppm,
			MgM3:   PPMToMgM3(ppm, c.MolarMassGMol, StandardTemperatureK, StandardPressurePa),
			Source: r[3], Verified: r[4], Note: r[5]})
	}
	return nil
}

// Chemicals lists the chemicals with endpoints, by CAS number.
func Chemicals() []Chemical {
	out := make([]Chemical, 0, len(tables.chemicals))
	for _, c := range tables.chemicals {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CAS < out[j].CAS })
	return out
}

// EndpointsInput names a chemical by CAS number.
type EndpointsInput struct {
	CAS string `json:"cas" doc:"CAS registry number, e.g. 7782-50-5"`
}

// Validate refuses a chemical that is not in the table.
func (in EndpointsInput) Validate() error {
	if _, ok := tables.chemicals[strings.TrimSpace(in.CAS)]; !ok {
		return twin.Invalid("cas", "no toxic endpoints are known for %q; known: %s", in.CAS, knownCAS())
	}
	return nil
}

func knownCAS() string {
	var s []string
	for _, c := range Chemicals() {
		s = append(s, c.CAS+" "+c.Name)
	}
	return strings.Join(s, ", ")
}

// EndpointsOutput is the chemical and its published endpoints.
type EndpointsOutput struct {
	Chemical  Chemical   `json:"chemical"`
	Endpoints []Endpoint `json:"endpoints"`
}

// Endpoints returns the toxic endpoints of a chemical from
// data/endpoints.csv: AEGL-1/2/3 for 60 minutes (US EPA), ERPG-1/2/3 (AIHA)
// and IDLH (NIOSH), each with its source and whether it was verified.
// An endpoint that is not published is absent.
func Endpoints(in EndpointsInput) (EndpointsOutput, error) {
	if err := in.Validate(); err != nil {
		return EndpointsOutput{}, err
	}
	cas := strings.TrimSpace(in.CAS)
	return EndpointsOutput{Chemical: tables.chemicals[cas],
		Endpoints: append([]Endpoint(nil), tables.endpoints[cas]...)}, nil
}

// ToxicFootprintInput is a continuous release of a known chemical.
type ToxicFootprintInput struct {
	PlumeSource
	CAS string `json:"cas" doc:"CAS registry number of the chemical released"`
	// EndpointNames picks endpoints; empty means AEGL-1, AEGL-2 and AEGL-3.
	EndpointNames []string `json:"endpoints,omitempty" doc:"endpoints to draw; omitted: AEGL-1, AEGL-2, AEGL-3"`
}

// Validate checks the source, the chemical and the endpoints asked for.
func (in ToxicFootprintInput) Validate() error {
	if err := firstErr(in.PlumeSource.Validate(), EndpointsInput{CAS: in.CAS}.Validate()); err != nil {
		return err
	}
	have := map[string]bool{}
	for _, e := range tables.endpoints[strings.TrimSpace(in.CAS)] {
		have[e.Name] = true
	}
	for i, n := range in.EndpointNames {
		if !have[n] {
			return twin.Invalid(fmt.Sprintf("endpoints[%d]", i), "%q is not published for %s", n, in.CAS)
		}
	}
	return nil
}

// ToxicFootprint is the footprint out to one endpoint.
type ToxicFootprint struct {
	Endpoint  Endpoint        `json:"endpoint"`
	Footprint FootprintOutput `json:"footprint"`
}

// ToxicFootprintOutput holds one footprint per endpoint, most severe first.
type ToxicFootprintOutput struct {
	Chemical   Chemical         `json:"chemical"`
	Footprints []ToxicFootprint `json:"footprints"`
}

// ToxicFootprints returns the plume footprint out to each endpoint of the
// chemical (AEGL-1/2/3 unless others are named), converting ppm to mg/m³ at
// 25 °C. Valid as the plume is.
func ToxicFootprints(in ToxicFootprintInput) (ToxicFootprintOutput, error) {
	if err := in.Validate(); err != nil {
		return ToxicFootprintOutput{}, err
	}
	cas := strings.TrimSpace(in.CAS)
	want := in.EndpointNames
	if len(want) == 0 {
		want = []string{"AEGL-3", "AEGL-2", "AEGL-1"}
	}
	out := ToxicFootprintOutput{Chemical: tables.chemicals[cas], Footprints: []ToxicFootprint{}}
	for _, w := range want {
		for _, e := range tables.endpoints[cas] {
			if e.Name != w {
				continue
			}
			fp, err := in.PlumeSource.footprint(e.MgM3)
			if err != nil {
				return ToxicFootprintOutput{}, err
			}
			out.Footprints = append(out.Footprints, ToxicFootprint{Endpoint: e, Footprint: fp})
		}
	}
	return out, nil
}
