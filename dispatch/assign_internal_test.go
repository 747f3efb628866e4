package dispatch

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The method's total equals the best of every assignment, on small random
// problems with forbidden pairs.
func TestAssignIsOptimal(t *testing.T) {
	inf := math.Inf(1)
	for seed := range uint64(300) {
		rng := rand.New(rand.NewPCG(seed, 11))
		rows, cols := 1+rng.IntN(4), 1+rng.IntN(6)
		cost := make([][]float64, rows)
		for i := range cost {
			cost[i] = make([]float64, cols)
			for j := range cost[i] {
				cost[i][j] = float64(rng.IntN(100))
				if rng.IntN(4) == 0 {
					cost[i][j] = inf
				}
			}
		}
		got := assign(cost, cols)
		gotN, gotC := score(cost, got)
		bestN, bestC := brute(cost, cols)
		if gotN != bestN || gotC != bestC {
			t.Fatalf("seed %d: %v gives %d rows at %v; exhaustive %d rows at %v (%v)", seed, got, gotN, gotC, bestN, bestC, cost)
		}
	}
}

// score counts the rows served and their total cost.
func score(cost [][]float64, a []int) (int, float64) {
	n, c := 0, 0.0
	seen := map[int]bool{}
	for i, j := range a {
		if j < 0 {
			continue
		}
		if seen[j] || math.IsInf(cost[i][j], 1) {
			return -1, 0
		}
		seen[j] = true
		n++
		c += cost[i][j]
	}
	return n, c
}

// brute tries every assignment: most rows served first, then least cost.
func brute(cost [][]float64, cols int) (int, float64) {
	bestN, bestC := 0, 0.0
	a := make([]int, len(cost))
	var rec func(i int, used map[int]bool)
	rec = func(i int, used map[int]bool) {
		if i == len(cost) {
			n, c := score(cost, a)
			if n > bestN || (n == bestN && c < bestC) {
				bestN, bestC = n, c
			}
			return
		}
		a[i] = -1
		rec(i+1, used)
		for j := range cols {
			if !used[j] && !math.IsInf(cost[i][j], 1) {
				used[j] = true
				a[i] = j
				rec(i+1, used)
				used[j] = false
			}
		}
		a[i] = -1
	}
	rec(0, map[int]bool{})
	return bestN, bestC
}
