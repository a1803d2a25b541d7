package p
func été() {}
var 😀 = 1
