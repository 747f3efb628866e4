// Package hazard holds the consequence models of a chemical emergency: the
// Pasquill stability class, the Gaussian plume and puff, toxic endpoints, the
// pool fire, the BLEVE fireball, blast overpressure and the ERG 2016 tables.
//
// Each model is a pure function of an input struct to an output struct. Inputs
// and outputs are in SI units named in the field (MassKg, WindSpeedMS,
// DistanceM, ConcentrationMgM3); the JSON names follow the Go names. Each input
// has a Validate method that refuses impossible inputs and inputs outside the
// model's range of validity with a twin.Invalid error naming the field and the
// range; a model never returns NaN or Inf.
//
// The empirical constants, tables and their sources live in data/ (embedded),
// each marked with whether it was confirmed in a primary text; docs/models.md
// gives every formula, its source and the worked examples the tests check.
//
// The package imports twin only for its error type.
package hazard
