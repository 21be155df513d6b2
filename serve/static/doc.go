// Package static serves the files of one directory over HTTP for the ConvLab
// development server and for tests that need the same behaviour.
//
// A [Handler] serves only regular files inside its root directory:
//
//   - "/" and "/dir/" serve the index.html of that directory; a directory
//     without index.html is 404 (there are no directory listings), and
//     "/dir" redirects to "/dir/" when that index exists.
//   - Request paths containing "..", ".", empty segments, backslashes, NUL
//     bytes or invalid UTF-8 are rejected with 400, whatever their
//     percent-encoding was.
//     Names starting with "." (dotfiles and dot-directories) are 404.
//     Files are opened through [os.Root], so a symbolic link that points
//     outside the root is never followed.
//   - Text-like files (.wasm, .js, .html, .css, .json, .svg, ...) are sent
//     gzip-compressed when the request's Accept-Encoding allows gzip. Each
//     file version is compressed once and kept in memory; a file whose
//     modification time or size changes is compressed again.
//   - Every response carries X-Content-Type-Options: nosniff,
//     Referrer-Policy: no-referrer and the [ContentSecurityPolicy] of the
//     ConvLab page.
//   - Every file response carries a strong ETag derived from the SHA-256 of
//     the bytes sent and Cache-Control: no-cache, and conditional and Range
//     requests are answered by [net/http.ServeContent].
//
// Only GET and HEAD are allowed. One line per request is written to
// [Options.Log].
package static
