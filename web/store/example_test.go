package store_test

import (
	"fmt"

	"github.com/dancu-vn/dancu/web/store"
)

func ExampleHashPassword() {
	h, _ := store.HashPassword("mật khẩu dài")
	fmt.Println(h[:10], store.CheckPassword(h, "mật khẩu dài"), store.CheckPassword(h, "mat khau dai"))
	// Output: $argon2id$ true false
}

func ExampleUser_Validate() {
	fmt.Println(store.User{Username: "reviewer.nb", Role: store.RoleReviewer, Provinces: []string{"37"}}.Validate())
	fmt.Println(store.User{Username: "reviewer.hg", Role: store.RoleReviewer}.Validate())
	fmt.Println(store.User{Username: "old", Role: store.RoleAnalyst, Provinces: []string{"02"}}.Validate())
	// Output:
	// <nil>
	// provinces: a reviewer needs at least one province (--province CODE)
	// province "02": not one of today's 34 province codes (01, 04, 08, …, 96)
}

func ExampleScope_Contains() {
	nb := store.ScopeOf(store.User{Role: store.RoleReviewer, Provinces: []string{"37"}})
	national := store.ScopeOf(store.User{Role: store.RoleSupervisor})
	fmt.Println(nb.Contains([]string{"01", "37"}), nb.Contains([]string{"01"}), national.Contains([]string{"01"}))
	// Output: true false true
}

func ExampleNewProvince() {
	// Hà Giang (02) is part of Tuyên Quang (08) since 1 July 2025.
	fmt.Println(store.NewProvince("02"), store.ProvinceName(store.NewProvince("02")), len(store.Provinces()))
	// Output: 08 Tỉnh Tuyên Quang 34
}
