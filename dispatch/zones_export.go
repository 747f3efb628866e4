package dispatch

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/paulmach/orb/geojson"

	"parktwin/twin/msg"
)

// The zones as the API gives them: a GeoJSON FeatureCollection (RFC 7946,
// with the incident's figures as foreign members), and an OASIS CAP 1.2
// alert whose areas are the zones.

// ZoneMeta is what a FeatureCollection of an incident's zones says
// besides its features.
type ZoneMeta struct {
	Incident     string           `json:"incident"`
	IncidentType string           `json:"incidentType"`
	Level        string           `json:"level"`
	Seq          uint64           `json:"seq"`
	At           string           `json:"at"`
	Position     []float64        `json:"position"`
	Source       Source           `json:"source"`
	Weather      any              `json:"weather"`
	Stability    *Stability       `json:"stability,omitempty"`
	Night        bool             `json:"night"`
	DownwindDeg  *float64         `json:"downwindDeg,omitempty"`
	Hot          []string         `json:"hot"`
	Evacuation   []EvacuationLine `json:"evacuation"`
	Notes        []string         `json:"notes"`
	NoteMsgs     [][]msg.Msg      `json:"noteMsgs"`
}

// Meta returns the collection's members besides its features.
func (z *IncidentZones) Meta() ZoneMeta {
	m := ZoneMeta{Incident: z.Incident, IncidentType: z.Type, Level: z.Level, Seq: z.Seq, At: z.At.Format(time.RFC3339),
		Position: []float64{z.Position[0], z.Position[1]}, Source: z.Source, Weather: z.Weather, Stability: z.Stability,
		Night: z.Night, DownwindDeg: z.DownwindDeg, Hot: []string{}, Evacuation: z.Evacuation, Notes: z.Notes, NoteMsgs: z.NoteMsgs}
	for _, h := range z.Hot() {
		m.Hot = append(m.Hot, h.ID)
	}
	return m
}

// zoneFeature is one zone as a GeoJSON Feature.
type zoneFeature struct {
	Type       string            `json:"type"`
	ID         string            `json:"id"`
	Geometry   *geojson.Geometry `json:"geometry"`
	Properties zoneProps         `json:"properties"`
}

type zoneProps struct {
	Incident string `json:"incident"`
	Zone
}

// Features returns the zones as GeoJSON Features, each naming its
// incident.
func (z *IncidentZones) Features() []any {
	out := make([]any, len(z.Zones))
	for i, zn := range z.Zones {
		out[i] = zoneFeature{Type: "Feature", ID: zn.ID, Geometry: geojson.NewGeometry(zn.Polygon),
			Properties: zoneProps{Incident: z.Incident, Zone: zn}}
	}
	return out
}

// FeatureCollection returns the zones as a FeatureCollection with the
// incident's figures (ZoneMeta) as foreign members.
func (z *IncidentZones) FeatureCollection() ([]byte, error) {
	type fc struct {
		Type string `json:"type"`
		ZoneMeta
		Features []any `json:"features"`
	}
	return json.Marshal(fc{Type: "FeatureCollection", ZoneMeta: z.Meta(), Features: z.Features()})
}

// CAP 1.2 (OASIS Common Alerting Protocol v1.2, 2010).

// CAPNamespace is CAP 1.2's XML namespace.
const CAPNamespace = "urn:oasis:names:tc:emergency:cap:1.2"

// CAPAlert is a CAP 1.2 alert, in the standard's element order.
type CAPAlert struct {
	XMLName    xml.Name  `xml:"urn:oasis:names:tc:emergency:cap:1.2 alert"`
	Identifier string    `xml:"identifier"`
	Sender     string    `xml:"sender"`
	Sent       string    `xml:"sent"`
	Status     string    `xml:"status"`
	MsgType    string    `xml:"msgType"`
	Source     string    `xml:"source,omitempty"`
	Scope      string    `xml:"scope"`
	Note       string    `xml:"note,omitempty"`
	Incidents  string    `xml:"incidents,omitempty"`
	Info       []CAPInfo `xml:"info"`
}

// CAPInfo is one language's information block.
type CAPInfo struct {
	Language     string         `xml:"language"`
	Category     []string       `xml:"category"`
	Event        string         `xml:"event"`
	ResponseType []string       `xml:"responseType"`
	Urgency      string         `xml:"urgency"`
	Severity     string         `xml:"severity"`
	Certainty    string         `xml:"certainty"`
	SenderName   string         `xml:"senderName,omitempty"`
	Headline     string         `xml:"headline,omitempty"`
	Description  string         `xml:"description,omitempty"`
	Instruction  string         `xml:"instruction,omitempty"`
	Parameter    []CAPParameter `xml:"parameter"`
	Area         []CAPArea      `xml:"area"`
}

// CAPParameter is a name and a value.
type CAPParameter struct {
	ValueName string `xml:"valueName"`
	Value     string `xml:"value"`
}

// CAPArea is one zone: a polygon ("lat,lon" pairs, closed) or a circle
// ("lat,lon radius-km").
type CAPArea struct {
	AreaDesc string   `xml:"areaDesc"`
	Polygon  []string `xml:"polygon"`
	Circle   []string `xml:"circle"`
}

// CAPOptions are what the alert says of its sender.
type CAPOptions struct {
	Sender     string // no spaces or commas, e.g. parktwin@shangyu
	SenderName string
	Exercise   bool // a drill's or a sandbox's zones: status Exercise
	Twin       string
}

// capTime is CAP's dateTime: seconds, an explicit offset, "-00:00" for UTC.
func capTime(t time.Time) string {
	s := t.Format("2006-01-02T15:04:05-07:00")
	return strings.Replace(s, "+00:00", "-00:00", 1)
}

// CAP returns the zones as a CAP 1.2 alert: one info block in Chinese and
// one in English, each zone an area.
func (z *IncidentZones) CAP(o CAPOptions) CAPAlert {
	status := "Actual"
	if o.Exercise {
		status = "Exercise"
	}
	twinName := strings.NewReplacer(" ", "-", ",", "-").Replace(cmpOr(o.Twin, "live"))
	a := CAPAlert{
		Identifier: fmt.Sprintf("parktwin-%s-%s-%d", twinName, z.Incident, z.Seq),
		Sender:     cmpOr(o.Sender, "parktwin"),
		Sent:       capTime(z.At.In(beijing)),
		Status:     status,
		MsgType:    "Alert",
		Source:     "parktwin consequence zones (docs/zones.md)",
		Scope:      "Public",
		Incidents:  z.Incident,
	}
	for _, lang := range []string{"zh-CN", "en-US"} {
		a.Info = append(a.Info, z.capInfo(lang, o))
	}
	return a
}

var beijing = time.FixedZone("CST", 8*3600)

func (z *IncidentZones) capInfo(lang string, o CAPOptions) CAPInfo {
	zh := lang == "zh-CN"
	pick := func(c, e string) string {
		if zh {
			return c
		}
		return e
	}
	category := "CBRNE"
	switch z.Type {
	case "tank-fire", "pool-fire":
		category = "Fire"
	}
	response := []string{"Evacuate", "Shelter"}
	if category == "Fire" {
		response = []string{"Evacuate"}
	}
	in := CAPInfo{Language: lang, Category: []string{category},
		Event:        pick(incidentZh[z.Type], z.Type) + " — " + z.Source.ChemicalName,
		ResponseType: response, Urgency: "Immediate", Severity: "Severe", Certainty: "Observed",
		SenderName: o.SenderName}
	if z.Level == "I" || z.Level == "II" {
		in.Severity = "Extreme"
	}
	in.Headline = pick(fmt.Sprintf("%s %s（%s级响应）", z.Incident, incidentZh[z.Type], z.Level),
		fmt.Sprintf("%s %s (level %s response)", z.Incident, z.Type, z.Level))
	var desc []string
	if z.Weather != nil {
		desc = append(desc, pick(fmt.Sprintf("风从 %.0f° 吹来，%.1f m/s", z.Weather.WindFromDeg, z.Weather.WindSpeedMS),
			fmt.Sprintf("wind from %.0f° at %.1f m/s", z.Weather.WindFromDeg, z.Weather.WindSpeedMS)))
	}
	desc = append(desc, pick(fmt.Sprintf("释放 %.2f kg/s，持续 %.0f s", z.Source.RateKgS, z.Source.DurationS),
		fmt.Sprintf("release %.2f kg/s for %.0f s", z.Source.RateKgS, z.Source.DurationS)))
	in.Description = strings.Join(desc, pick("；", "; "))
	in.Instruction = pick("隔离区内人员立即撤离；防护行动区内按指挥部指令疏散或就地避难，关闭门窗和通风。",
		"Leave the isolation zone at once; in the protective action area evacuate or shelter in place as the command orders, closing doors, windows and ventilation.")
	in.Parameter = append(in.Parameter, CAPParameter{ValueName: "chemicalCAS", Value: z.Source.Chemical})
	if z.Source.UN > 0 {
		in.Parameter = append(in.Parameter, CAPParameter{ValueName: "UN", Value: fmt.Sprintf("UN%04d", z.Source.UN)})
	}
	for _, zn := range z.Zones {
		ar := CAPArea{AreaDesc: pick(zoneKindZh[zn.Kind]+" "+zn.Level, zn.Kind+" "+zn.Level)}
		if zn.Hot {
			ar.AreaDesc += pick("（危险区）", " (hot zone)")
		}
		if zn.Circle != nil {
			ar.Circle = []string{fmt.Sprintf("%s,%s %s", capCoord(zn.Circle.Centre[1]), capCoord(zn.Circle.Centre[0]),
				strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.3f", zn.Circle.RadiusM/1000), "0"), "."))}
		} else {
			ar.Polygon = []string{capPolygon(zn)}
		}
		in.Area = append(in.Area, ar)
	}
	return in
}

// capPolygon writes a zone's ring as CAP's "lat,lon" pairs, closed.
func capPolygon(zn Zone) string {
	if len(zn.Polygon) == 0 {
		return ""
	}
	ring := zn.Polygon[0]
	parts := make([]string, 0, len(ring))
	for _, p := range ring {
		parts = append(parts, capCoord(p[1])+","+capCoord(p[0]))
	}
	return strings.Join(parts, " ")
}

func capCoord(v float64) string {
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.6f", math.Round(v*1e6)/1e6), "0"), ".")
}

// The Chinese names of incident types and zone kinds, for CAP's zh-CN
// block.
var (
	incidentZh = map[string]string{"tank-fire": "储罐火灾", "pool-fire": "池火", "toxic-release": "有毒气体泄漏",
		"flammable-leak": "可燃物泄漏", "explosion": "爆炸", "confined-space": "有限空间事故",
		"vehicle-accident": "危化品车辆事故", "water-pollution": "水体污染"}
	zoneKindZh = map[string]string{ZoneIsolation: "初始隔离区", ZoneProtectiveAction: "防护行动区", ZoneToxic: "毒害区",
		ZoneThermal: "热辐射区", ZoneOverpressure: "超压区", ZoneBLEVE: "BLEVE 疏散区",
		ZoneFlammable: "可燃云区"}
)
