package static

import (
	"strconv"
	"strings"
)

// acceptsGzip reports whether Accept-Encoding header values allow a gzip
// response (RFC 9110, section 12.5.3). An explicit "gzip" or "x-gzip" entry
// decides by its q-value; otherwise a "*" entry does; with neither, or with
// no header at all, the answer is no. A q-value that does not parse counts
// as 0, so a malformed header never gets a compressed body.
func acceptsGzip(values []string) bool {
	gzipQ, starQ := -1.0, -1.0
	for _, v := range values {
		for entry := range strings.SplitSeq(v, ",") {
			coding, q := parseCoding(entry)
			switch coding {
			case "gzip", "x-gzip":
				gzipQ = max(gzipQ, q)
			case "*":
				starQ = max(starQ, q)
			}
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return starQ > 0
}

// parseCoding splits one Accept-Encoding entry such as "gzip;q=0.5" into
// its lower-cased content coding and its weight (1 when absent).
func parseCoding(entry string) (coding string, q float64) {
	coding, params, _ := strings.Cut(entry, ";")
	coding = strings.ToLower(strings.TrimSpace(coding))
	q = 1
	for param := range strings.SplitSeq(params, ";") {
		key, value, ok := strings.Cut(param, "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(key), "q") {
			continue
		}
		q = parseQ(strings.TrimSpace(value))
	}
	return coding, q
}

// parseQ parses a qvalue: "0" or "1", optionally followed by "." and at
// most three digits, and no more than 1. Anything else yields 0.
func parseQ(s string) float64 {
	whole, frac, _ := strings.Cut(s, ".")
	if (whole != "0" && whole != "1") || len(frac) > 3 || strings.Trim(frac, "0123456789") != "" {
		return 0
	}
	q, err := strconv.ParseFloat(whole+"."+frac+"0", 64)
	if err != nil || q > 1 {
		return 0
	}
	return q
}
