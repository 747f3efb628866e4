package dispatch

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"parktwin/twin"
	"parktwin/twin/msg"
)

// Line is equipment taken from one warehouse for an incident.
type Line struct {
	Type      string   `json:"type"`
	Warehouse string   `json:"warehouse"`
	Quantity  float64  `json:"quantity"`
	Unit      string   `json:"unit"`
	EtaS      float64  `json:"etaS"`
	Items     []string `json:"items,omitempty"` // serial numbers of serialized equipment
	Reason    string   `json:"reason"`
	// ReasonMsg is Reason as messages (messages.go).
	ReasonMsg []msg.Msg `json:"reasonMsg,omitempty"`
	// Vehicle, set by the operator, is the vehicle that carries the line
	// to the scene: releasing the vehicle gives the line back.
	Vehicle string `json:"vehicle,omitempty"`
}

// Shortfall is what the park cannot supply. Reason says why when it is
// not simply that the park has too few ("unreachable: …").
type Shortfall struct {
	What      string  `json:"what"`
	Needed    float64 `json:"needed"`
	Available float64 `json:"available"`
	Unit      string  `json:"unit"`
	Reason    string  `json:"reason,omitempty"`
	// WhatMsg and ReasonMsg are What and Reason as messages
	// (messages.go), for the console to render in its language; WhatMsg
	// is unset when What is an equipment type's id.
	WhatMsg   *msg.Msg  `json:"whatMsg,omitempty"`
	ReasonMsg []msg.Msg `json:"reasonMsg,omitempty"`
}

// String reads like "foam-ar-afff-3: need 4,300 L, available 2,800 L",
// or "vehicle foam-tender: need 3 units, 0 sent — unreachable: …".
func (s Shortfall) String() string {
	if s.Reason != "" {
		return fmt.Sprintf("%s: need %s %s, %s sent — %s", s.What, thousands(s.Needed), s.Unit, thousands(s.Available), s.Reason)
	}
	return fmt.Sprintf("%s: need %s %s, available %s %s", s.What, thousands(s.Needed), s.Unit, thousands(s.Available), s.Unit)
}

// Allocate takes every equipment requirement from the warehouses: tier
// by tier in the rules' order, within a tier the nearest first (by road,
// towards the incident), splitting a line over warehouses when one is
// short. Only what may be lent is offered: available items past no
// inspection date, bulk stock not expired, times the tier's share; an
// enterprise's own warehouse lends to that enterprise alone when the
// rules say so. What cannot be found is a shortfall.
func (r *Rules) Allocate(s *twin.Snapshot, in *Inbound, now time.Time, enterprise string, reqs []Requirement) ([]Line, []Shortfall) {
	need, order, units := map[string]float64{}, []string{}, map[string]string{}
	for _, q := range reqs {
		if q.What == CoolingWater {
			continue // carried by the fire apparatus
		}
		if _, ok := need[q.What]; !ok {
			order = append(order, q.What)
			units[q.What] = q.Unit
		}
		need[q.What] += q.Quantity
	}
	type source struct {
		wh   *twin.Warehouse
		rule TierRule
		rank int
		eta  float64
	}
	var sources []source
	for wh := range twin.All[*twin.Warehouse](s) {
		rank := slices.IndexFunc(r.EquipmentTiers, func(t TierRule) bool { return t.Tier == wh.Tier.String() })
		if rank < 0 {
			continue // the rules do not lend from this tier
		}
		rule := r.EquipmentTiers[rank]
		if rule.OwnEnterpriseOnly && wh.Tier == twin.TierEnterprise && wh.Enterprise != enterprise {
			continue
		}
		route, ok := in.From(wh.Position)
		if !ok {
			continue
		}
		sources = append(sources, source{wh, rule, rank, route.Travel.Seconds()})
	}
	slices.SortFunc(sources, func(a, b source) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.eta, b.eta), cmp.Compare(a.wh.ID, b.wh.ID))
	})

	var lines []Line
	var short []Shortfall
	for _, what := range order {
		left := need[what]
		found := 0.0
		for _, src := range sources {
			if left <= 0 {
				break
			}
			avail, unit, serials := lendable(s, src.wh, what, now, src.rule.Lend)
			if avail <= 0 {
				continue
			}
			take := math.Min(avail, left)
			l := Line{Type: what, Warehouse: src.wh.ID, Quantity: take, Unit: unit, EtaS: math.Round(src.eta)}
			if serials != nil {
				l.Items = serials[:int(take)]
			}
			l.ReasonMsg = []msg.Msg{msg.New("plan.line", "take", thousands(take), "unit", unit, "warehouse", src.wh.Name,
				"tier", src.wh.Tier.String(), "lend", num0(src.rule.Lend*100), "avail", thousands(avail), "eta", num0(src.eta))}
			l.Reason = english(l.ReasonMsg...)
			lines = append(lines, l)
			left -= take
			found += take
		}
		if left > 1e-9 {
			short = append(short, Shortfall{What: what, Needed: need[what], Available: found, Unit: units[what]})
		}
	}
	return lines, short
}

// lendable returns how much of an equipment type a warehouse may lend now,
// as its ledger leaves it: items available, inspected and within their
// life, lots not expired nor overdue for their test (twin.TypeStock.Ready),
// times the share lent; and the serials, for serialized stock.
func lendable(s *twin.Snapshot, wh *twin.Warehouse, what string, now time.Time, share float64) (float64, string, []string) {
	ts := s.Stock(wh.ID).Type(what)
	if ts == nil {
		return 0, "", nil
	}
	q, serials := ts.Ready(now)
	n := math.Floor(q * share)
	if ts.Serialized() {
		return n, ts.Unit, serials[:int(n)]
	}
	return n, ts.Unit, nil
}

// thousands writes a quantity with thousands separators: 4,300.
func thousands(v float64) string {
	s := fmt.Sprintf("%.0f", math.Round(v))
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	out := []byte{}
	for i, c := range []byte(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, c)
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}
