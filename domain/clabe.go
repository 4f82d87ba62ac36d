package domain

// ValidCLABE checks a Mexican interbank account number: 18 digits whose last
// digit is the check digit (weights 3, 7, 1 over the first 17, modulo 10).
func ValidCLABE(s string) bool {
	if len(s) != 18 {
		return false
	}
	weights := [3]int{3, 7, 1}
	sum := 0
	for i := 0; i < 18; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		if i < 17 {
			sum += (int(s[i]-'0') * weights[i%3]) % 10
		}
	}
	return (10-sum%10)%10 == int(s[17]-'0')
}
