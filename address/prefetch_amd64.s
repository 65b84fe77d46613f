#include "textflag.h"

// func prefetchLines(set, ents unsafe.Pointer)
TEXT ·prefetchLines(SB), NOSPLIT, $0-16
	MOVQ set+0(FP), AX
	MOVQ ents+8(FP), BX
	PREFETCHT0 (AX)
	PREFETCHT0 (BX)
	PREFETCHT0 64(BX)
	PREFETCHT0 128(BX)
	PREFETCHT0 192(BX)
	RET
