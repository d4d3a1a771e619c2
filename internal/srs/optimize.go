package srs

import (
	"errors"
	"math"
	"math/rand/v2"
	"sort"
)

// This file fits FSRS-6's 21 weights to a learner's review history the way
// the reference optimiser (fsrs-rs's compute_parameters, itself the Python
// fsrs-optimizer in Rust) does:
//
//   - one training item per review on a later day than the card's review
//     before it; same-day reviews only move the memory state;
//   - the initial stabilities w0–w3 first, from the outcome of each card's
//     first review on a later day, grouped by its first rating (pre-training);
//   - then binary cross-entropy of the predicted retrievability, each item
//     weighted by its recency (0.25 + 0.75·x³, x its rank in time in [0, 1]),
//     plus an L2 pull toward the starting weights scaled by the reference's
//     spread of each weight; Adam (lr 0.04) with a cosine schedule over 5
//     epochs of batches of about 512 items, the weights clipped to the
//     reference bounds after every step, the epoch of least loss kept.
//
// Gradients are exact, by forward-mode differentiation (dual numbers carrying
// the 21 partial derivatives through each card's replay), so one pass over a
// card gives its loss and gradient at the cost of about 21 replays, with no
// tape. Batches hold whole cards (in a seeded shuffle) rather than single
// items, so each card is replayed once per epoch rather than once per item:
// the loss summed over a card's items is the same either way.

// FSRSHistory is one card's reviews in order, for Optimize. FirstDay is the
// day number (any epoch, the same for every card) of the first review; the
// days of the later ones follow from their Elapsed. It only orders items in
// time, for the recency weighting.
type FSRSHistory struct {
	FirstDay int
	Reviews  []FSRSReview
}

// OptimizeOptions tune Optimize. The zero value is the reference's setting.
type OptimizeOptions struct {
	// Current are the weights in use (DefaultFSRSWeights when zero): the
	// fit starts from them, is pulled toward them, and gives way to them
	// when it does not lower the log loss.
	Current FSRSWeights
	Epochs  int     // 5
	Batch   int     // items per batch, about; 512
	Rate    float64 // Adam's initial learning rate; 0.04
	Seed    uint64  // of the batch shuffle; any fixed value is deterministic
}

// Minimum counts of training items the reference asks for: below
// MinOptimizeItems the weights stay as they are; below MinTrainItems only
// the initial stabilities w0–w3 are fitted.
const (
	MinOptimizeItems = 8
	MinTrainItems    = 64
)

// maxSeqLen is the reference's longest history of an item: reviews after
// the 64th of a card are not trained on.
const maxSeqLen = 64

// OptimizeReport says what Optimize did: how many items it trained on, and
// the log loss and RMSE(bins) of the old and new weights on them.
type OptimizeReport struct {
	Cards, Reviews int
	Items          int // reviews a day or more after the card's previous one
	PretrainItems  int // of which the first such review of each card
	// Fitted is false when the weights returned are the current ones: too
	// few items, or the fit did not lower the log loss.
	Fitted                 bool
	Reason                 string // why not fitted
	LogLossBefore, LogLoss float64
	RMSEBefore, RMSE       float64
	BestEpoch              int // the epoch whose weights were kept
}

// ErrOptimizeInput reports a history Optimize cannot train on, such as a
// rating outside 1..4.
var ErrOptimizeInput = errors.New("review history not usable for optimising")

// paramsStddev are the reference's spreads of each weight across users
// (PARAMS_STDDEV), which scale the pull toward the starting weights.
var paramsStddev = [21]float64{
	6.43, 9.66, 17.58, 27.85, 0.57, 0.28, 0.6, 0.12, 0.39, 0.18, 0.33,
	0.3, 0.09, 0.16, 0.57, 0.25, 1.03, 0.31, 0.32, 0.14, 0.27,
}

// initSMax is the reference's ceiling on an initial stability.
const initSMax = 100

// weightBounds are the reference's clamps (parameter_clipper.rs), with the
// w17·w18 ceiling of at most one relearning step.
var weightBounds = [21][2]float64{
	{MinStability, initSMax}, {MinStability, initSMax}, {MinStability, initSMax}, {MinStability, initSMax},
	{1, 10}, {0.001, 4}, {0.001, 4}, {0.001, 0.75},
	{0, 4.5}, {0, 0.8}, {0.001, 3.5},
	{0.001, 5}, {0.001, 0.25}, {0.001, 0.9}, {0, 4},
	{0, 1}, {1, 6},
	{0, 2}, {0, 2}, {0, 0.8},
	{0.1, 0.8},
}

// ClipWeights returns w with each weight within the reference's bounds.
func ClipWeights(w FSRSWeights) FSRSWeights {
	for i, b := range weightBounds {
		w[i] = min(max(w[i], b[0]), b[1])
	}
	return w
}

// trainCard is one card's reviews with, per review, its weight in the loss
// (0 for one that is not an item).
type trainCard struct {
	reviews []FSRSReview
	weight  []float64
	items   int
	last    int // index of the last item; replays stop there
}

// Optimize fits FSRS-6's weights to review histories, one per card, as the
// reference optimiser does (see the top of this file). It is deterministic:
// the same histories and options give the same weights. With fewer than
// MinOptimizeItems items it returns the current weights; with fewer than
// MinTrainItems, them with w0–w3 pre-trained. When the fit does not lower
// the log loss on the items it returns the current weights, Fitted false.
func Optimize(histories []FSRSHistory, opts OptimizeOptions) (FSRSWeights, OptimizeReport, error) {
	cur := opts.Current
	if cur == (FSRSWeights{}) {
		cur = DefaultFSRSWeights
	}
	epochs, batch, rate := opts.Epochs, opts.Batch, opts.Rate
	if epochs <= 0 {
		epochs = 5
	}
	if batch <= 0 {
		batch = 512
	}
	if rate <= 0 {
		rate = 0.04
	}
	var rep OptimizeReport

	cards, err := trainingCards(histories, &rep)
	if err != nil {
		return cur, rep, err
	}
	rep.LogLossBefore, rep.RMSEBefore = evaluate(cur, cards)
	rep.LogLoss, rep.RMSE = rep.LogLossBefore, rep.RMSEBefore
	if rep.Items < MinOptimizeItems {
		rep.Reason = "too few reviews to optimise: need at least 8 reviews a day or more after the one before"
		return cur, rep, nil
	}

	start := cur
	init, counts, ok := pretrain(cards, cur)
	if !ok {
		rep.Reason = "no card has been reviewed again on a later day"
		return cur, rep, nil
	}
	copy(start[:4], init[:])
	start = ClipWeights(start)

	fitted := start
	if rep.Items >= MinTrainItems {
		fitted, rep.BestEpoch = train(cards, start, rep.Items, epochs, batch, rate, opts.Seed)
		s := smoothAndFill(map[int]float64{1: fitted[0], 2: fitted[1], 3: fitted[2], 4: fitted[3]}, counts)
		copy(fitted[:4], s[:])
		fitted = ClipWeights(fitted)
	}

	for _, x := range fitted {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			rep.Reason = "the fit diverged"
			return cur, rep, nil
		}
	}
	ll, rmse := evaluate(fitted, cards)
	if !(ll < rep.LogLossBefore) {
		rep.Reason = "the fitted weights do not lower the log loss"
		return cur, rep, nil
	}
	rep.Fitted, rep.LogLoss, rep.RMSE = true, ll, rmse
	return fitted, rep, nil
}

// trainingCards checks the histories, finds the items and weighs them by
// recency.
func trainingCards(histories []FSRSHistory, rep *OptimizeReport) ([]trainCard, error) {
	type itemRef struct{ day, card, pos int }
	var refs []itemRef
	cards := make([]trainCard, 0, len(histories))
	for _, h := range histories {
		if len(h.Reviews) == 0 {
			continue
		}
		c := trainCard{reviews: h.Reviews, weight: make([]float64, len(h.Reviews))}
		day := h.FirstDay
		for i, r := range h.Reviews {
			if r.Rating < 1 || r.Rating > 4 {
				return nil, ErrOptimizeInput
			}
			if i == 0 {
				continue
			}
			if r.Elapsed > 0 {
				day += r.Elapsed
				if i < maxSeqLen {
					refs = append(refs, itemRef{day, len(cards), i})
					c.items++
					c.last = i
				}
			}
		}
		rep.Reviews += len(h.Reviews)
		cards = append(cards, c)
	}
	rep.Cards = len(cards)
	rep.Items = len(refs)
	// Recency ranks items by day; a tie keeps card and review order.
	sort.SliceStable(refs, func(i, j int) bool { return refs[i].day < refs[j].day })
	n := max(float64(len(refs)-1), 1)
	for k, r := range refs {
		x := float64(k) / n
		cards[r.card].weight[r.pos] = 0.25 + 0.75*x*x*x
	}
	for _, c := range cards {
		if firstLongTerm(c.reviews) > 0 {
			rep.PretrainItems++
		}
	}
	return cards, nil
}

// firstLongTerm returns the index of a card's first review on a later day
// than its first, or -1.
func firstLongTerm(reviews []FSRSReview) int {
	for i := 1; i < len(reviews); i++ {
		if reviews[i].Elapsed > 0 {
			return i
		}
	}
	return -1
}

// evaluate returns the mean log loss and RMSE(bins) of w's predictions of
// the items, unweighted.
func evaluate(w FSRSWeights, cards []trainCard) (logLoss, rmse float64) {
	f := FSRS{Weights: w}
	var ps []prediction
	for _, c := range cards {
		var m Memory
		days, lapses := 0, 0
		for i, r := range c.reviews {
			if i > 0 && r.Elapsed > 0 {
				days++
				if c.weight[i] > 0 {
					p := f.Retrievability(m, float64(r.Elapsed))
					y := 0.0
					if r.Rating > 1 {
						y = 1
					}
					ps = append(ps, prediction{p: p, y: y, elapsed: float64(r.Elapsed), i: days + 1, lapses: lapses})
				}
				if r.Rating == 1 {
					lapses++
				}
			}
			m = f.Step(m, r.Elapsed, r.Rating)
		}
	}
	if len(ps) == 0 {
		return 0, 0
	}
	for _, p := range ps {
		q := min(max(p.p, 1e-6), 1-1e-6)
		logLoss -= p.y*math.Log(q) + (1-p.y)*math.Log(1-q)
	}
	return logLoss / float64(len(ps)), rmseBins(ps)
}

// pretrain fits the initial stabilities w0–w3 to the outcome of each card's
// first review on a later day, by first rating: per rating, a ternary search
// for the stability whose forgetting curve best fits the pass rate at each
// interval (smoothed toward the average pass rate, weighted by the square
// root of the count), with an L1 pull toward the current value; then
// smoothAndFill. It returns false when no card has such a review.
func pretrain(cards []trainCard, cur FSRSWeights) ([4]float64, map[int]int, bool) {
	type agg struct{ pass, n float64 }
	groups := map[int]map[int]*agg{}
	var pass, total float64
	for _, c := range cards {
		for i, r := range c.reviews {
			if c.weight[i] > 0 {
				total++
				if r.Rating > 1 {
					pass++
				}
			}
		}
		j := firstLongTerm(c.reviews)
		if j < 0 {
			continue
		}
		first, r := c.reviews[0].Rating, c.reviews[j]
		if groups[first] == nil {
			groups[first] = map[int]*agg{}
		}
		g := groups[first][r.Elapsed]
		if g == nil {
			g = &agg{}
			groups[first][r.Elapsed] = g
		}
		g.n++
		if r.Rating > 1 {
			g.pass++
		}
	}
	if len(groups) == 0 {
		return [4]float64{}, nil, false
	}
	avg := pass / total
	w := &DefaultFSRSWeights // the reference fits w0–w3 on the default curve
	found := map[int]float64{}
	counts := map[int]int{}
	for rating, byDelta := range groups {
		deltas := make([]int, 0, len(byDelta))
		var n float64
		for d, g := range byDelta {
			deltas = append(deltas, d)
			n += g.n
		}
		sort.Ints(deltas)
		counts[rating] = int(n)
		def := cur[rating-1]
		loss := func(s float64) float64 {
			var l float64
			for _, d := range deltas {
				g := byDelta[d]
				y := (g.pass/g.n*n + avg) / (n + 1)
				p := w.forgetting(float64(d), s)
				l -= (y*math.Log(p) + (1-y)*math.Log(1-p)) * math.Sqrt(g.n)
			}
			return l + math.Abs(s-def)/16
		}
		lo, hi := 0.1, float64(initSMax)
		best := 1.0
		for it := 0; hi-lo > 1e-7 && it < 1000; it++ {
			m1, m2 := lo+(hi-lo)/3, hi-(hi-lo)/3
			if loss(m1) < loss(m2) {
				hi = m2
			} else {
				lo = m1
			}
			best = (lo + hi) / 2
		}
		found[rating] = best
	}
	return smoothAndFill(found, counts), counts, true
}

// smoothAndFill makes the initial stabilities grow with the rating (where
// two disagree, the one of more reviews wins) and fills those of ratings
// never seen first by geometric interpolation, as the reference does.
func smoothAndFill(s map[int]float64, counts map[int]int) [4]float64 {
	for _, p := range [][2]int{{1, 2}, {2, 3}, {3, 4}, {1, 3}, {2, 4}, {1, 4}} {
		lo, okLo := s[p[0]]
		hi, okHi := s[p[1]]
		if okLo && okHi && lo > hi {
			if counts[p[0]] > counts[p[1]] {
				s[p[1]] = lo
			} else {
				s[p[0]] = hi
			}
		}
	}
	const w1, w2 = 3.0 / 5, 3.0 / 5
	pow := math.Pow
	var r [5]float64 // 1-based; 0 is missing
	for k, v := range s {
		r[k] = v
	}
	has := func(i int) bool { return r[i] > 0 }
	switch len(s) {
	case 1:
		for k, v := range s {
			f := v / DefaultFSRSWeights[k-1]
			for i := 1; i <= 4; i++ {
				r[i] = DefaultFSRSWeights[i-1] * f
			}
		}
	case 2:
		switch {
		case has(3) && has(4):
			r[2] = pow(r[3], 1/(1-w2)) * pow(r[4], 1-1/(1-w2))
			r[1] = pow(r[2], 1/w1) * pow(r[3], 1-1/w1)
		case has(2) && has(4):
			r[3] = pow(r[2], 1-w2) * pow(r[4], w2)
			r[1] = pow(r[2], 1/w1) * pow(r[3], 1-1/w1)
		case has(2) && has(3):
			r[4] = pow(r[2], 1-1/w2) * pow(r[3], 1/w2)
			r[1] = pow(r[2], 1/w1) * pow(r[3], 1-1/w1)
		case has(1) && has(4):
			k := w1 / (w1 + w2 - w1*w2)
			r[2] = pow(r[1], k) * pow(r[4], 1-k)
			k2 := w2 / (w1 + w2 - w1*w2)
			r[3] = pow(r[1], 1-k2) * pow(r[4], k2)
		case has(1) && has(3):
			r[2] = pow(r[1], w1) * pow(r[3], 1-w1)
			r[4] = pow(r[2], 1-1/w2) * pow(r[3], 1/w2)
		case has(1) && has(2):
			r[3] = pow(r[1], 1-1/(1-w1)) * pow(r[2], 1/(1-w1))
			r[4] = pow(r[2], 1-1/w2) * pow(r[3], 1/w2)
		}
	case 3:
		switch {
		case !has(1):
			r[1] = pow(r[2], 1/w1) * pow(r[3], 1-1/w1)
		case !has(2):
			r[2] = pow(r[1], w1) * pow(r[3], 1-w1)
		case !has(3):
			r[3] = pow(r[2], 1-w2) * pow(r[4], w2)
		case !has(4):
			r[4] = pow(r[2], 1-1/w2) * pow(r[3], 1/w2)
		}
	}
	var out [4]float64
	for i := range out {
		out[i] = min(max(r[i+1], 0.1), initSMax)
	}
	return out
}

// train runs Adam with a cosine learning rate over epochs of batches of
// whole cards, and returns the weights of the epoch of least loss.
func train(cards []trainCard, start FSRSWeights, items, epochs, batch int, rate float64, seed uint64) (FSRSWeights, int) {
	rng := rand.New(rand.NewPCG(seed, 2023))
	order := make([]int, 0, len(cards))
	for i, c := range cards {
		if c.items > 0 {
			order = append(order, i)
		}
	}
	steps := float64((items/batch + 1) * epochs)
	w := start
	var m1, m2 [21]float64
	const beta1, beta2, eps = 0.9, 0.999, 1e-8
	t := 0
	best, bestLoss, bestEpoch := w, math.Inf(1), 0
	for epoch := 1; epoch <= epochs; epoch++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for lo := 0; lo < len(order); {
			hi, n := lo, 0
			for hi < len(order) && n < batch {
				n += cards[order[hi]].items
				hi++
			}
			var grad [21]float64
			for _, ci := range order[lo:hi] {
				cardLossGrad(&w, &cards[ci], &grad)
			}
			for i := range grad {
				d := w[i] - start[i]
				grad[i] += 2 * d / (paramsStddev[i] * paramsStddev[i]) * float64(n) / float64(items)
			}
			lr := rate * (1 + math.Cos(math.Pi*float64(t)/steps)) / 2
			t++
			b1, b2 := 1-math.Pow(beta1, float64(t)), 1-math.Pow(beta2, float64(t))
			for i := range w {
				m1[i] = beta1*m1[i] + (1-beta1)*grad[i]
				m2[i] = beta2*m2[i] + (1-beta2)*grad[i]*grad[i]
				w[i] -= lr * (m1[i] / b1) / (math.Sqrt(m2[i]/b2) + eps)
			}
			w = ClipWeights(w)
			lo = hi
		}
		var loss float64
		for ci := range cards {
			if cards[ci].items > 0 {
				loss += cardLossGrad(&w, &cards[ci], nil)
			}
		}
		for i := range w {
			d := (w[i] - start[i]) / paramsStddev[i]
			loss += d * d
		}
		if loss < bestLoss {
			best, bestLoss, bestEpoch = w, loss, epoch
		}
	}
	return best, bestEpoch
}

// cardLossGrad replays a card under w and returns the recency-weighted
// cross-entropy of its items; with grad non-nil it adds the loss's gradient
// to grad.
func cardLossGrad(w *FSRSWeights, c *trainCard, grad *[21]float64) float64 {
	if grad == nil {
		return cardLoss(w, c)
	}
	var wd [21]dual
	for i := range wd {
		wd[i].v = w[i]
		wd[i].d[i] = 1
	}
	var s, d dual
	var loss float64
	for i, r := range c.reviews[:c.last+1] {
		g := float64(r.Rating)
		if i == 0 {
			s = clampDual(wd[r.Rating-1], MinStability, MaxStability)
			d = clampDual(initDifficultyDual(&wd, g), MinDifficulty, MaxDifficulty)
			continue
		}
		var next dual
		if r.Elapsed <= 0 {
			sinc := mul(expd(mul(wd[17], addc(wd[18], g-3))), powd(s, neg(wd[19])))
			if g >= 3 && sinc.v < 1 {
				sinc = dual{v: 1}
			}
			next = mul(s, sinc)
		} else {
			rt := forgettingDual(&wd, float64(r.Elapsed), s)
			if cw := c.weight[i]; cw > 0 {
				p := min(max(rt.v, 1e-6), 1-1e-6)
				var dl float64
				if r.Rating > 1 {
					loss -= cw * math.Log(p)
					dl = -cw / p
				} else {
					loss -= cw * math.Log(1-p)
					dl = cw / (1 - p)
				}
				if rt.v == p {
					for k := range grad {
						grad[k] += dl * rt.d[k]
					}
				}
			}
			if r.Rating == 1 {
				long := mul(mul(wd[11], powd(d, neg(wd[12]))), mul(addc(powd(addc(s, 1), wd[13]), -1), expd(mul(addc(neg(rt), 1), wd[14]))))
				short := div(s, expd(mul(wd[17], wd[18])))
				next = long
				if short.v < long.v {
					next = short
				}
			} else {
				inc := mul(mul(expd(wd[8]), addc(neg(d), 11)), mul(powd(s, neg(wd[9])), expm1d(mul(addc(neg(rt), 1), wd[10]))))
				switch r.Rating {
				case 2:
					inc = mul(inc, wd[15])
				case 4:
					inc = mul(inc, wd[16])
				}
				next = mul(s, addc(inc, 1))
			}
		}
		// Difficulty: linear damping toward 10, then mean reversion to D0(4).
		delta := scale(wd[6], -(g - 3))
		nd := add(d, scale(mul(addc(neg(d), 10), delta), 1.0/9))
		nd = add(mul(wd[7], sub(initDifficultyDual(&wd, 4), nd)), nd)
		s = clampDual(next, MinStability, MaxStability)
		d = clampDual(nd, MinDifficulty, MaxDifficulty)
	}
	return loss
}

// cardLoss is cardLossGrad without the gradient, on the model's own Step.
func cardLoss(w *FSRSWeights, c *trainCard) float64 {
	f := FSRS{Weights: *w}
	var m Memory
	var loss float64
	for i, r := range c.reviews[:c.last+1] {
		if cw := c.weight[i]; cw > 0 {
			p := min(max(f.Retrievability(m, float64(r.Elapsed)), 1e-6), 1-1e-6)
			if r.Rating > 1 {
				loss -= cw * math.Log(p)
			} else {
				loss -= cw * math.Log(1-p)
			}
		}
		m = f.Step(m, r.Elapsed, r.Rating)
	}
	return loss
}

func initDifficultyDual(wd *[21]dual, g float64) dual {
	return addc(sub(wd[4], expd(scale(wd[5], g-1))), 1)
}

// forgettingDual is (1 + f·t/s)^(−w20) with f = 0.9^(−1/w20) − 1.
func forgettingDual(wd *[21]dual, t float64, s dual) dual {
	w20 := wd[20]
	f := addc(expd(scale(recip(w20), -math.Log(0.9))), -1)
	base := addc(scale(div(f, s), t), 1)
	return expd(mul(neg(w20), logd(base)))
}

// dual is a value with its partial derivatives by the 21 weights.
type dual struct {
	v float64
	d [21]float64
}

func add(a, b dual) dual {
	a.v += b.v
	for i := range a.d {
		a.d[i] += b.d[i]
	}
	return a
}

func sub(a, b dual) dual {
	a.v -= b.v
	for i := range a.d {
		a.d[i] -= b.d[i]
	}
	return a
}

func neg(a dual) dual { return scale(a, -1) }

func addc(a dual, c float64) dual { a.v += c; return a }

func scale(a dual, c float64) dual {
	a.v *= c
	for i := range a.d {
		a.d[i] *= c
	}
	return a
}

func mul(a, b dual) dual {
	var r dual
	r.v = a.v * b.v
	for i := range r.d {
		r.d[i] = a.d[i]*b.v + a.v*b.d[i]
	}
	return r
}

func recip(a dual) dual {
	var r dual
	r.v = 1 / a.v
	k := -r.v * r.v
	for i := range r.d {
		r.d[i] = k * a.d[i]
	}
	return r
}

func div(a, b dual) dual { return mul(a, recip(b)) }

// chain returns f(a) given f(a.v) and f'(a.v).
func chain(a dual, v, dv float64) dual {
	r := dual{v: v}
	for i := range r.d {
		r.d[i] = dv * a.d[i]
	}
	return r
}

func expd(a dual) dual {
	e := math.Exp(a.v)
	return chain(a, e, e)
}

func expm1d(a dual) dual { return chain(a, math.Expm1(a.v), math.Exp(a.v)) }

func logd(a dual) dual { return chain(a, math.Log(a.v), 1/a.v) }

// powd is a^b for a > 0.
func powd(a, b dual) dual {
	v := math.Pow(a.v, b.v)
	la := math.Log(a.v)
	r := dual{v: v}
	for i := range r.d {
		r.d[i] = v * (b.d[i]*la + b.v*a.d[i]/a.v)
	}
	return r
}

// clampDual clamps a; a clamped value no longer moves with the weights.
func clampDual(a dual, lo, hi float64) dual {
	switch {
	case a.v < lo:
		return dual{v: lo}
	case a.v > hi:
		return dual{v: hi}
	}
	return a
}
