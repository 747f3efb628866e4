// Package simulate makes up live readings for a park's sensors, for
// demonstrations and drills: temperatures that follow the day and the
// season of the Shangyu climate, tank levels that rise and fall with
// transfers, vapour pressures that follow the temperature, gas detectors
// near zero, and now and then an excursion past a second limit that
// raises an alarm and then clears.
//
// Readings are deterministic: the same snapshot, seed and sequence of
// times give the same values. A Simulator is not safe for concurrent use;
// Run calls it from the goroutine that runs Run.
package simulate
