// Command screenshots signs in to a running `dancu serve` in a headless
// Chromium and saves the queue and the first shared-ID conflict as PNG
// files: how the pictures of the review desk in the README are made.
//
//	echo PASSWORD | go run ./web/internal/screenshots http://127.0.0.1:8080 reviewer.nb docs/img
package main
