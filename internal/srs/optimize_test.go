package srs

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// simulate returns cards reviewed under FSRS with weights w at retention
// 0.9: each card's first rating drawn, then each review at the fuzzed
// interval, recalled with the model's probability; a lapse is followed by
// a same-day relearning review rated good.
func simulate(w FSRSWeights, cards, reviewsPerCard int, seed uint64) []FSRSHistory {
	rng := rand.New(rand.NewPCG(seed, 1))
	f := FSRS{Weights: w}
	rating := func(pass bool) int {
		if !pass {
			return 1
		}
		switch x := rng.Float64(); {
		case x < 0.1:
			return 2
		case x < 0.9:
			return 3
		default:
			return 4
		}
	}
	out := make([]FSRSHistory, 0, cards)
	for range cards {
		h := FSRSHistory{FirstDay: rng.IntN(365)}
		first := rating(rng.Float64() > 0.25)
		h.Reviews = append(h.Reviews, FSRSReview{0, first})
		m := f.Step(Memory{}, 0, first)
		for len(h.Reviews) < reviewsPerCard {
			elapsed := Fuzz(f.RawInterval(m.Stability), rng.Float64(), 1, 3650)
			g := rating(rng.Float64() < f.Retrievability(m, float64(elapsed)))
			h.Reviews = append(h.Reviews, FSRSReview{elapsed, g})
			m = f.Step(m, elapsed, g)
			if g == 1 && len(h.Reviews) < reviewsPerCard {
				h.Reviews = append(h.Reviews, FSRSReview{0, 3})
				m = f.Step(m, 0, 3)
			}
		}
		out = append(out, h)
	}
	return out
}

// trueWeights differ from the defaults: a learner who forgets faster after
// a first "good", recovers less after a lapse, and whose curve decays more.
var trueWeights = func() FSRSWeights {
	w := DefaultFSRSWeights
	w[2], w[3] = 1.2, 4.5
	w[8] = 1.4
	w[11] = 1.0
	w[20] = 0.3
	return w
}()

// TestCardLossGrad checks the forward-mode gradient against central
// differences, and its loss against the model's own Step.
func TestCardLossGrad(t *testing.T) {
	t.Parallel()
	var rep OptimizeReport
	cards, err := trainingCards(simulate(trueWeights, 20, 12, 7), &rep)
	if err != nil {
		t.Fatal(err)
	}
	w := DefaultFSRSWeights
	var grad [21]float64
	var loss float64
	for i := range cards {
		loss += cardLossGrad(&w, &cards[i], &grad)
	}
	var plain float64
	for i := range cards {
		plain += cardLossGrad(&w, &cards[i], nil)
	}
	if math.Abs(loss-plain) > 1e-9*max(1, plain) {
		t.Fatalf("dual loss %v, Step loss %v", loss, plain)
	}
	for k := range w {
		h := 1e-6 * max(1, math.Abs(w[k]))
		up, down := w, w
		up[k] += h
		down[k] -= h
		var lu, ld float64
		for i := range cards {
			lu += cardLossGrad(&up, &cards[i], nil)
			ld += cardLossGrad(&down, &cards[i], nil)
		}
		num := (lu - ld) / (2 * h)
		if math.Abs(num-grad[k]) > 1e-4*max(1, math.Abs(num)) {
			t.Errorf("d loss/d w%d = %v, want %v (central difference)", k, grad[k], num)
		}
	}
}

func TestOptimizeRecoversWeights(t *testing.T) {
	t.Parallel()
	hs := simulate(trueWeights, 600, 10, 1)
	w, rep, err := Optimize(hs, OptimizeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Fitted {
		t.Fatalf("Optimize not fitted: %s", rep.Reason)
	}
	if !(rep.LogLoss < rep.LogLossBefore) {
		t.Errorf("log loss %v, want below the defaults' %v", rep.LogLoss, rep.LogLossBefore)
	}
	var trueRep OptimizeReport
	cards, _ := trainingCards(hs, &trueRep)
	trueLoss, _ := evaluate(trueWeights, cards)
	t.Logf("items %d: log loss defaults %.4f, fitted %.4f, true %.4f; RMSE %.4f → %.4f", rep.Items, rep.LogLossBefore, rep.LogLoss, trueLoss, rep.RMSEBefore, rep.RMSE)
	// The weights the data speak most to move from the defaults toward the truth.
	for _, k := range []int{2, 20} {
		if math.Abs(w[k]-trueWeights[k]) >= math.Abs(DefaultFSRSWeights[k]-trueWeights[k]) {
			t.Errorf("w%d = %.4f, want nearer %.4f than the default %.4f", k, w[k], trueWeights[k], DefaultFSRSWeights[k])
		}
	}
}

func TestOptimizeTooFewItems(t *testing.T) {
	t.Parallel()
	hs := []FSRSHistory{
		{Reviews: []FSRSReview{{0, 3}, {1, 3}, {3, 3}}},
		{Reviews: []FSRSReview{{0, 1}, {0, 3}, {1, 1}, {0, 3}}},
		{Reviews: []FSRSReview{{0, 4}}},
	}
	w, rep, err := Optimize(hs, OptimizeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if w != DefaultFSRSWeights || rep.Fitted || rep.Items != 3 || rep.Reason == "" {
		t.Errorf("Optimize(3 items) = %v, %+v; want the defaults, not fitted, 3 items, a reason", w, rep)
	}
	if _, _, err := Optimize([]FSRSHistory{{Reviews: []FSRSReview{{0, 5}}}}, OptimizeOptions{}); err == nil {
		t.Errorf("Optimize(rating 5) gave no error")
	}
}

func TestOptimizePretrainOnly(t *testing.T) {
	t.Parallel()
	hs := simulate(trueWeights, 30, 2, 3) // 30 items: below MinTrainItems
	w, rep, err := Optimize(hs, OptimizeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Items >= MinTrainItems {
		t.Fatalf("%d items, want fewer than %d", rep.Items, MinTrainItems)
	}
	for k := 4; k < 21; k++ {
		if rep.Fitted && w[k] != DefaultFSRSWeights[k] {
			t.Errorf("w%d = %v, want the default %v (only w0–w3 pre-trained)", k, w[k], DefaultFSRSWeights[k])
		}
	}
}

func TestOptimizeDeterministic(t *testing.T) {
	t.Parallel()
	hs := simulate(trueWeights, 150, 8, 2)
	a, ra, _ := Optimize(hs, OptimizeOptions{})
	b, rb, _ := Optimize(hs, OptimizeOptions{})
	if a != b || ra != rb {
		t.Errorf("Optimize twice: %v, %v; want the same", a, b)
	}
}

func TestSmoothAndFill(t *testing.T) {
	t.Parallel()
	// The reference's own cases (pre_training.rs test_smooth_and_fill).
	got := smoothAndFill(map[int]float64{1: 0.4, 3: 2.3, 4: 10.9}, map[int]int{1: 1, 2: 1, 3: 1, 4: 1})
	want := [4]float64{0.4, 0.8052433, 2.3, 10.9}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-5 {
			t.Errorf("smoothAndFill = %v, want %v", got, want)
			break
		}
	}
	got = smoothAndFill(map[int]float64{2: 0.35}, map[int]int{2: 1})
	want = [4]float64{0.1277027, 0.35, 0.6148648, 2.6108108}
	// The reference scales the defaults of its time; ours are FSRS-6's.
	for i := range want {
		if want[i] = DefaultFSRSWeights[i] * 0.35 / DefaultFSRSWeights[1]; math.Abs(got[i]-max(want[i], 0.1)) > 1e-9 {
			t.Errorf("smoothAndFill(one rating) = %v, want %v", got, want)
			break
		}
	}
}

// BenchmarkOptimize fits 100,000 reviews simulated from the default model,
// beside the limit of 10 s.
func BenchmarkOptimize(b *testing.B) {
	hs := simulate(DefaultFSRSWeights, 5000, 20, 42)
	n := 0
	for _, h := range hs {
		n += len(h.Reviews)
	}
	var took time.Duration
	for b.Loop() {
		start := time.Now()
		if _, _, err := Optimize(hs, OptimizeOptions{}); err != nil {
			b.Fatal(err)
		}
		took = time.Since(start)
	}
	b.ReportMetric(float64(n), "reviews")
	b.ReportMetric(took.Seconds(), "fit-s")
	b.ReportMetric(10, "limit-s")
}

// TestOptimizeKeepsBetterWeights: when the fit cannot lower the log loss
// (here a learning rate so large that every step overshoots), the weights
// in use come back, not fitted, and the report says why.
func TestOptimizeKeepsBetterWeights(t *testing.T) {
	t.Parallel()
	hs := simulate(DefaultFSRSWeights, 300, 8, 7)
	w, rep, err := Optimize(hs, OptimizeOptions{Rate: 1e6, Epochs: 1})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Fitted || w != DefaultFSRSWeights {
		t.Fatalf("Optimize with a ruinous rate: fitted %v, weights changed %v; want the defaults kept", rep.Fitted, w != DefaultFSRSWeights)
	}
	if rep.Reason == "" || rep.Items < MinTrainItems {
		t.Errorf("kept the weights with %d items for %q; want a fit that did not help", rep.Items, rep.Reason)
	}
}
