package static

import "testing"

func TestAcceptsGzip(t *testing.T) {
	tests := []struct {
		values []string
		want   bool
	}{
		{nil, false},
		{[]string{""}, false},
		{[]string{"gzip"}, true},
		{[]string{" gzip "}, true},
		{[]string{"gzip;q=0"}, false},
		{[]string{"gzip;q=0."}, false},
		{[]string{"gzip;q=0.000"}, false},
		{[]string{"gzip;q=0.001"}, true},
		{[]string{"gzip;q=1.000"}, true},
		{[]string{"gzip;q=1.001"}, false},
		{[]string{"gzip;q=0.0001"}, false}, // more than three decimals: malformed
		{[]string{"gzip;q=1e0"}, false},
		{[]string{"gzip;q="}, false},
		{[]string{"gzip;level=9"}, true}, // unknown parameters are ignored
		{[]string{"gzip;q=0, gzip"}, true},
		{[]string{"gzipx"}, false},
		{[]string{"deflate;q=1, *;q=0.5"}, true},
		{[]string{"*;q=0.5, gzip;q=0"}, false},
		{[]string{"identity;q=0"}, false},
		{[]string{"br", "GZip"}, true},
	}
	for _, tt := range tests {
		if got := acceptsGzip(tt.values); got != tt.want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", tt.values, got, tt.want)
		}
	}
}
