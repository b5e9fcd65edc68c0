package notify

// The wording is kept inside GSM-7 (see Segments): é, è, à, ù and ñ are in its basic table, but á,
// í, ó, ú, ê, ô and ç are not, and one of them would switch the whole SMS to UCS-2 and cut a segment
// from 160 to 70 characters. So the Spanish says "clave" rather than "código" and the French avoids
// "êtes" and "bientôt", and its transfer message is terse ("Transfert vers ...") to leave room for the
// wait. Keep it that way when editing; segments_test.go fails otherwise.
//
// Counted words take the form their number needs in the language ({{count .Ahead "person"}}: "1
// persona", "3 personas"; French "0 personne"); nouns holds every form of Categories(lang).
var nouns = map[Lang]map[Noun]map[Plural]string{
	English: {Person: {One: "person", Other: "people"}, Patient: {One: "patient", Other: "patients"}},
	Spanish: {Person: {One: "persona", Many: "de personas", Other: "personas"}, Patient: {One: "paciente", Many: "de pacientes", Other: "pacientes"}},
	French:  {Person: {One: "personne", Many: "de personnes", Other: "personnes"}, Patient: {One: "patient", Many: "de patients", Other: "patients"}},
}

var catalogs = map[Lang]catalog{
	English: {
		brand: "CareQueue: ",
		titles: map[Kind]string{
			CheckedIn:   "Checked in",
			WaitChanged: "Your wait has changed",
			Ahead:       "Your turn is near",
			Called:      "It's your turn",
			Transferred: "Queue changed",
			Cancelled:   "Ticket cancelled",
			Code:        "Sign-in code",
		},
		bodies: parse(English, map[Kind]string{
			CheckedIn: `Ticket {{.Code}} checked in{{with .Queue}} ({{.}}){{end}}` +
				`{{if .Position}}, position {{.Position}}{{end}}{{with .Range}}, about {{.}} min wait{{end}}` +
				`{{if .Soon}}, about to be called{{end}}.{{with .URL}} Status: {{.}}{{end}}`,
			WaitChanged: `Ticket {{.Code}}: your wait has changed{{with .Range}}, now about {{.}} min{{end}}.{{with .URL}} Status: {{.}}{{end}}`,
			Ahead: `Ticket {{.Code}}: your turn is near` +
				`{{if .Position}} ({{if .Ahead}}{{count .Ahead "person"}} ahead of you{{else}}you are next{{end}}){{end}}.` +
				` Please stay nearby.{{with .URL}} Status: {{.}}{{end}}`,
			Called: `{{.Code}}, please go to {{with .Point}}{{.}}{{else}}the front desk{{end}}.`,
			Transferred: `You were moved{{with .Queue}} to {{.}}{{end}}. Your ticket is now {{.Code}}` +
				`{{with .Range}}, about {{.}} min wait{{end}}{{if .Soon}}, about to be called{{end}}.` +
				`{{with .URL}} Status: {{.}}{{end}}`,
			Cancelled: `Ticket {{.Code}} has been cancelled. If this is a mistake, please ask at the front desk.`,
			Code:      `Your sign-in code is {{.SignIn}}. It expires in a few minutes. Do not share it.`,
		}),
	},
	Spanish: {
		brand: "CareQueue: ",
		titles: map[Kind]string{
			CheckedIn:   "Registrado",
			WaitChanged: "Su espera ha cambiado",
			Ahead:       "Pronto es su turno",
			Called:      "Es su turno",
			Transferred: "Cambio de cola",
			Cancelled:   "Turno cancelado",
			Code:        "Clave de acceso",
		},
		bodies: parse(Spanish, map[Kind]string{
			CheckedIn: `Turno {{.Code}} registrado{{with .Queue}} ({{.}}){{end}}` +
				`{{if .Position}}, puesto {{.Position}}{{end}}{{with .Range}}, espera aprox. {{.}} min{{end}}` +
				`{{if .Soon}}, le llamaremos enseguida{{end}}.{{with .URL}} Estado: {{.}}{{end}}`,
			WaitChanged: `Turno {{.Code}}: su espera ha cambiado{{with .Range}}, ahora aprox. {{.}} min{{end}}.{{with .URL}} Estado: {{.}}{{end}}`,
			Ahead: `Turno {{.Code}}: pronto le toca` +
				`{{if .Position}} ({{if .Ahead}}{{count .Ahead "person"}} delante de usted{{else}}nadie delante de usted{{end}}){{end}}.` +
				` No se aleje.{{with .URL}} Estado: {{.}}{{end}}`,
			Called: `{{.Code}}, es su turno. {{with .Point}}Por favor, pase a {{.}}.{{else}}Por favor, acuda al mostrador.{{end}}`,
			Transferred: `Le hemos pasado{{with .Queue}} a {{.}}{{end}}. Su turno ahora es {{.Code}}` +
				`{{with .Range}}, espera aprox. {{.}} min{{end}}{{if .Soon}}, le llamaremos enseguida{{end}}.` +
				`{{with .URL}} Estado: {{.}}{{end}}`,
			Cancelled: `El turno {{.Code}} ha sido cancelado. Si es un error, acuda al mostrador.`,
			Code:      `Su clave de acceso es {{.SignIn}}. Caduca en unos minutos. No la comparta.`,
		}),
	},
	French: {
		brand: "CareQueue : ",
		titles: map[Kind]string{
			CheckedIn:   "Enregistrement confirmé",
			WaitChanged: "Votre attente a changé",
			Ahead:       "Votre tour approche",
			Called:      "C'est votre tour",
			Transferred: "File modifiée",
			Cancelled:   "Ticket annulé",
			Code:        "Code de connexion",
		},
		bodies: parse(French, map[Kind]string{
			CheckedIn: `Ticket {{.Code}} enregistré{{with .Queue}} ({{.}}){{end}}` +
				`{{if .Position}}, position {{.Position}}{{end}}{{with .Range}}, attente env. {{.}} min{{end}}` +
				`{{if .Soon}}, appel imminent{{end}}.{{with .URL}} Suivi : {{.}}{{end}}`,
			WaitChanged: `Ticket {{.Code}} : votre attente a changé{{with .Range}}, maintenant env. {{.}} min{{end}}.{{with .URL}} Suivi : {{.}}{{end}}`,
			Ahead: `Ticket {{.Code}} : votre tour approche` +
				`{{if .Position}} ({{if .Ahead}}{{count .Ahead "person"}} devant vous{{else}}plus personne devant vous{{end}}){{end}}.` +
				` Restez près.{{with .URL}} Suivi : {{.}}{{end}}`,
			Called: `{{.Code}}, c'est votre tour{{with .Point}} : {{.}}.{{else}}. Veuillez vous présenter à l'accueil.{{end}}`,
			Transferred: `Transfert{{with .Queue}} vers {{.}}{{end}} : nouveau ticket {{.Code}}` +
				`{{with .Range}}, attente env. {{.}} min{{end}}{{if .Soon}}, appel imminent{{end}}.` +
				`{{with .URL}} Suivi : {{.}}{{end}}`,
			Cancelled: `Le ticket {{.Code}} a été annulé. En cas d'erreur, adressez-vous à l'accueil.`,
			Code:      `Votre code de connexion est {{.SignIn}}. Il expire dans quelques minutes. Ne le partagez pas.`,
		}),
	},
}
