package matching

import (
	"strings"
	"testing"
)

// TestLambdaWarnings: an implausible λ is a warning (--strict fails) only
// when the model takes it; EM's λ, when the model took the confident-pair
// bound instead, is a note naming the λ the model took.
func TestLambdaWarnings(t *testing.T) {
	const records, total = 20_000, 200_000_000 // 10,000 pairs per record
	emOnly := &TrainReport{Records: records, TotalPairs: total, LambdaEM: 2e-3, LambdaGlobal: 2e-3}
	w, n := lambdaWarnings(emOnly)
	if len(w) != 1 || len(n) != 0 || !strings.Contains(w[0], "λ (EM, the one the model takes)") || !strings.Contains(w[0], "20.0 per record > 5") {
		t.Errorf("EM's λ taken, 20 per record: warnings %q, notes %q; want one warning", w, n)
	}
	bounded := &TrainReport{Records: records, TotalPairs: total, LambdaEM: 2e-3, LambdaGlobal: 2e-4, LambdaConfident: 2e-4, LambdaBounded: true}
	w, n = lambdaWarnings(bounded)
	if len(w) != 0 || len(n) != 1 || !strings.Contains(n[0], "the model does not use it: it takes λ (confident-pair bound) 0.0002, 2.00 per record") {
		t.Errorf("bounded λ, 2 per record: warnings %q, notes %q; want one note naming the bound", w, n)
	}
	bounded.LambdaGlobal, bounded.LambdaStep = 4e-4, 4e-4
	if _, n = lambdaWarnings(bounded); len(n) != 1 || !strings.Contains(n[0], "one EM step") {
		t.Errorf("stepped λ: notes %q, want the step named", n)
	}
	bounded.LambdaGlobal, bounded.LambdaStep = 1e-3, 0
	if w, _ = lambdaWarnings(bounded); len(w) != 1 || !strings.Contains(w[0], "confident-pair bound, the one the model takes") {
		t.Errorf("bound itself implausible (10 per record): warnings %q, want one", w)
	}
	rules := &TrainReport{Records: records, TotalPairs: total, LambdaEM: 1e-4, LambdaRules: 1e-3, LambdaGlobal: 1e-3}
	if w, n = lambdaWarnings(rules); len(w) != 1 || len(n) != 0 || !strings.Contains(w[0], "deterministic rules") {
		t.Errorf("deterministic rules' λ implausible: warnings %q, notes %q", w, n)
	}
	fine := &TrainReport{Records: records, TotalPairs: total, LambdaEM: 1e-4, LambdaGlobal: 1e-4}
	if w, n = lambdaWarnings(fine); len(w)+len(n) != 0 {
		t.Errorf("plausible λ: warnings %q, notes %q", w, n)
	}
}
