package schemas

import "testing"

func TestPoolAllocator(t *testing.T) {
	for _, c := range []struct{ size, class int }{{0, -1}, {1, 0}, {4096, 0}, {4097, 1}, {8192, 1}, {8193, 2}, {16 << 20, 12}, {16<<20 + 1, -1}} {
		if got := poolClass(c.size); got != c.class {
			t.Errorf("poolClass(%d) = %d, want %d", c.size, got, c.class)
		}
	}
	p := new(poolAllocator)
	b := p.Allocate(5000)
	if len(b) != 5000 || cap(b) != 8192 {
		t.Fatalf("len %d cap %d", len(b), cap(b))
	}
	for i := range b {
		b[i] = 0xAA
	}
	b = b[:100]               // shrunk by its user,
	b = p.Reallocate(6000, b) // then grown within its capacity:
	for i, v := range b[100:] {
		if v != 0 {
			t.Fatalf("byte %d of a reallocation is %#x, want 0", 100+i, v)
		}
	}
	p.Free(b)
	for range 10 { // the pool may drop what it holds; a reused buffer is zeroed
		c := p.Allocate(7000)
		for i, v := range c {
			if v != 0 {
				t.Fatalf("byte %d of a reused buffer is %#x, want 0", i, v)
			}
		}
		for i := range c {
			c[i] = 0x55
		}
		p.Free(c)
	}
	p.Free(make([]byte, 10, 5000)) // not a pool's: dropped
	if c := p.Allocate(4500); cap(c) != 8192 {
		t.Fatalf("cap %d", cap(c))
	}
}
