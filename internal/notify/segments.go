package notify

import "unicode/utf16"

// Encoding is how an SMS is carried: GSM-7 (160 characters, 153 per part when split) or UCS-2
// (70, 67 per part), chosen by the carrier from the characters in the text.
type Encoding string

// The two SMS encodings.
const (
	GSM7 Encoding = "GSM-7"
	UCS2 Encoding = "UCS-2"
)

// gsmBasic is the GSM 03.38 default alphabet (one septet each, the escape itself excluded).
const gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
	"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"

// gsmExtension characters cost two septets: an escape and the character.
const gsmExtension = "\f^{}\\[~]|€"

var gsmCost = func() map[rune]int {
	m := make(map[rune]int, len(gsmBasic)+len(gsmExtension))
	for _, r := range gsmBasic {
		m[r] = 1
	}
	for _, r := range gsmExtension {
		m[r] = 2
	}
	return m
}()

// Segments reports the encoding text needs and how many SMS segments it is billed and delivered as.
// A split message spends part of each segment on the concatenation header, and neither an escape
// pair nor a UTF-16 surrogate pair is broken across segments, as carriers do.
func Segments(text string) (Encoding, int) {
	if text == "" {
		return GSM7, 0
	}
	costs := make([]int, 0, len(text))
	enc := GSM7
	for _, r := range text {
		c, ok := gsmCost[r]
		if !ok {
			enc = UCS2
			break
		}
		costs = append(costs, c)
	}
	single, part := 160, 153
	if enc == UCS2 {
		single, part = 70, 67
		costs = costs[:0]
		for _, r := range text {
			costs = append(costs, len(utf16.Encode([]rune{r})))
		}
	}
	total := 0
	for _, c := range costs {
		total += c
	}
	if total <= single {
		return enc, 1
	}
	n, used := 1, 0
	for _, c := range costs {
		if used+c > part {
			n, used = n+1, 0
		}
		used += c
	}
	return enc, n
}
