package notify

// The wording is kept inside GSM-7 (see Segments): é, è, à, ù and ñ are in its basic table, but á,
// í, ó, ú, ê, ô and ç are not, and one of them would switch the whole SMS to UCS-2 and cut a segment
// from 160 to 70 characters. So the Spanish says "clave" rather than "código" and the French avoids
// "êtes" and "bientôt". Keep it that way when editing; segments_test.go fails otherwise.
var catalogs = map[Lang]catalog{
	English: {
		brand: "CareQueue: ",
		titles: map[Kind]string{
			CheckedIn:   "Checked in",
			Ahead:       "Your turn is near",
			Called:      "It's your turn",
			Transferred: "Queue changed",
			Cancelled:   "Ticket cancelled",
			Code:        "Sign-in code",
		},
		bodies: parse(English, map[Kind]string{
			CheckedIn: `Ticket {{.Code}} checked in{{with .Queue}} ({{.}}){{end}}` +
				`{{if .Position}}, position {{.Position}}{{end}}{{if .Wait}}, about {{.Wait}} min wait{{end}}.` +
				`{{with .URL}} Status: {{.}}{{end}}`,
			Ahead: `Ticket {{.Code}}: your turn is near{{if .Position}} (number {{.Position}} in line){{end}}.` +
				` Please stay nearby.{{with .URL}} Status: {{.}}{{end}}`,
			Called: `{{.Code}}, please go to {{with .Point}}{{.}}{{else}}the front desk{{end}}.`,
			Transferred: `You have been moved{{with .Queue}} to {{.}}{{end}}. Your ticket is now {{.Code}}.` +
				`{{with .URL}} Status: {{.}}{{end}}`,
			Cancelled: `Ticket {{.Code}} has been cancelled. If this is a mistake, please ask at the front desk.`,
			Code:      `Your sign-in code is {{.SignIn}}. It expires in a few minutes. Do not share it.`,
		}),
	},
	Spanish: {
		brand: "CareQueue: ",
		titles: map[Kind]string{
			CheckedIn:   "Registrado",
			Ahead:       "Pronto es su turno",
			Called:      "Es su turno",
			Transferred: "Cambio de cola",
			Cancelled:   "Turno cancelado",
			Code:        "Clave de acceso",
		},
		bodies: parse(Spanish, map[Kind]string{
			CheckedIn: `Turno {{.Code}} registrado{{with .Queue}} ({{.}}){{end}}` +
				`{{if .Position}}, puesto {{.Position}}{{end}}{{if .Wait}}, espera aprox. {{.Wait}} min{{end}}.` +
				`{{with .URL}} Estado: {{.}}{{end}}`,
			Ahead: `Turno {{.Code}}: pronto le toca{{if .Position}} (puesto {{.Position}} en la fila){{end}}.` +
				` No se aleje.{{with .URL}} Estado: {{.}}{{end}}`,
			Called: `{{.Code}}, es su turno. {{with .Point}}Por favor, pase a {{.}}.{{else}}Por favor, acuda al mostrador.{{end}}`,
			Transferred: `Le hemos pasado{{with .Queue}} a {{.}}{{end}}. Su turno ahora es {{.Code}}.` +
				`{{with .URL}} Estado: {{.}}{{end}}`,
			Cancelled: `El turno {{.Code}} ha sido cancelado. Si es un error, acuda al mostrador.`,
			Code:      `Su clave de acceso es {{.SignIn}}. Caduca en unos minutos. No la comparta.`,
		}),
	},
	French: {
		brand: "CareQueue : ",
		titles: map[Kind]string{
			CheckedIn:   "Enregistrement confirmé",
			Ahead:       "Votre tour approche",
			Called:      "C'est votre tour",
			Transferred: "File modifiée",
			Cancelled:   "Ticket annulé",
			Code:        "Code de connexion",
		},
		bodies: parse(French, map[Kind]string{
			CheckedIn: `Ticket {{.Code}} enregistré{{with .Queue}} ({{.}}){{end}}` +
				`{{if .Position}}, position {{.Position}}{{end}}{{if .Wait}}, attente env. {{.Wait}} min{{end}}.` +
				`{{with .URL}} Suivi : {{.}}{{end}}`,
			Ahead: `Ticket {{.Code}} : votre tour approche{{if .Position}} (position {{.Position}}){{end}}.` +
				` Restez à proximité.{{with .URL}} Suivi : {{.}}{{end}}`,
			Called: `{{.Code}}, c'est votre tour{{with .Point}} : {{.}}.{{else}}. Veuillez vous présenter à l'accueil.{{end}}`,
			Transferred: `Votre ticket a été transféré{{with .Queue}} vers {{.}}{{end}}. Nouveau ticket : {{.Code}}.` +
				`{{with .URL}} Suivi : {{.}}{{end}}`,
			Cancelled: `Le ticket {{.Code}} a été annulé. En cas d'erreur, adressez-vous à l'accueil.`,
			Code:      `Votre code de connexion est {{.SignIn}}. Il expire dans quelques minutes. Ne le partagez pas.`,
		}),
	},
}
