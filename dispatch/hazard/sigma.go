package hazard

import (
	"math"
	"strings"

	"parktwin/twin"
)

// Dispersion schemes for the continuous plume.
const (
	BriggsRural     = "briggs-rural"
	BriggsUrban     = "briggs-urban"
	PasquillGifford = "pasquill-gifford"
)

// classes parses a stability class: one letter A-F or two adjacent ones
// ("A-B"), whose sigmas are averaged as Turner (1970) advises.
func classes(field, s string) ([]string, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	ok := func(c string) bool { return len(c) == 1 && c[0] >= 'A' && c[0] <= 'F' }
	if ok(s) {
		return []string{s}, nil
	}
	if a, b, found := strings.Cut(s, "-"); found && ok(a) && ok(b) && b[0] == a[0]+1 {
		return []string{a, b}, nil
	}
	return nil, twin.Invalid(field, "must be a Pasquill class A to F, or two adjacent ones such as B-C (got %q)", s)
}

func validScheme(s string) error {
	switch s {
	case BriggsRural, BriggsUrban, PasquillGifford:
		return nil
	}
	return twin.Invalid("dispersion", "must be %s, %s or %s (got %q)", BriggsRural, BriggsUrban, PasquillGifford, s)
}

// sigmas returns sigma_y and sigma_z (m) at x metres downwind for a
// continuous plume, averaged over the classes given.
func sigmas(scheme string, cls []string, x float64) (sy, sz float64) {
	for _, c := range cls {
		y, z := sigma1(scheme, c, x)
		sy += y
		sz += z
	}
	n := float64(len(cls))
	return sy / n, sz / n
}

func sigma1(scheme, c string, x float64) (sy, sz float64) {
	switch scheme {
	case BriggsRural, BriggsUrban:
		rows := tables.sigma.Briggs.Rural
		if scheme == BriggsUrban {
			rows = tables.sigma.Briggs.Urban
		}
		r := rows[c]
		f := func(k coef) float64 { return k.A * x * math.Pow(1+k.B*x, k.P) }
		return f(r.Y), f(r.Z)
	default:
		km := x / 1000
		y := tables.sigma.PasquillGifford.Y[c]
		th := 0.017453293 * (y.C - y.D*math.Log(km))
		sy = 465.11628 * km * math.Tan(th)
		for _, r := range tables.sigma.PasquillGifford.Z[c] {
			if km <= r.XMaxKm {
				sz = math.Min(r.A*math.Pow(km, r.B), 5000)
				break
			}
		}
		return sy, sz
	}
}

// puffSigmas returns sigma_x = sigma_y and sigma_z (m) of an instantaneous
// puff at x metres, averaged over the classes given.
func puffSigmas(cls []string, x float64) (sy, sz float64) {
	for _, c := range cls {
		r := tables.puff[c]
		sy += r.YA * math.Pow(x, r.YB)
		sz += r.ZA * math.Pow(x, r.ZB)
	}
	n := float64(len(cls))
	return sy / n, sz / n
}
