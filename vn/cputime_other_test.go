//go:build !unix

package vn

import "time"

func processCPU() time.Duration { return 0 }
