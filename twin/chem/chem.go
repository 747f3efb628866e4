// Package chem holds the park's built-in chemical catalogue: every
// substance named in GB 18218-2018 Table 1 that the project uses, the
// solvents, intermediates and acids a fine-chemical park stores besides
// them, and the corrosives outside the standard.
//
// Figures are the common handbook values. DensityKgM3 is the density of
// the substance as stored: the liquid for liquids and liquefied gases
// (chlorine, ammonia and LPG at the figures the project fixed, the other
// liquefied gases near their boiling point or storage temperature), the
// gas at a typical cylinder-bank pressure of 20 MPa for the compressed
// gases. HazardClass is the GB 18218 Table 2 row that a GHS
// classification gives: for a toxic gas its health row, for a flammable
// its physical row unless toxicity is what makes it a hazard; Table 2
// rows of substances outside Table 1 are marked [unverified] in
// domain.md §8 and kept here as data. Beta is the named-toxic-gas β where
// the standard lists one, else the β of HazardClass.
package chem

import (
	"slices"
	"strings"

	"parktwin/twin"
)

// Catalogue returns the built-in chemicals, sorted by CAS number. Every
// call returns new values that the caller may keep or change.
func Catalogue() []*twin.Chemical {
	cs := make([]*twin.Chemical, len(catalogue))
	for i, c := range catalogue {
		if c.FlashPointC != nil {
			fp := *c.FlashPointC
			c.FlashPointC = &fp
		}
		cs[i] = &c
	}
	slices.SortFunc(cs, func(a, b *twin.Chemical) int { return strings.Compare(a.CAS, b.CAS) })
	return cs
}

// flash returns a pointer to a flash point, so the table reads plainly.
func flash(c float64) *float64 { return &c }

// catalogue is the table behind Catalogue; it is copied, never handed out.
var catalogue = []twin.Chemical{
	// GB 18218-2018 Table 1, with the critical quantities of domain.md §2.
	{CAS: "7782-50-5", NameZh: "氯", NameEn: "Chlorine", UN: 1017, Phase: twin.LiquefiedGas,
		DensityKgM3: 1470, ToxicGas: true, HazardClass: "J3", CriticalQT: 5, Beta: 4},
	{CAS: "7664-41-7", NameZh: "氨", NameEn: "Ammonia, anhydrous", UN: 1005, Phase: twin.LiquefiedGas,
		DensityKgM3: 682, WaterSoluble: true, ToxicGas: true, HazardClass: "W2", CriticalQT: 10, Beta: 2},
	{CAS: "1333-74-0", NameZh: "氢", NameEn: "Hydrogen, compressed", UN: 1049, Phase: twin.Gas,
		DensityKgM3: 15, HazardClass: "W2", CriticalQT: 5, Beta: 1.5},
	{CAS: "68476-85-7", NameZh: "液化石油气", NameEn: "Liquefied petroleum gas", UN: 1075, Phase: twin.LiquefiedGas,
		DensityKgM3: 540, FlashPointC: flash(-74), HazardClass: "W2", CriticalQT: 50, Beta: 1.5},
	{CAS: "74-82-8", NameZh: "甲烷、天然气", NameEn: "Methane, natural gas, compressed", UN: 1971, Phase: twin.Gas,
		DensityKgM3: 160, FlashPointC: flash(-188), HazardClass: "W2", CriticalQT: 50, Beta: 1.5},
	{CAS: "67-56-1", NameZh: "甲醇", NameEn: "Methanol", UN: 1230, Phase: twin.Liquid,
		DensityKgM3: 791, FlashPointC: flash(11), WaterSoluble: true, HazardClass: "W5.3", CriticalQT: 500, Beta: 1},
	{CAS: "64-17-5", NameZh: "乙醇", NameEn: "Ethanol", UN: 1170, Phase: twin.Liquid,
		DensityKgM3: 789, FlashPointC: flash(13), WaterSoluble: true, HazardClass: "W5.3", CriticalQT: 500, Beta: 1},
	{CAS: "67-64-1", NameZh: "丙酮", NameEn: "Acetone", UN: 1090, Phase: twin.Liquid,
		DensityKgM3: 790, FlashPointC: flash(-20), WaterSoluble: true, HazardClass: "W5.3", CriticalQT: 500, Beta: 1},
	{CAS: "71-43-2", NameZh: "苯", NameEn: "Benzene", UN: 1114, Phase: twin.Liquid,
		DensityKgM3: 879, FlashPointC: flash(-11), HazardClass: "W5.3", CriticalQT: 50, Beta: 1},
	{CAS: "108-88-3", NameZh: "甲苯", NameEn: "Toluene", UN: 1294, Phase: twin.Liquid,
		DensityKgM3: 867, FlashPointC: flash(4), HazardClass: "W5.3", CriticalQT: 500, Beta: 1},
	{CAS: "100-42-5", NameZh: "苯乙烯", NameEn: "Styrene", UN: 2055, Phase: twin.Liquid,
		DensityKgM3: 906, FlashPointC: flash(31), HazardClass: "W5.4", CriticalQT: 500, Beta: 1},
	{CAS: "107-13-1", NameZh: "丙烯腈", NameEn: "Acrylonitrile", UN: 1093, Phase: twin.Liquid,
		DensityKgM3: 806, FlashPointC: flash(-1), WaterSoluble: true, HazardClass: "W5.3", CriticalQT: 50, Beta: 1},
	{CAS: "7783-06-4", NameZh: "硫化氢", NameEn: "Hydrogen sulfide", UN: 1053, Phase: twin.LiquefiedGas,
		DensityKgM3: 916, FlashPointC: flash(-82.4), ToxicGas: true, HazardClass: "J3", CriticalQT: 5, Beta: 5},
	{CAS: "75-44-5", NameZh: "光气", NameEn: "Phosgene", UN: 1076, Phase: twin.LiquefiedGas,
		DensityKgM3: 1432, ToxicGas: true, HazardClass: "J1", CriticalQT: 0.3, Beta: 20},
	{CAS: "7446-09-5", NameZh: "二氧化硫", NameEn: "Sulfur dioxide", UN: 1079, Phase: twin.LiquefiedGas,
		DensityKgM3: 1460, WaterSoluble: true, ToxicGas: true, HazardClass: "J3", CriticalQT: 20, Beta: 2},
	// Hydrogen cyanide boils at 26 °C: stored as a stabilised liquid, it
	// is still released as a toxic gas; J4 is the row of inhalation
	// toxicity of liquids boiling at or below 35 °C.
	{CAS: "74-90-8", NameZh: "氰化氢", NameEn: "Hydrogen cyanide, stabilized", UN: 1051, Phase: twin.Liquid,
		DensityKgM3: 687, FlashPointC: flash(-18), WaterSoluble: true, ToxicGas: true, HazardClass: "J4", CriticalQT: 1, Beta: 10},
	{CAS: "75-21-8", NameZh: "环氧乙烷", NameEn: "Ethylene oxide", UN: 1040, Phase: twin.LiquefiedGas,
		DensityKgM3: 882, FlashPointC: flash(-18), WaterSoluble: true, ToxicGas: true, HazardClass: "W2", CriticalQT: 10, Beta: 2},
	{CAS: "75-56-9", NameZh: "环氧丙烷", NameEn: "Propylene oxide", UN: 1280, Phase: twin.Liquid,
		DensityKgM3: 830, FlashPointC: flash(-37), WaterSoluble: true, HazardClass: "W5.1", CriticalQT: 10, Beta: 1.5},
	{CAS: "75-01-4", NameZh: "氯乙烯", NameEn: "Vinyl chloride, stabilized", UN: 1086, Phase: twin.LiquefiedGas,
		DensityKgM3: 910, FlashPointC: flash(-78), HazardClass: "W2", CriticalQT: 50, Beta: 1.5},
	{CAS: "86290-81-5", NameZh: "汽油", NameEn: "Gasoline", UN: 1203, Phase: twin.Liquid,
		DensityKgM3: 730, FlashPointC: flash(-43), HazardClass: "W5.1", CriticalQT: 200, Beta: 1.5},
	{CAS: "7697-37-2", NameZh: "硝酸（含硝酸>70%）", NameEn: "Nitric acid, more than 70 %", UN: 2031, Phase: twin.Liquid,
		DensityKgM3: 1500, WaterSoluble: true, HazardClass: "W9.2", CriticalQT: 100, Beta: 1},
	{CAS: "7647-01-0", NameZh: "氯化氢（无水）", NameEn: "Hydrogen chloride, anhydrous", UN: 1050, Phase: twin.LiquefiedGas,
		DensityKgM3: 1190, WaterSoluble: true, ToxicGas: true, HazardClass: "J3", CriticalQT: 20, Beta: 3},
	{CAS: "7664-39-3", NameZh: "氟化氢（无水）", NameEn: "Hydrogen fluoride, anhydrous", UN: 1052, Phase: twin.LiquefiedGas,
		DensityKgM3: 990, WaterSoluble: true, ToxicGas: true, HazardClass: "J4", CriticalQT: 1, Beta: 5},
	// Formaldehyde above 90 % (CAS 50-00-0) is the gas, kept liquefied:
	// not paraformaldehyde (CAS 30525-89-4, UN 2213, a flammable solid),
	// whose UN number and class it used to carry. Table 1 gives it no UN
	// number and the dangerous-goods list none for the anhydrous gas; GHS
	// acute toxicity category 3 by inhalation, a gas → J3, β 2; the
	// density is the liquid's at its boiling point (−19 °C) [unverified].
	{CAS: "50-00-0", NameZh: "甲醛（含量>90%）", NameEn: "Formaldehyde, more than 90 %", Phase: twin.LiquefiedGas,
		DensityKgM3: 815, WaterSoluble: true, ToxicGas: true, HazardClass: "J3", CriticalQT: 5, Beta: 2},
	{CAS: "106-89-8", NameZh: "环氧氯丙烷", NameEn: "Epichlorohydrin", UN: 2023, Phase: twin.Liquid,
		DensityKgM3: 1180, FlashPointC: flash(31), WaterSoluble: true, HazardClass: "J5", CriticalQT: 20, Beta: 1},
	{CAS: "26471-62-5", NameZh: "甲苯二异氰酸酯", NameEn: "Toluene diisocyanate (TDI)", UN: 2078, Phase: twin.Liquid,
		DensityKgM3: 1220, FlashPointC: flash(127), HazardClass: "J5", CriticalQT: 100, Beta: 1},
	{CAS: "106-99-0", NameZh: "1,3-丁二烯", NameEn: "1,3-Butadiene, stabilized", UN: 1010, Phase: twin.LiquefiedGas,
		DensityKgM3: 621, FlashPointC: flash(-76), HazardClass: "W2", CriticalQT: 5, Beta: 1.5},
	{CAS: "110-82-7", NameZh: "环己烷", NameEn: "Cyclohexane", UN: 1145, Phase: twin.Liquid,
		DensityKgM3: 779, FlashPointC: flash(-20), HazardClass: "W5.3", CriticalQT: 500, Beta: 1},
	{CAS: "141-78-6", NameZh: "乙酸乙酯", NameEn: "Ethyl acetate", UN: 1173, Phase: twin.Liquid,
		DensityKgM3: 902, FlashPointC: flash(-4), WaterSoluble: true, HazardClass: "W5.3", CriticalQT: 500, Beta: 1},
	{CAS: "110-54-3", NameZh: "正己烷", NameEn: "n-Hexane", UN: 1208, Phase: twin.Liquid,
		DensityKgM3: 659, FlashPointC: flash(-22), HazardClass: "W5.3", CriticalQT: 500, Beta: 1},
	{CAS: "75-15-0", NameZh: "二硫化碳", NameEn: "Carbon disulfide", UN: 1131, Phase: twin.Liquid,
		DensityKgM3: 1263, FlashPointC: flash(-30), HazardClass: "W5.3", CriticalQT: 50, Beta: 1},
	{CAS: "7782-44-7", NameZh: "氧（液化的）", NameEn: "Oxygen, refrigerated liquid", UN: 1073, Phase: twin.LiquefiedGas,
		DensityKgM3: 1141, HazardClass: "W4", CriticalQT: 200, Beta: 1},

	// Stored widely in the zone, outside Table 1: Q from the Table 2 row
	// (domain.md §8, [unverified]).
	{CAS: "108-90-7", NameZh: "氯苯", NameEn: "Chlorobenzene", UN: 1134, Phase: twin.Liquid,
		DensityKgM3: 1106, FlashPointC: flash(28), HazardClass: "W5.4", CriticalQT: 5000, Beta: 1},
	// Nitrobenzene, aniline and phenol are acute toxicity category 3
	// with flash points above 60 °C: GB 18218-2018 Table 2's J5 covers
	// category 2 only (J4 category 2–3 liquids only by inhalation with a
	// boiling point ≤ 35 °C), and no flammability class reaches them, so
	// they fall outside the standard: no class, Q or β (domain.md §8;
	// issue 13, point 11).
	{CAS: "98-95-3", NameZh: "硝基苯", NameEn: "Nitrobenzene", UN: 1662, Phase: twin.Liquid,
		DensityKgM3: 1199, FlashPointC: flash(88)},
	{CAS: "62-53-3", NameZh: "苯胺", NameEn: "Aniline", UN: 1547, Phase: twin.Liquid,
		DensityKgM3: 1022, FlashPointC: flash(70), WaterSoluble: true},
	{CAS: "68-12-2", NameZh: "N,N-二甲基甲酰胺", NameEn: "N,N-Dimethylformamide", UN: 2265, Phase: twin.Liquid,
		DensityKgM3: 944, FlashPointC: flash(58), WaterSoluble: true, HazardClass: "W5.4", CriticalQT: 5000, Beta: 1},
	{CAS: "1330-20-7", NameZh: "二甲苯（混合异构体）", NameEn: "Xylene, mixed isomers", UN: 1307, Phase: twin.Liquid,
		DensityKgM3: 864, FlashPointC: flash(27), HazardClass: "W5.4", CriticalQT: 5000, Beta: 1},
	// Phenol is kept molten in heated tanks (it melts at 41 °C).
	{CAS: "108-95-2", NameZh: "苯酚", NameEn: "Phenol, molten", UN: 2312, Phase: twin.Liquid,
		DensityKgM3: 1070, FlashPointC: flash(79), WaterSoluble: true},
	{CAS: "64-19-7", NameZh: "乙酸（冰醋酸）", NameEn: "Acetic acid, glacial", UN: 2789, Phase: twin.Liquid,
		DensityKgM3: 1049, FlashPointC: flash(39), WaterSoluble: true, HazardClass: "W5.4", CriticalQT: 5000, Beta: 1},

	// Corrosive only: outside GB 18218, so no class, Q or β. Hydrochloric
	// acid solution (UN 1789) shares the CAS number of anhydrous hydrogen
	// chloride above and is left out, since a chemical's ID is its CAS.
	{CAS: "7664-93-9", NameZh: "硫酸（98%）", NameEn: "Sulfuric acid, 98 %", UN: 1830, Phase: twin.Liquid,
		DensityKgM3: 1840, WaterSoluble: true},
	{CAS: "1310-73-2", NameZh: "氢氧化钠溶液（液碱32%）", NameEn: "Sodium hydroxide solution, 32 %", UN: 1824, Phase: twin.Liquid,
		DensityKgM3: 1350, WaterSoluble: true},
}
