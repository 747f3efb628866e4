package dispatch

import "math"

// assign solves the assignment problem: cost[i][j] is the cost of giving
// column j to row i (math.Inf(1) where it may not), each row gets one
// column and each column serves at most one row, for the least total
// cost. It returns the column of each row (-1 where no column can be
// had) — the Hungarian method with potentials, O(rows² × columns).
func assign(cost [][]float64, cols int) []int {
	n := len(cost)
	out := make([]int, n)
	for i := range out {
		out[i] = -1
	}
	if n == 0 || cols == 0 {
		return out
	}
	// Rows that no column fits would make the problem infeasible: solve
	// without them.
	var rows []int
	for i, row := range cost {
		for _, c := range row {
			if !math.IsInf(c, 1) {
				rows = append(rows, i)
				break
			}
		}
	}
	// A large finite cost stands for "may not", so that the method always
	// completes; such pairs are dropped at the end.
	const forbidden = 1e12
	m := max(cols, len(rows))
	u := make([]float64, len(rows)+1)
	v := make([]float64, m+1)
	p := make([]int, m+1) // p[j]: the row (1-based) holding column j
	way := make([]int, m+1)
	at := func(i, j int) float64 {
		if j > cols {
			return forbidden // a dummy column for rows beyond the columns
		}
		c := cost[rows[i-1]][j-1]
		if math.IsInf(c, 1) {
			return forbidden
		}
		return c
	}
	for i := 1; i <= len(rows); i++ {
		p[0] = i
		j0 := 0
		minv := make([]float64, m+1)
		used := make([]bool, m+1)
		for j := range minv {
			minv[j] = math.Inf(1)
		}
		for {
			used[j0] = true
			i0, delta, j1 := p[j0], math.Inf(1), 0
			for j := 1; j <= m; j++ {
				if used[j] {
					continue
				}
				cur := at(i0, j) - u[i0] - v[j]
				if cur < minv[j] {
					minv[j], way[j] = cur, j0
				}
				if minv[j] < delta {
					delta, j1 = minv[j], j
				}
			}
			for j := 0; j <= m; j++ {
				if used[j] {
					u[p[j]] += delta
					v[j] -= delta
				} else {
					minv[j] -= delta
				}
			}
			j0 = j1
			if p[j0] == 0 {
				break
			}
		}
		for j0 != 0 {
			j1 := way[j0]
			p[j0] = p[j1]
			j0 = j1
		}
	}
	for j := 1; j <= cols; j++ {
		if i := p[j]; i > 0 && at(i, j) < forbidden {
			out[rows[i-1]] = j - 1
		}
	}
	return out
}
