package demo

// Common surnames and given-name characters, for invented people.
var (
	surnames = []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕金俞钱")
	given    = []rune("伟芳娜敏静丽强磊军洋勇艳杰涛明超秀华平刚桂英建国志红晓燕海峰斌文辉鹏飞宇浩")
)

// personName invents a Chinese name of one or two given characters.
func (g *gen) personName() string {
	s := string(surnames[g.r.IntN(len(surnames))]) + string(given[g.r.IntN(len(given))])
	if g.chance(0.6) {
		s += string(given[g.r.IntN(len(given))])
	}
	return s
}

// cnNum writes 1 ≤ n ≤ 999 in Chinese numerals, as in street names
// (纬十二路).
func cnNum(n int) string {
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n < 10:
		return digits[n]
	case n < 20:
		if n == 10 {
			return "十"
		}
		return "十" + digits[n-10]
	case n < 100:
		s := digits[n/10] + "十"
		if n%10 != 0 {
			s += digits[n%10]
		}
		return s
	}
	s, r := digits[n/100]+"百", n%100
	switch {
	case r == 0:
		return s
	case r < 10:
		return s + "零" + digits[r]
	case r < 20:
		return s + "一" + cnNum(r)
	}
	return s + cnNum(r)
}
