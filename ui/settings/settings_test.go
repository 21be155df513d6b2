package settings

import (
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"convlab/assets"
	"convlab/nn"
)

func TestFromQuery(t *testing.T) {
	tests := []struct {
		name     string
		query    string
		want     func(*Settings)
		problems []string // keys with problems, in table order
	}{
		{"empty gives defaults", "", func(*Settings) {}, nil},
		{"all set", "opt=rmsprop&lr=0.01&alpha=0.5&rho=0.99&batch=20&epochs=3&perclass=50&testper=5&seed=7", func(s *Settings) {
			*s = Settings{Optimizer: nn.OptimizerRMSProp, LearningRate: 0.01, Momentum: 0.5, Rho: 0.99, BatchSize: 20, Epochs: 3,
				TrainPerClass: 50, TestPerClass: 5, Seed: 7}
		}, nil},
		{"case-insensitive optimizer", "opt=SGD", func(s *Settings) { s.Optimizer = nn.OptimizerSGD }, nil},
		{"bad values keep defaults", "lr=abc&batch=0&opt=adam&epochs=-1&perclass=9&testper=893&seed=-3&alpha=1&rho=x",
			func(*Settings) {}, []string{"opt", "lr", "alpha", "rho", "perclass", "testper", "batch", "epochs", "seed"}},
		{"lr out of range", "lr=5", func(*Settings) {}, []string{"lr"}},
		{"NaN lr", "lr=NaN", func(*Settings) {}, []string{"lr"}},
		{"infinite lr", "lr=1e309", func(*Settings) {}, []string{"lr"}},
		{"fractional epochs", "epochs=2.5", func(*Settings) {}, []string{"epochs"}},
		{"seed too large", "seed=1000000000", func(*Settings) {}, []string{"seed"}},
		{"batch limited by training set", "perclass=10&batch=101", func(s *Settings) { s.TrainPerClass = 10 }, []string{"batch"}},
		{"batch equal to training set", "perclass=10&batch=100", func(s *Settings) { s.TrainPerClass = 10; s.BatchSize = 100 }, nil},
		{"all of both sets", "perclass=all&testper=ALL&batch=60000", func(s *Settings) {
			s.TrainPerClass, s.TestPerClass, s.BatchSize = assets.AllPerClass, assets.AllPerClass, 60000
		}, nil},
		{"beyond the bundle", "perclass=5421&testper=892", func(s *Settings) { s.TrainPerClass, s.TestPerClass = 5421, 892 }, nil},
		{"beyond the smallest class", "perclass=5422&testper=893", func(*Settings) {}, []string{"perclass", "testper"}},
		{"batch beyond all", "perclass=all&batch=60001", func(s *Settings) { s.TrainPerClass = assets.AllPerClass }, []string{"batch"}},
		{"last of repeated keys", "epochs=3&epochs=4", func(s *Settings) { s.Epochs = 4 }, nil},
		{"unknown keys ignored", "foo=bar", func(*Settings) {}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			got, problems := FromQuery(q)
			want := Defaults()
			tc.want(&want)
			if got != want {
				t.Errorf("settings %+v, want %+v", got, want)
			}
			var keys []string
			for _, p := range problems {
				keys = append(keys, p.Key)
				if !strings.Contains(p.Error(), "want") || !strings.Contains(p.Error(), "keeping") {
					t.Errorf("problem %q does not say what is accepted and what is kept", p.Error())
				}
			}
			if strings.Join(keys, ",") != strings.Join(tc.problems, ",") {
				t.Errorf("problems with %v, want %v", keys, tc.problems)
			}
		})
	}
}

func TestApplyReducesAnInheritedBatch(t *testing.T) {
	base := Defaults()
	base.BatchSize = 500
	got, problems := Apply(base, url.Values{"perclass": {"10"}})
	if got.BatchSize != 100 || len(problems) != 1 || problems[0].Key != "batch" {
		t.Errorf("batch %d, problems %v; want 100 and one batch problem", got.BatchSize, problems)
	}
}

func TestDefaultsAreTheHomework(t *testing.T) {
	want := Settings{Optimizer: nn.OptimizerMomentum, LearningRate: 0.001, Momentum: 0.9, Rho: 0.9, BatchSize: 10, Epochs: 15,
		TrainPerClass: 100, TestPerClass: 10, Seed: 1}
	if got := Defaults(); got != want {
		t.Errorf("Defaults() = %+v, want %+v", got, want)
	}
}

func TestQueryRoundTrip(t *testing.T) {
	s := Settings{Optimizer: nn.OptimizerSGD, LearningRate: 0.0025, Momentum: 0.8, Rho: 0.95, BatchSize: 5, Epochs: 2,
		TrainPerClass: 30, TestPerClass: 4, Seed: MaxSeed}
	got, problems := FromQuery(s.Query())
	if got != s || len(problems) != 0 {
		t.Errorf("round trip gave %+v, %v", got, problems)
	}
}

// Every value the table accepts satisfies what training needs (nn's
// preconditions), so settings that came in through Apply or the panel
// never fail to make a run: each field at its smallest and its largest
// accepted value, the others at their defaults, makes a trainer's valid
// configuration.
func TestLimitsSatisfyTraining(t *testing.T) {
	for _, f := range Fields() {
		for _, opt := range nn.OptimizerKinds() {
			base := Defaults()
			base.Optimizer = opt
			for _, v := range []float64{f.Min, f.MaxFor(base)} {
				s := f.Set(base, v)
				if f.Key == "perclass" {
					s.BatchSize = min(s.BatchSize, s.TrainSize())
				}
				if err := s.TrainerConfig().Validate(s.TrainSize()); err != nil {
					t.Errorf("%s=%s with %v: accepted by the table, refused by nn: %v", f.Key, f.Format(v), opt, err)
				}
			}
		}
	}
}

func TestUsedByNamesAnOptimizer(t *testing.T) {
	opt, _ := FieldByKey("opt")
	for _, f := range Fields() {
		if f.UsedBy != 0 && !slices.Contains(opt.Options, f.UsedBy.String()) {
			t.Errorf("%s is used by %q, which is no optimizer", f.Key, f.UsedBy)
		}
	}
}

func TestChoicesAreAccepted(t *testing.T) {
	s := Defaults()
	s.TrainPerClass = 500 // the largest training set, so every batch choice fits
	for _, f := range Fields() {
		if err := f.check(s, f.Default); err != nil {
			t.Errorf("%s: default %v rejected: %v", f.Key, f.Default, err)
		}
		for _, c := range f.Choices {
			if err := f.check(s, c); err != nil {
				t.Errorf("%s: stepper choice %v rejected: %v", f.Key, c, err)
			}
		}
	}
}

// TestReadmeTable keeps the README's table of URL parameters the one this
// package generates.
// "all" reads and writes as the word, sizes the sets as MNIST's, and is
// named in the messages; a count beyond the bundle needs the full files.
func TestAllImages(t *testing.T) {
	s, problems := FromQuery(url.Values{"perclass": {"all"}, "testper": {"all"}})
	if len(problems) > 0 || s.TrainSize() != 60000 || s.TestSize() != 10000 || !s.NeedsFullSet() {
		t.Errorf("all: %+v, sizes %d and %d, needs the full set %v, problems %v", s, s.TrainSize(), s.TestSize(), s.NeedsFullSet(), problems)
	}
	if q := s.Query(); q.Get("perclass") != "all" || q.Get("testper") != "all" {
		t.Errorf("written back as %s", q.Encode())
	}
	if d := Defaults(); d.NeedsFullSet() || d.TestSize() != 100 {
		t.Errorf("the defaults need the full set (%v) or test on %d images", d.NeedsFullSet(), d.TestSize())
	}
	if s := (Settings{TrainPerClass: 501, TestPerClass: 10}); !s.NeedsFullSet() {
		t.Error("501 training images per class do not need the full set")
	}
	_, problems = FromQuery(url.Values{"perclass": {"every"}})
	if len(problems) != 1 || !strings.Contains(problems[0].Error(), "a whole number from 10 to 5421, or all") {
		t.Errorf("perclass=every: %v", problems)
	}
	f, _ := FieldByKey("perclass")
	if f.Display(assets.AllPerClass) != "all" || PerClass(assets.AllPerClass) != "all" || PerClass(20) != "20" {
		t.Error("all is not shown as all")
	}
}

func TestReadmeTable(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if table := MarkdownTable(); !strings.Contains(string(readme), table) {
		t.Errorf("README.md does not hold the settings table; put this there:\n%s", table)
	}
}
