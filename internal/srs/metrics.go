package srs

import "math"

// This file holds the open FSRS benchmark's measures of predicted recall,
// shared by the optimiser's report and the quality benchmark.

// prediction is a model's probability of recall for one scored review, and
// what happened.
type prediction struct {
	p       float64
	y       float64 // 1 recalled (rating > 1), 0 forgotten
	elapsed float64 // days since the card's previous review
	i       int     // the review's number among its card's review days
	lapses  int     // failed reviews on earlier days
}

// rmseBins is the open benchmark's RMSE(bins): reviews grouped by interval,
// review number and lapses, each on a log scale; the weighted RMSE between
// each group's mean prediction and mean outcome.
func rmseBins(ps []prediction) float64 {
	type key struct{ dt, i, lapse float64 }
	type agg struct{ p, y, n float64 }
	groups := map[key]*agg{}
	var order []*agg // first appearance, so that the sum is reproducible
	bucket := func(x, a, b float64) float64 {
		return math.Round(a*math.Pow(b, math.Floor(math.Log(x)/math.Log(b)))*100) / 100
	}
	for _, p := range ps {
		k := key{dt: bucket(max(p.elapsed, 1e-6), 2.48, 3.62), i: math.Round(bucket(float64(p.i), 1.99, 1.89))}
		if p.lapses > 0 {
			k.lapse = math.Round(bucket(float64(p.lapses), 1.65, 1.73))
		}
		g := groups[k]
		if g == nil {
			g = &agg{}
			groups[k] = g
			order = append(order, g)
		}
		g.p += p.p
		g.y += p.y
		g.n++
	}
	var sum, n float64
	for _, g := range order {
		d := g.p/g.n - g.y/g.n
		sum += g.n * d * d
		n += g.n
	}
	return math.Sqrt(sum / n)
}
